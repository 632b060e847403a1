-- DDJ per 1000 patient-days by specialty of the UF (hématologie, maladies
-- infectieuses, oncologie, from the structure): each specialty's DDD over its
-- own patient-days; UFs without a specialty are left out.
-- Parameters: scope ('antibiotic' | 'antifungal'), year, year, group_by_es
WITH params AS (
    SELECT ? AS drug_scope, ? AS data_year, ? AS days_year, ? AS per_es
), numerator AS (
    SELECT CASE WHEN p.per_es THEN c.es ELSE 'scope' END AS scope_key, c.specialty AS dim, SUM(CAST(c.ddd AS DOUBLE)) AS ddd,
           COUNT(*) AS lines
    FROM consumption AS c
    CROSS JOIN params AS p
    WHERE CAST(c.year AS INTEGER) = p.data_year AND c.counted AND c.scope = p.drug_scope AND c.specialty IS NOT NULL
    GROUP BY 1, 2
), denominator AS (
    SELECT CASE WHEN p.per_es THEN d.es ELSE 'scope' END AS scope_key, d.specialty AS dim, SUM(d.patient_days) AS patient_days
    FROM patient_days AS d
    CROSS JOIN params AS p
    WHERE CAST(d.year AS INTEGER) = p.days_year AND d.specialty IS NOT NULL
    GROUP BY 1, 2
)
SELECT d.scope_key, d.dim, COALESCE(n.ddd, 0.0) AS numerator, CAST(d.patient_days AS DOUBLE) AS denominator,
       COALESCE(n.lines, 0) AS n
FROM denominator AS d
LEFT JOIN numerator AS n ON n.scope_key = d.scope_key AND n.dim = d.dim
ORDER BY 1, 2
