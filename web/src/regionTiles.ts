// The regions' tile map (a cartogram: one equal square per region, placed as the regions lie; the five
// overseas regions as insets) and its colour classes: pure, tested in Node (test/regionTiles.test.mjs).

/** Each region's tile: INSEE code, short name, column and row (metropolitan grid; overseas: the inset row). */
export const REGION_TILES: readonly { code: string; short: string; col: number; row: number }[] = [
  { code: '28', short: 'NOR', col: 1, row: 0 },
  { code: '32', short: 'HDF', col: 2, row: 0 },
  { code: '53', short: 'BRE', col: 0, row: 1 },
  { code: '52', short: 'PDL', col: 1, row: 1 },
  { code: '11', short: 'IDF', col: 2, row: 1 },
  { code: '44', short: 'GES', col: 3, row: 1 },
  { code: '75', short: 'NAQ', col: 1, row: 2 },
  { code: '24', short: 'CVL', col: 2, row: 2 },
  { code: '27', short: 'BFC', col: 3, row: 2 },
  { code: '76', short: 'OCC', col: 2, row: 3 },
  { code: '84', short: 'ARA', col: 3, row: 3 },
  { code: '93', short: 'PAC', col: 4, row: 3 },
  { code: '94', short: 'COR', col: 4, row: 4 },
  { code: '01', short: 'GUA', col: 0, row: 6 },
  { code: '02', short: 'MTQ', col: 1, row: 6 },
  { code: '03', short: 'GUY', col: 2, row: 6 },
  { code: '04', short: 'REU', col: 3, row: 6 },
  { code: '06', short: 'MAY', col: 4, row: 6 },
];

/** Five classes, light to dark; the text on the two darkest is white. */
export const CLASSES = ['#e3f1f3', '#9fc3c9', '#4f9aa6', '#0f6473', '#083a44'];
/** The overseas insets' row, below the metropolitan grid. */
export const INSET_ROW = 6;

/** The classes' upper bounds: the values' quintiles (a region is in the first class whose bound it does not exceed). */
export function classBounds(values: number[]): number[] {
  const sorted = [...values].sort((a, b) => a - b);
  if (!sorted.length) return [];
  return [1, 2, 3, 4, 5].map((k) => sorted[Math.min(sorted.length - 1, Math.ceil((k * sorted.length) / 5) - 1)]);
}

export const classOf = (value: number, bounds: number[]) => Math.max(0, bounds.findIndex((bound) => value <= bound));
