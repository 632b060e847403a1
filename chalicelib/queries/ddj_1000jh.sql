-- DDJ per 1000 patient-days: counted antibiotic (or antifungal) DDD over all
-- patient-days of the scope; by family, molecule (ATC), route, or in total.
-- Antifungals (DOMAIN.md §10.5): the tables hold only the establishments counted, so
-- one with patient-days and no J02 line is a total of zero DDD, never left out.
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
SELECT
    d.scope_key,
    COALESCE(n.dim, 'total') AS dim,
    COALESCE(n.ddd, CAST(0 AS DOUBLE)) AS numerator,
    CAST(d.patient_days AS DOUBLE) AS denominator,
    COALESCE(n.lines, 0) AS n
FROM denominator AS d
CROSS JOIN params AS p
LEFT JOIN numerator AS n ON n.scope_key = d.scope_key
WHERE n.scope_key IS NOT NULL OR (p.drug_scope = 'antifungal' AND p.dimension = 'total')
ORDER BY 1, 2
