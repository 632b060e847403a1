-- AWaRe share (DOMAIN.md §10.10): counted antibiotic DDD per AWaRe group over all counted antibiotic DDD of
-- the scope (dim: access, watch, reserve, not_classified; a group without DDD has no row). The classification
-- is the reference table's (domain/drugs/aware.py), bound as one ",ATC|ROUTE," list per group: a route's own
-- entry where WHO splits the molecule by route, else the molecule's entry for every route ("ATC|"), else not
-- classified. Scopes as ddj_1000jh: only those with patient-days. n = the scope's consumption lines.
-- Parameters: access, watch, reserve, year, group_by_es
WITH params AS (
    SELECT ? AS access_list, ? AS watch_list, ? AS reserve_list, ? AS data_year, ? AS per_es
), molecules AS (
    SELECT
        CASE WHEN p.per_es THEN c.es ELSE 'scope' END AS scope_key,
        COALESCE(c.atc, '') AS atc,
        COALESCE(c.route, '') AS route,
        SUM(CAST(c.ddd AS DOUBLE)) AS ddd,
        COUNT(*) AS lines
    FROM consumption AS c
    CROSS JOIN params AS p
    WHERE CAST(c.year AS INTEGER) = p.data_year AND c.counted AND c.scope = 'antibiotic'
    GROUP BY 1, 2, 3
), keyed AS (
    -- A few hundred molecule x route pairs, each classified once.
    SELECT atc, route, ',' || atc || '|' || route || ',' AS own, ',' || atc || '|,' AS every_route
    FROM (SELECT DISTINCT atc, route FROM molecules)
), classified AS (
    SELECT
        k.atc,
        k.route,
        CASE
            WHEN strpos(p.access_list, k.own) > 0 THEN 'access'
            WHEN strpos(p.watch_list, k.own) > 0 THEN 'watch'
            WHEN strpos(p.reserve_list, k.own) > 0 THEN 'reserve'
            WHEN strpos(p.access_list, k.every_route) > 0 THEN 'access'
            WHEN strpos(p.watch_list, k.every_route) > 0 THEN 'watch'
            WHEN strpos(p.reserve_list, k.every_route) > 0 THEN 'reserve'
            ELSE 'not_classified'
        END AS aware
    FROM keyed AS k
    CROSS JOIN params AS p
), grouped AS (
    SELECT m.scope_key, c.aware, SUM(m.ddd) AS ddd, SUM(m.lines) AS lines
    FROM molecules AS m
    JOIN classified AS c ON c.atc = m.atc AND c.route = m.route
    GROUP BY 1, 2
), days AS (
    SELECT DISTINCT CASE WHEN p.per_es THEN d.es ELSE 'scope' END AS scope_key
    FROM patient_days AS d
    CROSS JOIN params AS p
    WHERE CAST(d.year AS INTEGER) = p.data_year
)
SELECT
    g.scope_key,
    g.aware AS dim,
    g.ddd AS numerator,
    SUM(g.ddd) OVER (PARTITION BY g.scope_key) AS denominator,
    CAST(SUM(g.lines) OVER (PARTITION BY g.scope_key) AS BIGINT) AS n
FROM grouped AS g
WHERE g.scope_key IN (SELECT scope_key FROM days)
ORDER BY 1, 2
