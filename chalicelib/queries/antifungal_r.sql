-- % of the deduplicated isolates of a fungus resistant to a class of antifungals,
-- per species: resistant when R to at least one of the class's agents tested, counted
-- when at least one was tested (I, SFP under EUCAST, is not R). The class's agents and
-- species come from the reference table (domain/resistance/antifungal.py), bound as
-- ",CODE,CODE," lists. A year deduplicates over the whole year (isolates_year; else
-- the import period's decision). Parameters: class_id, agents, species, year, group_by_es
WITH params AS (
    SELECT ? AS class_id, ? AS agents, ? AS species_list, ? AS data_year, ? AS per_es
), tested AS (
    SELECT
        CASE WHEN p.per_es THEN i.es ELSE 'scope' END AS scope_key,
        i.species || '|' || p.class_id AS dim,
        i.isolate_id,
        MAX(CASE WHEN r.sir = 'R' THEN 1 ELSE 0 END) AS resistant
    FROM results AS r
    JOIN isolates AS i ON i.isolate_id = r.isolate_id
    LEFT JOIN isolates_year AS y ON y.isolate_id = i.isolate_id
    CROSS JOIN params AS p
    WHERE CAST(i.year AS INTEGER) = p.data_year AND COALESCE(y.kept_year, i.kept)
        AND strpos(p.agents, ',' || r.antibiotic || ',') > 0
        AND strpos(p.species_list, ',' || i.species || ',') > 0
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
