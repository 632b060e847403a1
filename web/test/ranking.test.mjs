// The national per-establishment ranking with 1,700 generated establishments: sorted by value,
// searched by name or FINESS, never more than a page.
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { loadTs } from './load-ts.mjs';

let ranking;
before(async () => {
  ranking = await loadTs('src/ranking.ts');
});

/** 1,700 establishments, values in a scrambled order, some without value. */
const ROWS = Array.from({ length: 1700 }, (_, i) => ({
  finess: String(100000000 + i * 7919),
  name: `${i % 3 ? 'Centre hospitalier' : 'Clinique Saint-Éloi'} n°${i}`,
  value: i % 50 === 0 ? null : (i * 7919) % 1000,
}));

describe('classement des établissements', () => {
  test('a page never holds more than the page size, and the pages cover every establishment once', () => {
    const first = ranking.rankingPage(ROWS, '', 1, 25);
    assert.equal(first.rows.length, 25);
    assert.equal(first.pages, 68);
    const seen = new Set();
    for (let p = 1; p <= first.pages; p++) for (const r of ranking.rankingPage(ROWS, '', p, 25).rows) seen.add(r.finess);
    assert.equal(seen.size, 1700);
  });

  test('the highest value comes first, the establishments without value last', () => {
    const all = ranking.rankingPage(ROWS, '', 1, 2000).rows;
    const values = all.map((r) => r.value);
    const known = values.filter((v) => v !== null);
    assert.deepEqual(known, [...known].sort((a, b) => b - a));
    assert.ok(values.slice(known.length).every((v) => v === null), 'no value: at the end');
    assert.deepEqual(all.slice(0, 3).map((r) => r.rank), [1, 2, 3]);
  });

  test('a search by name ignores accents and case, and keeps the overall rank', () => {
    const found = ranking.rankingPage(ROWS, 'saint-eloi N°3', 1, 25);
    assert.ok(found.matching > 0 && found.matching < 1700);
    assert.ok(found.rows.every((r) => /Saint-Éloi n°3/.test(r.name)));
    const overall = ranking.rankingPage(ROWS, '', 1, 2000).rows;
    for (const r of found.rows) assert.equal(r.rank, overall.find((o) => o.finess === r.finess).rank);
  });

  test('a search by the start of a FINESS finds that establishment', () => {
    const target = ROWS[1234];
    const found = ranking.rankingPage(ROWS, target.finess, 1, 25);
    assert.deepEqual(found.rows.map((r) => r.finess), [target.finess]);
  });

  test('a page beyond the last shows the last, and a search without match shows an empty first page', () => {
    assert.equal(ranking.rankingPage(ROWS, '', 999, 25).page, 68);
    const none = ranking.rankingPage(ROWS, 'introuvable', 3, 25);
    assert.deepEqual([none.rows.length, none.page, none.pages, none.matching], [0, 1, 1, 0]);
  });

  test('the page of one establishment is where its rank puts it', () => {
    const overall = ranking.rankingPage(ROWS, '', 1, 2000).rows;
    const target = overall[512];
    const page = ranking.pageOf(ROWS, target.finess, 25);
    assert.equal(page, 21);
    assert.ok(ranking.rankingPage(ROWS, '', page, 25).rows.some((r) => r.finess === target.finess));
    assert.equal(ranking.pageOf(ROWS, '999999999', 25), null);
  });
});
