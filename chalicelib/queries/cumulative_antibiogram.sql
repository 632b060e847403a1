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
), scoped AS (
    SELECT
        i.isolate_id,
        i.es,
        i.pseudonym,
        i.species,
        i.specimen_date,
        i.upload_id,
        CASE WHEN p.per_es THEN i.es ELSE 'scope' END AS scope_key,
        MIN(i.specimen_date) OVER (PARTITION BY i.es, i.pseudonym, i.species) AS first_date
    FROM isolates AS i
    CROSS JOIN params AS p
    WHERE CAST(i.year AS INTEGER) = p.data_year
      AND (p.specimen = '' OR i.specimen = p.specimen)
      AND (p.sector = '' OR i.sector = p.sector)
), earliest AS (
    -- The candidates: a patient's isolates of a species on its earliest specimen date (a group whose dates
    -- are all unknown keeps them all). Only where several share that day does the antibiogram decide.
    SELECT s.*, COUNT(*) OVER (PARTITION BY s.es, s.pseudonym, s.species) AS candidates
    FROM scoped AS s
    WHERE s.specimen_date = s.first_date OR s.first_date IS NULL
), tested AS (
    SELECT r.isolate_id, COUNT(*) AS results
    FROM results AS r
    CROSS JOIN params AS p
    WHERE CAST(r.year AS INTEGER) = p.data_year
      AND r.isolate_id IN (SELECT isolate_id FROM earliest WHERE candidates > 1)
    GROUP BY 1
), ranked AS (
    SELECT
        e.isolate_id,
        e.species,
        e.scope_key,
        ROW_NUMBER() OVER (
            PARTITION BY e.es, e.pseudonym, e.species
            ORDER BY COALESCE(t.results, 0) DESC, e.upload_id,
                     TRY_CAST(regexp_extract(e.isolate_id, '[0-9]+$') AS INTEGER), e.isolate_id
        ) AS position
    FROM earliest AS e
    LEFT JOIN tested AS t ON t.isolate_id = e.isolate_id
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
