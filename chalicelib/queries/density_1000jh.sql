-- Incidence density: deduplicated isolates with a phenotype per 1000 patient-days,
-- all specimens or blood cultures only (their own series), each deduplicated over
-- the whole year (isolates_year; else the import period's decision). Parameters: phenotype,
-- specimen ('all' | 'blood'), year, year, group_by_es
WITH params AS (
    SELECT ? AS phenotype, ? AS specimen, ? AS data_year, ? AS days_year, ? AS per_es
), cases AS (
    SELECT CASE WHEN p.per_es THEN i.es ELSE 'scope' END AS scope_key, COUNT(*) AS cases
    FROM isolates AS i
    LEFT JOIN isolates_year AS y ON y.isolate_id = i.isolate_id
    CROSS JOIN params AS p
    WHERE CAST(i.year AS INTEGER) = p.data_year
      AND (CASE p.specimen
            WHEN 'blood' THEN COALESCE(CASE WHEN y.isolate_id IS NULL THEN i.blood_kept ELSE y.blood_kept_year END, FALSE)
            ELSE COALESCE(y.kept_year, i.kept)
          END)
      AND (CASE p.phenotype
            WHEN 'sarm' THEN i.sarm WHEN 'eblse' THEN i.eblse WHEN 'epc' THEN i.epc WHEN 'erg' THEN i.erg
            WHEN 'c3g_r' THEN i.c3g_r WHEN 'fq_r' THEN i.fq_r WHEN 'carba_r' THEN i.carba_r WHEN 'caz_r' THEN i.caz_r
          END)
    GROUP BY 1
), days AS (
    SELECT CASE WHEN p.per_es THEN d.es ELSE 'scope' END AS scope_key, SUM(d.patient_days) AS patient_days
    FROM patient_days AS d
    CROSS JOIN params AS p
    WHERE CAST(d.year AS INTEGER) = p.days_year
    GROUP BY 1
)
SELECT d.scope_key, 'total' AS dim, CAST(COALESCE(c.cases, 0) AS DOUBLE) AS numerator, CAST(d.patient_days AS DOUBLE) AS denominator,
       COALESCE(c.cases, 0) AS n
FROM days AS d
LEFT JOIN cases AS c ON c.scope_key = d.scope_key
ORDER BY 1
