// The regions' tile map: every region of the reference table has one tile of its own, and the colour
// classes follow the values' quintiles.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { before, describe, test } from 'node:test';
import { loadTs } from './load-ts.mjs';

let tiles;
before(async () => {
  tiles = await loadTs('src/regionTiles.ts');
});

const REGIONS = readFileSync(new URL('../../chalicelib/reference/regions.csv', import.meta.url), 'utf8')
  .trim()
  .split('\n')
  .slice(1)
  .map((line) => line.split(',')[0]);

describe('carte des régions', () => {
  test('every region of the reference table has exactly one tile, and no two tiles share a cell', () => {
    assert.deepEqual(tiles.REGION_TILES.map((t) => t.code).sort(), [...REGIONS].sort());
    const cells = tiles.REGION_TILES.map((t) => `${t.col},${t.row}`);
    assert.equal(new Set(cells).size, cells.length);
  });

  test('the five overseas regions are the insets, below the metropolitan grid', () => {
    const insets = tiles.REGION_TILES.filter((t) => t.row === tiles.INSET_ROW).map((t) => t.code);
    assert.deepEqual(insets.sort(), ['01', '02', '03', '04', '06']);
    assert.ok(tiles.REGION_TILES.every((t) => t.row === tiles.INSET_ROW || t.row < tiles.INSET_ROW - 1));
  });

  test('the classes are the quintiles: the lowest fifth in the lightest, the highest in the darkest', () => {
    const values = [10, 20, 30, 40, 50, 60, 70, 80, 90, 100];
    const bounds = tiles.classBounds(values);
    assert.deepEqual(bounds, [20, 40, 60, 80, 100]);
    assert.deepEqual(values.map((v) => tiles.classOf(v, bounds)), [0, 0, 1, 1, 2, 2, 3, 3, 4, 4]);
  });

  test('a single region with data, or equal values, is in the first class', () => {
    assert.equal(tiles.classOf(7, tiles.classBounds([7])), 0);
    assert.equal(tiles.classOf(5, tiles.classBounds([5, 5, 5])), 0);
    assert.deepEqual(tiles.classBounds([]), []);
  });
});
