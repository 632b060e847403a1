-- DDJ per 1000 patient-days by period of the data (the quarterly view): each quarter of an
-- establishment that sends its consumption and patient-days by quarter, the year itself for one
-- that sends them once a year (DOMAIN.md §3: both share one periodicity). Counted DDD of a period
-- over the same period's patient-days; a period without patient-days is left out.
-- Parameters: scope ('antibiotic' | 'antifungal'), year, year, group_by_es
WITH params AS (
    SELECT ? AS drug_scope, ? AS data_year, ? AS days_year, ? AS per_es
), numerator AS (
    SELECT
        CASE WHEN p.per_es THEN c.es ELSE 'scope' END AS scope_key,
        c.period AS dim,
        SUM(CAST(c.ddd AS DOUBLE)) AS ddd,
        COUNT(*) AS lines
    FROM consumption AS c
    CROSS JOIN params AS p
    WHERE CAST(c.year AS INTEGER) = p.data_year AND c.counted AND c.scope = p.drug_scope
    GROUP BY 1, 2
), denominator AS (
    SELECT CASE WHEN p.per_es THEN d.es ELSE 'scope' END AS scope_key, d.period AS dim, SUM(d.patient_days) AS patient_days
    FROM patient_days AS d
    CROSS JOIN params AS p
    WHERE CAST(d.year AS INTEGER) = p.days_year
    GROUP BY 1, 2
)
SELECT
    n.scope_key,
    n.dim,
    n.ddd AS numerator,
    CAST(d.patient_days AS DOUBLE) AS denominator,
    n.lines AS n
FROM numerator AS n
JOIN denominator AS d ON d.scope_key = n.scope_key AND d.dim = n.dim
ORDER BY 1, 2
