-- Cumulative antibiogram (CLSI M39, DOMAIN.md §10.10): the first isolate per patient x species of
-- the year among every isolate of the lake (antibiotype and the platform's deduplication ignored;
-- screening specimens never reach the lake), within the chosen specimen category and sector ('' =
-- all): earliest specimen date, then the most complete antibiogram, then file order (upload, row).
-- Per species x antibiotic among those first isolates tested: numerator = R, susceptible = S,
-- sfp = SFP (a legacy I too), denominator = n = S + SFP + R; isolates = the species' first
-- isolates in the scope key (M39's minimum applies to them, in the service).
-- For speed (a national year is some 12 M results): a patient's only isolate of a species is its first
-- without any ranking, and the results are counted per S/SFP/I/R before the percentages are made.
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
        COUNT(*) OVER (PARTITION BY i.es, i.pseudonym, i.species) AS patient_isolates,
        MIN(i.specimen_date) OVER (PARTITION BY i.es, i.pseudonym, i.species) AS first_date
    FROM isolates AS i
    CROSS JOIN params AS p
    WHERE CAST(i.year AS INTEGER) = p.data_year
      AND (p.specimen = '' OR i.specimen = p.specimen)
      AND (p.sector = '' OR i.sector = p.sector)
), earliest AS (
    -- Where a patient has several isolates of a species, the candidates: those on its earliest specimen date
    -- (a group whose dates are all unknown keeps them all). Only where several share that day does the
    -- antibiogram decide.
    SELECT s.*, COUNT(*) OVER (PARTITION BY s.es, s.pseudonym, s.species) AS candidates
    FROM scoped AS s
    WHERE s.patient_isolates > 1 AND (s.specimen_date = s.first_date OR s.first_date IS NULL)
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
    WHERE e.candidates > 1
), firsts AS (
    SELECT isolate_id, species, scope_key FROM scoped WHERE patient_isolates = 1
    UNION ALL
    SELECT isolate_id, species, scope_key FROM earliest WHERE candidates = 1
    UNION ALL
    SELECT isolate_id, species, scope_key FROM ranked WHERE position = 1
), counted AS (
    -- Every result of the first isolates, counted per species x antibiotic x S/SFP/I/R (a legacy I is SFP;
    -- any other reading counts in no percentage).
    SELECT f.scope_key, f.species, r.antibiotic, r.sir, COUNT(*) AS k
    FROM firsts AS f
    JOIN results AS r ON r.isolate_id = f.isolate_id
    GROUP BY 1, 2, 3, 4
), species_isolates AS (
    SELECT scope_key, species, COUNT(*) AS isolates FROM firsts GROUP BY 1, 2
), tallies AS (
    SELECT
        scope_key,
        species,
        antibiotic,
        CAST(SUM(CASE WHEN sir IN ('S', 'SFP', 'I', 'R') THEN k ELSE 0 END) AS BIGINT) AS n,
        SUM(CASE WHEN sir = 'R' THEN k ELSE 0 END) AS resistant,
        CAST(SUM(CASE WHEN sir = 'S' THEN k ELSE 0 END) AS BIGINT) AS susceptible,
        CAST(SUM(CASE WHEN sir IN ('SFP', 'I') THEN k ELSE 0 END) AS BIGINT) AS sfp
    FROM counted
    GROUP BY 1, 2, 3
)
SELECT
    t.scope_key,
    t.species || '|' || t.antibiotic AS dim,
    CAST(t.resistant AS DOUBLE) AS numerator,
    CAST(t.n AS DOUBLE) AS denominator,
    t.n,
    t.susceptible,
    t.sfp,
    s.isolates
FROM tallies AS t
JOIN species_isolates AS s ON s.scope_key = t.scope_key AND s.species = t.species
WHERE t.n > 0
ORDER BY 1, 2
