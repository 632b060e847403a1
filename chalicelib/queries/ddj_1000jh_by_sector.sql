-- DDJ per 1000 patient-days by sector: each sector's DDD over its own
-- patient-days (a theatre's consumption counts in the sector it is reallocated to).
-- Parameters: scope ('antibiotic' | 'antifungal'), year, year, group_by_es
WITH params AS (
    SELECT ? AS drug_scope, ? AS data_year, ? AS days_year, ? AS per_es
), numerator AS (
    SELECT CASE WHEN p.per_es THEN c.es ELSE 'scope' END AS scope_key, c.sector AS dim, SUM(CAST(c.ddd AS DOUBLE)) AS ddd, COUNT(*) AS lines
    FROM consumption AS c
    CROSS JOIN params AS p
    WHERE CAST(c.year AS INTEGER) = p.data_year AND c.counted AND c.scope = p.drug_scope AND c.sector IS NOT NULL
    GROUP BY 1, 2
), denominator AS (
    SELECT CASE WHEN p.per_es THEN d.es ELSE 'scope' END AS scope_key, d.sector AS dim, SUM(d.patient_days) AS patient_days
    FROM patient_days AS d
    CROSS JOIN params AS p
    WHERE CAST(d.year AS INTEGER) = p.days_year
    GROUP BY 1, 2
)
SELECT n.scope_key, n.dim, n.ddd AS numerator, CAST(d.patient_days AS DOUBLE) AS denominator, n.lines AS n
FROM numerator AS n
JOIN denominator AS d ON d.scope_key = n.scope_key AND d.dim = n.dim
ORDER BY n.scope_key, n.dim
