-- % of a phenotype by period of the data (the quarterly view): each quarter of an establishment
-- that sends its antibiograms by quarter, the year itself for one that sends them once a year.
-- Each quarter keeps its own deduplication (DOMAIN.md §6: "quarterly views keep the per-quarter
-- result"): the import period's decision (kept), never the whole year's (isolates_year), and an
-- isolate counts in the period of the import it came in. Among the isolates the phenotype concerns
-- and for which it is known, every species pooled (a missing test is unknown, never negative).
-- Parameters: phenotype, year, group_by_es
WITH params AS (
    SELECT ? AS phenotype, ? AS data_year, ? AS per_es
), flagged AS (
    SELECT
        CASE WHEN p.per_es THEN i.es ELSE 'scope' END AS scope_key,
        i.period AS dim,
        CASE p.phenotype
            WHEN 'sarm' THEN i.sarm
            WHEN 'eblse' THEN i.eblse
            WHEN 'epc' THEN i.epc
            WHEN 'erg' THEN i.erg
            WHEN 'c3g_r' THEN i.c3g_r
            WHEN 'fq_r' THEN i.fq_r
            WHEN 'carba_r' THEN i.carba_r
            WHEN 'caz_r' THEN i.caz_r
        END AS positive
    FROM isolates AS i
    CROSS JOIN params AS p
    WHERE CAST(i.year AS INTEGER) = p.data_year AND COALESCE(i.kept, FALSE)
)
SELECT
    scope_key,
    dim,
    CAST(SUM(CASE WHEN positive THEN 1 ELSE 0 END) AS DOUBLE) AS numerator,
    CAST(COUNT(*) AS DOUBLE) AS denominator,
    COUNT(*) AS n
FROM flagged
WHERE positive IS NOT NULL
GROUP BY 1, 2
ORDER BY 1, 2
