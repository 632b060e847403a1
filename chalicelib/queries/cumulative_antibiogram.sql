-- Cumulative antibiogram (CLSI M39, DOMAIN.md §10.10): the first isolate per patient x species of
-- the year among every isolate of the lake (antibiotype and the platform's deduplication ignored;
-- screening specimens never reach the lake), within the chosen specimen category and sector ('' =
-- all): earliest specimen date, then the most complete antibiogram, then file order (upload, row).
-- Per species x antibiotic among those first isolates tested: numerator = R, susceptible = S,
-- sfp = SFP (a legacy I too), denominator = n = S + SFP + R; isolates = the species' first
-- isolates in the scope key (M39's minimum applies to them, in the service).
-- Parameters: year, group_by_es, specimen category, sector
WITH params AS (
    SELECT ? AS data_year, ? AS per_es, ? AS specimen, ? AS sector
), tested AS (
    SELECT r.isolate_id, COUNT(*) AS results
    FROM results AS r
    CROSS JOIN params AS p
    WHERE CAST(r.year AS INTEGER) = p.data_year
    GROUP BY 1
), ranked AS (
    SELECT
        i.isolate_id,
        i.species,
        CASE WHEN p.per_es THEN i.es ELSE 'scope' END AS scope_key,
        ROW_NUMBER() OVER (
            PARTITION BY i.es, i.pseudonym, i.species
            ORDER BY i.specimen_date, COALESCE(t.results, 0) DESC, i.upload_id,
                     TRY_CAST(regexp_extract(i.isolate_id, '[0-9]+$') AS INTEGER), i.isolate_id
        ) AS position
    FROM isolates AS i
    LEFT JOIN tested AS t ON t.isolate_id = i.isolate_id
    CROSS JOIN params AS p
    WHERE CAST(i.year AS INTEGER) = p.data_year
      AND (p.specimen = '' OR i.specimen = p.specimen)
      AND (p.sector = '' OR i.sector = p.sector)
), firsts AS (
    SELECT isolate_id, species, scope_key FROM ranked WHERE position = 1
), species_isolates AS (
    SELECT scope_key, species, COUNT(*) AS isolates FROM firsts GROUP BY 1, 2
)
SELECT
    f.scope_key,
    f.species || '|' || r.antibiotic AS dim,
    CAST(SUM(CASE WHEN r.sir = 'R' THEN 1 ELSE 0 END) AS DOUBLE) AS numerator,
    CAST(COUNT(*) AS DOUBLE) AS denominator,
    COUNT(*) AS n,
    SUM(CASE WHEN r.sir = 'S' THEN 1 ELSE 0 END) AS susceptible,
    SUM(CASE WHEN r.sir IN ('SFP', 'I') THEN 1 ELSE 0 END) AS sfp,
    MAX(s.isolates) AS isolates
FROM firsts AS f
JOIN results AS r ON r.isolate_id = f.isolate_id
JOIN species_isolates AS s ON s.scope_key = f.scope_key AND s.species = f.species
WHERE r.sir IN ('S', 'SFP', 'I', 'R')
GROUP BY 1, 2
ORDER BY 1, 2
