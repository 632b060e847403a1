-- % resistant per species x antibiotic among deduplicated isolates tested
-- (SFP counts as not resistant), within a specimen category and a sector ('' = all).
-- A year deduplicates over the whole year: the isolate's yearly decision
-- (isolates_year), else its import period's (an establishment's only file of the
-- year). Parameters: year, group_by_es, specimen category, sector
WITH params AS (
    SELECT ? AS data_year, ? AS per_es, ? AS specimen, ? AS sector
)
SELECT
    CASE WHEN p.per_es THEN i.es ELSE 'scope' END AS scope_key,
    i.species || '|' || r.antibiotic AS dim,
    CAST(SUM(CASE WHEN r.sir = 'R' THEN 1 ELSE 0 END) AS DOUBLE) AS numerator,
    CAST(COUNT(*) AS DOUBLE) AS denominator,
    COUNT(*) AS n
FROM results AS r
JOIN isolates AS i ON i.isolate_id = r.isolate_id
LEFT JOIN isolates_year AS y ON y.isolate_id = i.isolate_id
CROSS JOIN params AS p
WHERE CAST(i.year AS INTEGER) = p.data_year AND COALESCE(y.kept_year, i.kept)
    AND (p.specimen = '' OR i.specimen = p.specimen)
    AND (p.sector = '' OR i.sector = p.sector)
GROUP BY 1, 2
ORDER BY 1, 2
