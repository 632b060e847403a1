-- DDJ per 1000 patient-days by UF: each UF's DDD over its own patient-days. A
-- theatre's consumption counts in the UF it is reallocated to (or in the
-- surgery total 'CHIR_TOTAL', which has no patient-days); a UF with
-- patient-days and no consumption is a row with 0 DDD, a UF with consumption
-- and no patient-days a row with denominator 0. Services and pôles are rolled
-- up from these rows with the structure.
-- Parameters: scope ('antibiotic' | 'antifungal'), year, year, group_by_es
WITH params AS (
    SELECT ? AS drug_scope, ? AS data_year, ? AS days_year, ? AS per_es
), numerator AS (
    SELECT
        CASE WHEN p.per_es THEN c.es ELSE 'scope' END AS scope_key,
        COALESCE(c.reallocated_uf, c.code_uf) AS dim,
        SUM(CAST(c.ddd AS DOUBLE)) AS ddd,
        COUNT(*) AS lines
    FROM consumption AS c
    CROSS JOIN params AS p
    WHERE CAST(c.year AS INTEGER) = p.data_year AND c.counted AND c.scope = p.drug_scope
    GROUP BY 1, 2
), denominator AS (
    SELECT CASE WHEN p.per_es THEN d.es ELSE 'scope' END AS scope_key, d.code_uf AS dim, SUM(d.patient_days) AS patient_days
    FROM patient_days AS d
    CROSS JOIN params AS p
    WHERE CAST(d.year AS INTEGER) = p.days_year
    GROUP BY 1, 2
)
SELECT
    COALESCE(n.scope_key, d.scope_key) AS scope_key,
    COALESCE(n.dim, d.dim) AS dim,
    COALESCE(n.ddd, 0.0) AS numerator,
    CAST(COALESCE(d.patient_days, 0) AS DOUBLE) AS denominator,
    COALESCE(n.lines, 0) AS n
FROM numerator AS n
FULL OUTER JOIN denominator AS d ON d.scope_key = n.scope_key AND d.dim = n.dim
ORDER BY 1, 2
