// A national or regional list of establishments as one indicator ranks them: sorted by value,
// searched by name or FINESS, cut into pages. Pure (no DOM, no request): unit-tested with many rows.

export interface Ranked {
  finess: string;
  name: string;
  value: number | null;
}

export interface RankingPage<T extends Ranked> {
  /** The rows of the page, each with its rank among all the ranked rows (1 = highest value). */
  rows: (T & { rank: number })[];
  /** 1-based, within 1..pages. */
  page: number;
  pages: number;
  /** Rows matching the search (all pages). */
  matching: number;
  /** Rows ranked (search aside). */
  total: number;
}

/** Lower case, without accents or extra spaces: "Hôpital  St-Éloi" and "hopital st-eloi" match. */
export const searchKey = (text: string) =>
  text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/\s+/g, ' ')
    .trim();

/** Highest value first; equal values (and rows without value, always last) by name. */
export function rank<T extends Ranked>(rows: T[]): (T & { rank: number })[] {
  const sorted = [...rows].sort(
    (a, b) =>
      (a.value === null ? 1 : 0) - (b.value === null ? 1 : 0) ||
      (b.value ?? 0) - (a.value ?? 0) ||
      a.name.localeCompare(b.name, 'fr') ||
      a.finess.localeCompare(b.finess),
  );
  return sorted.map((row, i) => ({ ...row, rank: i + 1 }));
}

/** The rows matching `search` (words of the name, or the start of the FINESS), on page `page`. */
export function rankingPage<T extends Ranked>(rows: T[], search: string, page: number, pageSize: number): RankingPage<T> {
  const ranked = rank(rows);
  const words = searchKey(search).split(' ').filter(Boolean);
  const matching = words.length === 0 ? ranked : ranked.filter((r) => matches(r, words));
  const size = Math.max(1, Math.floor(pageSize));
  const pages = Math.max(1, Math.ceil(matching.length / size));
  const current = Math.min(Math.max(1, Math.floor(page) || 1), pages);
  return {
    rows: matching.slice((current - 1) * size, current * size),
    page: current,
    pages,
    matching: matching.length,
    total: ranked.length,
  };
}

/** The page on which the establishment `finess` is (search aside), or null when it is not ranked. */
export function pageOf<T extends Ranked>(rows: T[], finess: string, pageSize: number): number | null {
  const i = rank(rows).findIndex((r) => r.finess === finess);
  return i < 0 ? null : Math.floor(i / Math.max(1, Math.floor(pageSize))) + 1;
}

function matches(row: Ranked, words: string[]): boolean {
  const name = searchKey(row.name);
  const finess = row.finess.replace(/\s/g, '');
  return words.every((w) => name.includes(w) || finess.startsWith(w.replace(/\s/g, '')));
}
