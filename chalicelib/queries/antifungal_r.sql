-- % of the deduplicated isolates of a fungus resistant to a class of antifungals, per
-- species and class: resistant when R to at least one of the class's agents tested,
-- counted when at least one was tested (I, SFP under EUCAST, is not R). The classes,
-- their agents and species come from the reference table (domain/resistance/antifungal.py),
-- bound as one list ",class|species|agent,…" (every class in one reading of the results).
-- A year deduplicates over the whole year (isolates_year; else the import period's
-- decision). Parameters: memberships, year, group_by_es
WITH params AS (
    SELECT ? AS memberships, ? AS data_year, ? AS per_es
), classes AS (
    SELECT
        split_part(m.entry, '|', 1) AS class_id,
        split_part(m.entry, '|', 2) AS species,
        split_part(m.entry, '|', 3) AS agent
    FROM params AS p
    CROSS JOIN UNNEST(split(p.memberships, ',')) AS m (entry)
    WHERE m.entry <> ''
), tested AS (
    SELECT
        CASE WHEN p.per_es THEN i.es ELSE 'scope' END AS scope_key,
        i.species || '|' || c.class_id AS dim,
        i.isolate_id,
        MAX(CASE WHEN r.sir = 'R' THEN 1 ELSE 0 END) AS resistant
    FROM results AS r
    JOIN isolates AS i ON i.isolate_id = r.isolate_id
    JOIN classes AS c ON c.species = i.species AND c.agent = r.antibiotic
    LEFT JOIN isolates_year AS y ON y.isolate_id = i.isolate_id
    CROSS JOIN params AS p
    WHERE CAST(i.year AS INTEGER) = p.data_year AND COALESCE(y.kept_year, i.kept)
        AND r.antibiotic IN (SELECT agent FROM classes)
        AND i.species IN (SELECT species FROM classes)
    GROUP BY 1, 2, 3
)
SELECT
    scope_key,
    dim,
    CAST(SUM(resistant) AS DOUBLE) AS numerator,
    CAST(COUNT(*) AS DOUBLE) AS denominator,
    COUNT(*) AS n
FROM tested
GROUP BY 1, 2
ORDER BY 1, 2
