-- Incidence density by sector: deduplicated isolates with a phenotype (the sector
-- of their UF, from the structure) per 1000 patient-days of the same sector, all
-- specimens or blood cultures only, each deduplicated over the whole year
-- (isolates_year; else the import period's decision). A sector with patient-days and no case is a
-- row with 0 cases; a sector with cases and no patient-days a row with denominator
-- 0 (no value). Isolates and patient-days of a UF without sector are left out.
-- Parameters: phenotype, specimen ('all' | 'blood'), year, year, group_by_es
WITH params AS (
    SELECT ? AS phenotype, ? AS specimen, ? AS data_year, ? AS days_year, ? AS per_es
), cases AS (
    SELECT CASE WHEN p.per_es THEN i.es ELSE 'scope' END AS scope_key, i.sector AS dim, COUNT(*) AS cases
    FROM isolates AS i
    LEFT JOIN isolates_year AS y ON y.isolate_id = i.isolate_id
    CROSS JOIN params AS p
    WHERE CAST(i.year AS INTEGER) = p.data_year AND i.sector IS NOT NULL
      AND (CASE p.specimen
            WHEN 'blood' THEN COALESCE(CASE WHEN y.isolate_id IS NULL THEN i.blood_kept ELSE y.blood_kept_year END, FALSE)
            ELSE COALESCE(y.kept_year, i.kept)
          END)
      AND (CASE p.phenotype
            WHEN 'sarm' THEN i.sarm WHEN 'eblse' THEN i.eblse WHEN 'epc' THEN i.epc WHEN 'erg' THEN i.erg
            WHEN 'c3g_r' THEN i.c3g_r WHEN 'fq_r' THEN i.fq_r WHEN 'carba_r' THEN i.carba_r WHEN 'caz_r' THEN i.caz_r
          END)
    GROUP BY 1, 2
), days AS (
    SELECT CASE WHEN p.per_es THEN d.es ELSE 'scope' END AS scope_key, d.sector AS dim, SUM(d.patient_days) AS patient_days
    FROM patient_days AS d
    CROSS JOIN params AS p
    WHERE CAST(d.year AS INTEGER) = p.days_year AND d.sector IS NOT NULL
    GROUP BY 1, 2
)
SELECT
    COALESCE(d.scope_key, c.scope_key) AS scope_key,
    COALESCE(d.dim, c.dim) AS dim,
    CAST(COALESCE(c.cases, 0) AS DOUBLE) AS numerator,
    CAST(COALESCE(d.patient_days, 0) AS DOUBLE) AS denominator,
    COALESCE(c.cases, 0) AS n
FROM days AS d
FULL OUTER JOIN cases AS c ON c.scope_key = d.scope_key AND c.dim = d.dim
ORDER BY 1, 2
