-- Incidence density by period of the data (the quarterly view): each quarter's deduplicated isolates
-- with a phenotype over the same quarter's patient-days, the year's over the year's for an
-- establishment that sends them once a year; all specimens or blood cultures only. Each quarter keeps
-- its own deduplication (DOMAIN.md §6: "quarterly views keep the per-quarter result"): the import
-- period's decisions (kept, blood_kept), never the whole year's, an isolate counting in the period of
-- the import it came in. As ddj_1000jh_by_period: a period without patient-days is left out (never
-- divided by another period's). Resistance may come by another periodicity than patient-days
-- (DOMAIN.md §3), so periods are matched within each establishment first: a scope's period adds the
-- cases and patient-days of the establishments that have both for it; a period of resistance data
-- without a case is a row with 0 cases.
-- Parameters: phenotype, specimen ('all' | 'blood'), year, year, group_by_es
WITH params AS (
    SELECT ? AS phenotype, ? AS specimen, ? AS data_year, ? AS days_year, ? AS per_es
), reported AS (
    SELECT
        i.es,
        i.period,
        SUM(CASE WHEN (CASE p.specimen WHEN 'blood' THEN COALESCE(i.blood_kept, FALSE) ELSE COALESCE(i.kept, FALSE) END)
                  AND COALESCE(CASE p.phenotype
                        WHEN 'sarm' THEN i.sarm WHEN 'eblse' THEN i.eblse WHEN 'epc' THEN i.epc WHEN 'erg' THEN i.erg
                        WHEN 'c3g_r' THEN i.c3g_r WHEN 'fq_r' THEN i.fq_r WHEN 'carba_r' THEN i.carba_r
                        WHEN 'caz_r' THEN i.caz_r
                      END, FALSE)
            THEN 1 ELSE 0 END) AS cases
    FROM isolates AS i
    CROSS JOIN params AS p
    WHERE CAST(i.year AS INTEGER) = p.data_year
    GROUP BY 1, 2
), days AS (
    SELECT d.es, d.period, SUM(d.patient_days) AS patient_days
    FROM patient_days AS d
    CROSS JOIN params AS p
    WHERE CAST(d.year AS INTEGER) = p.days_year
    GROUP BY 1, 2
)
SELECT
    CASE WHEN p.per_es THEN r.es ELSE 'scope' END AS scope_key,
    r.period AS dim,
    CAST(SUM(r.cases) AS DOUBLE) AS numerator,
    CAST(SUM(d.patient_days) AS DOUBLE) AS denominator,
    CAST(SUM(r.cases) AS BIGINT) AS n
FROM reported AS r
JOIN days AS d ON d.es = r.es AND d.period = r.period
CROSS JOIN params AS p
GROUP BY 1, 2
ORDER BY 1, 2
