// What the dashboard sections share: units, number formatting, the section frame, the small-count flag, consumption columns and the establishments' directory.
import type { ComponentChildren } from 'preact';
import { type Establishment, getEstablishments } from '../../../api';
import type { Column } from '../../../components/DataTable';
import { formatNumber } from '../../../format';
import { flagLabel } from '../../../indicatorLabels';
import type { IndicatorRow, Scope } from '../../../indicators';

export interface ScopeProps {
  scope: Scope;
  year: number;
}

// Non-breaking spaces: a unit never wraps inside a column heading.
export const DDJ = 'DDJ/1000\u00a0JH';
export const DENSITY = '/1000\u00a0JH';

export const fmt = (v: number | null | undefined, digits = 1) => formatNumber(v ?? null, digits);
/** "371,4 DDJ/1000 JH", or "—" alone when there is no value. */
export const withUnit = (v: number | null | undefined, unit: string, digits = 1) => (v == null ? '—' : `${fmt(v, digits)} ${unit}`);

/** A row, a benchmark or an open-data cell: whatever carries a 95 % interval. */
export type WithInterval = Pick<IndicatorRow, 'ci_low' | 'ci_high'>;

/** "12,3–45,6": the 95 % interval of a row, or null when it has none (DDJ, no denominator). */
export const ciText = (r: WithInterval | undefined | null, digits = 1): string | null =>
  r && r.ci_low != null && r.ci_high != null ? `${fmt(r.ci_low, digits)}–${fmt(r.ci_high, digits)}` : null;

/** " (IC 95 % 12,3–45,6)" after a value in a tooltip or a card; "" without interval. */
export const ciSuffix = (r: WithInterval | undefined | null, digits = 1): string => {
  const text = ciText(r, digits);
  return text ? ` (IC 95 % ${text})` : '';
};

/**
 * The interval of a row in a table: one column on screen ("IC 95 %"), unless `exportOnly`
 * (a wide table), and its two bounds in the exports.
 */
export function ciColumns<T>(label: string, row: (line: T) => WithInterval | undefined, digits = 1, exportOnly = false): Column<T>[] {
  return [
    ...(exportOnly
      ? []
      : [{ label: `IC 95 %${label ? ` ${label}` : ''}`, value: (l: T) => ciText(row(l), digits), numeric: true, screenOnly: true,
           render: (l: T) => <span class="ci nowrap">{ciText(row(l), digits) ?? '—'}</span> }]),
    { label: `IC 95 % bas${label ? ` ${label}` : ''}`, value: (l) => row(l)?.ci_low ?? null, csvOnly: true },
    { label: `IC 95 % haut${label ? ` ${label}` : ''}`, value: (l) => row(l)?.ci_high ?? null, csvOnly: true },
  ];
}

/** What the intervals are, under a table or a chart that shows them. */
export const CI_NOTE =
  'IC 95 % : intervalle de confiance à 95 % (Wilson pour un pourcentage, Poisson exact pour une densité ; aucun pour les DDJ, qui ne sont pas des effectifs).';

export function Section({ id, title, children, lead }: { id: string; title: string; lead?: ComponentChildren; children: ComponentChildren }) {
  return (
    <section class="card dash-section" aria-labelledby={id}>
      <h2 id={id}>{title}</h2>
      {lead && <p class="muted">{lead}</p>}
      {children}
    </section>
  );
}

export function Flag({ row }: { row?: IndicatorRow }) {
  if (!row?.flag) return null;
  // A cell without any data is said so: "effectif faible" is for a value computed on too few.
  if (row.value == null || row.n === 0) return <span class="badge tone-none flag">aucune donnée</span>;
  return <span class="badge tone-todo flag">{flagLabel(row.flag)}</span>;
}

export const flagNote = (min: number) =>
  `« effectif faible » : moins de ${min} isolats, pourcentage à interpréter avec prudence ; « aucune donnée » : aucun isolat.`;

export const ddjColumns = (label: string, dim: (r: IndicatorRow) => string): Column<IndicatorRow>[] => [
  { label, value: dim, header: true },
  { label: DDJ, value: (r) => r.value, numeric: true, digits: 1 },
  { label: 'DDJ', value: (r) => r.numerator, numeric: true, digits: 0 },
  { label: "Journées d'hospitalisation", value: (r) => r.denominator, numeric: true, digits: 0 },
];

export const byValue = (a: IndicatorRow, b: IndicatorRow) => (b.value ?? 0) - (a.value ?? 0);

/** by=period: "1er trimestre", "2e trimestre"…; a year sent at once: "Année entière". */
export const periodLabel = (period: string | null | undefined) => {
  const quarter = period?.split('-T')[1];
  return quarter ? `${quarter === '1' ? '1er' : `${quarter}e`} trimestre` : 'Année entière';
};
/** Quarters in order, the whole year (yearly senders) last; by code point (a locale's order ignores the "~"). */
export const periodOrder = (a: string | null | undefined, b: string | null | undefined) => {
  const [x, y] = [a, b].map((p) => (p?.includes('-T') ? p : `~${p}`));
  return x < y ? -1 : x > y ? 1 : 0;
};
export const byPeriod = (a: IndicatorRow, b: IndicatorRow) => periodOrder(a.period, b.period);

/** The establishments of a region, or of every region for the nation. */
export function directory(scope: Scope): Promise<Establishment[]> {
  return getEstablishments(scope.startsWith('region:') ? scope.slice('region:'.length) : undefined);
}
