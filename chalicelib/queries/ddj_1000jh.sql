-- DDJ per 1000 patient-days: counted antibiotic (or antifungal) DDD over all
-- patient-days of the scope; by family, molecule (ATC) or route, or in total.
-- Parameters: scope ('antibiotic' | 'antifungal'), dimension, year, year, group_by_es
WITH params AS (
    SELECT ? AS drug_scope, ? AS dimension, ? AS data_year, ? AS days_year, ? AS per_es
), numerator AS (
    SELECT
        CASE WHEN p.per_es THEN c.es ELSE 'scope' END AS scope_key,
        CASE p.dimension
            WHEN 'family' THEN COALESCE(c.family, 'AUTRES')
            WHEN 'molecule' THEN c.atc
            WHEN 'route' THEN c.route
            ELSE 'total'
        END AS dim,
        SUM(CAST(c.ddd AS DOUBLE)) AS ddd,
        COUNT(*) AS lines
    FROM consumption AS c
    CROSS JOIN params AS p
    WHERE CAST(c.year AS INTEGER) = p.data_year AND c.counted AND c.scope = p.drug_scope
    GROUP BY 1, 2
), denominator AS (
    SELECT CASE WHEN p.per_es THEN d.es ELSE 'scope' END AS scope_key, SUM(d.patient_days) AS patient_days
    FROM patient_days AS d
    CROSS JOIN params AS p
    WHERE CAST(d.year AS INTEGER) = p.days_year
    GROUP BY 1
)
SELECT n.scope_key, n.dim, n.ddd AS numerator, CAST(d.patient_days AS DOUBLE) AS denominator, n.lines AS n
FROM numerator AS n
JOIN denominator AS d ON d.scope_key = n.scope_key
ORDER BY n.scope_key, n.dim
