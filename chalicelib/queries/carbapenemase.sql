-- EPC (carbapenemase-producing Enterobacterales) by carbapenemase type: deduplicated
-- isolates with the EPC phenotype per type (the file's carbapenemase flag: OXA-48-like,
-- KPC, NDM, VIM, IMP, autre), over all EPC of the scope. An EPC known without a type (the
-- species label's hint, no flag) counts under the untyped label. Each scope key has a
-- row for every type found in the tables read (0 when it has none of that type), so
-- rows of several establishments pool into the right share. A year deduplicates over the
-- whole year (isolates_year; else the import period's decision).
-- Parameters: untyped label, negative flag value ('négatif'), year, group_by_es
WITH params AS (
    SELECT ? AS untyped, ? AS negative, ? AS data_year, ? AS per_es
), epc AS (
    SELECT
        CASE WHEN p.per_es THEN i.es ELSE 'scope' END AS scope_key,
        CASE WHEN i.carbapenemase IS NULL OR i.carbapenemase = p.negative THEN p.untyped ELSE i.carbapenemase END AS dim
    FROM isolates AS i
    LEFT JOIN isolates_year AS yd ON yd.isolate_id = i.isolate_id
    CROSS JOIN params AS p
    WHERE CAST(i.year AS INTEGER) = p.data_year AND COALESCE(yd.kept_year, i.kept) AND COALESCE(i.epc, FALSE)
), totals AS (
    SELECT scope_key, COUNT(*) AS total FROM epc GROUP BY 1
), types AS (
    SELECT DISTINCT dim FROM epc
), counts AS (
    SELECT scope_key, dim, COUNT(*) AS cases FROM epc GROUP BY 1, 2
)
SELECT t.scope_key, y.dim, CAST(COALESCE(c.cases, 0) AS DOUBLE) AS numerator, CAST(t.total AS DOUBLE) AS denominator,
       t.total AS n
FROM totals AS t
CROSS JOIN types AS y
LEFT JOIN counts AS c ON c.scope_key = t.scope_key AND c.dim = y.dim
ORDER BY 1, 2
