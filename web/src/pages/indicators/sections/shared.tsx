// What the dashboard sections share: units, number formatting, the section frame, the small-count flag, consumption columns and the establishments' directory.
import type { ComponentChildren } from 'preact';
import { type Establishment, getEstablishments, getRegions } from '../../../api';
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
  return <span class="badge tone-todo flag">{flagLabel(row.flag)}</span>;
}

export const flagNote = (min: number) =>
  `« effectif faible » : moins de ${min} isolats ou aucune donnée, pourcentage à interpréter avec prudence.`;

export const ddjColumns = (label: string, dim: (r: IndicatorRow) => string): Column<IndicatorRow>[] => [
  { label, value: dim, header: true },
  { label: DDJ, value: (r) => r.value, numeric: true, digits: 1 },
  { label: 'DDJ', value: (r) => r.numerator, numeric: true, digits: 0 },
  { label: "Journées d'hospitalisation", value: (r) => r.denominator, numeric: true, digits: 0 },
];

export const byValue = (a: IndicatorRow, b: IndicatorRow) => (b.value ?? 0) - (a.value ?? 0);

/** The establishments of a region, or of every region for the nation. */
export async function directory(scope: Scope): Promise<Establishment[]> {
  if (scope.startsWith('region:')) return getEstablishments(scope.slice('region:'.length));
  const regions = await getRegions();
  const lists = await Promise.all(regions.map((r) => getEstablishments(r.code).catch(() => [] as Establishment[])));
  return lists.flat();
}
