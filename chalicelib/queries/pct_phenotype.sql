-- % of a phenotype among the deduplicated isolates it concerns and for which it
-- is known (a missing test is unknown, never negative; a species outside the
-- phenotype is unknown too), per species group or per species. Deduplicated
-- over the whole year (isolates_year; else the import period's decision).
-- Parameters: phenotype, year, group_by_es, dimension ('species_group' | 'species')
WITH params AS (
    SELECT ? AS phenotype, ? AS data_year, ? AS per_es, ? AS dimension
), flagged AS (
    SELECT
        i.es,
        CASE p.dimension WHEN 'species' THEN i.species ELSE i.species_group END AS dim_value,
        CASE p.phenotype
            WHEN 'sarm' THEN i.sarm
            WHEN 'eblse' THEN i.eblse
            WHEN 'epc' THEN i.epc
            WHEN 'erg' THEN i.erg
            WHEN 'c3g_r' THEN i.c3g_r
            WHEN 'fq_r' THEN i.fq_r
            WHEN 'carba_r' THEN i.carba_r
            WHEN 'caz_r' THEN i.caz_r
        END AS positive,
        p.per_es
    FROM isolates AS i
    LEFT JOIN isolates_year AS y ON y.isolate_id = i.isolate_id
    CROSS JOIN params AS p
    WHERE CAST(i.year AS INTEGER) = p.data_year AND COALESCE(y.kept_year, i.kept)
)
SELECT
    CASE WHEN per_es THEN es ELSE 'scope' END AS scope_key,
    dim_value AS dim,
    CAST(SUM(CASE WHEN positive THEN 1 ELSE 0 END) AS DOUBLE) AS numerator,
    CAST(COUNT(*) AS DOUBLE) AS denominator,
    COUNT(*) AS n
FROM flagged
WHERE positive IS NOT NULL
GROUP BY 1, 2
ORDER BY 1, 2
