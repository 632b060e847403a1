// Indicators (establishment, region, nation, open data), benchmark and periods.
import { est, request } from './api';

export type Scope = `establishment:${string}` | `region:${string}` | 'national';

export interface IndicatorRow {
  value: number | null;
  numerator?: number;
  denominator?: number;
  n?: number;
  /** "effectif_faible" when n is below the indicator's minimum. */
  flag?: string;
  /** Open data: a cell built from too few establishments or isolates. */
  suppressed?: boolean;
  /** Open data: how many establishments the cell aggregates. */
  establishments?: number;
  family?: string;
  molecule?: string;
  route?: string;
  sector?: string;
  establishment?: string;
  species?: string;
  antibiotic?: string;
  species_group?: string;
}

export interface IndicatorResult {
  indicator: string;
  scope: string;
  year: number;
  rule?: string;
  unit?: string;
  rows: IndicatorRow[];
}

export interface IndicatorMeta {
  id: string;
  label: string;
  unit: string;
  dimensions: string[];
  min_n: number;
  phenotypes?: string[];
}

export interface Benchmark {
  value: number | null;
  category: string;
  percentiles: { p10: number; p25: number; p50: number; p75: number; p90: number } | null;
  n_establishments: number;
}

export interface IndicatorQuery {
  scope: Scope;
  year: number;
  by?: string;
  phenotype?: string;
  specimen?: 'all' | 'blood';
}

function query(params: Record<string, string | number | undefined>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== '') q.set(k, String(v));
  return q.toString();
}

let metaCache: Promise<IndicatorMeta[]> | null = null;
export function getIndicatorList(): Promise<IndicatorMeta[]> {
  metaCache ??= request<IndicatorMeta[]>('GET', '/indicators').then((l) => l ?? []);
  metaCache.catch(() => (metaCache = null));
  return metaCache;
}

export const getIndicator = async (id: string, q: IndicatorQuery) => {
  const r = await request<IndicatorResult>('GET', `/indicators/${encodeURIComponent(id)}?${query({ ...q })}`);
  return { ...r, rows: r?.rows ?? [] };
};

export const getOpenIndicator = async (id: string, q: Omit<IndicatorQuery, 'by'>) => {
  const r = await request<IndicatorResult>('GET', `/open/indicators/${encodeURIComponent(id)}?${query({ ...q })}`, undefined, {
    auth: false,
  });
  return { ...r, rows: r?.rows ?? [] };
};

export const getBenchmark = (id: string, finess: string, year: number, extra: { phenotype?: string; specimen?: string } = {}) =>
  request<Benchmark>('GET', `/indicators/${encodeURIComponent(id)}/benchmark?${query({ establishment: finess, year, ...extra })}`);

/** The single value of an indicator without `by` (null when there is no data). */
export const total = (r: IndicatorResult | undefined): IndicatorRow | undefined => r?.rows[0];

// ---------------------------------------------------------------- periods and closure

export type PeriodStatus = 'open' | 'closing' | 'closed';

export interface PeriodState {
  period: string;
  datasets: string[];
  status: PeriodStatus;
}

export const getPeriods = async (finess: string, year: number) =>
  (await request<PeriodState[]>('GET', `${est(finess)}/periods?year=${year}`)) ?? [];

export const closePeriod = (finess: string, period: string) =>
  request<{ status: PeriodStatus }>('POST', `${est(finess)}/periods/${encodeURIComponent(period)}/close`, {});

export const reopenPeriod = (finess: string, period: string, reason: string) =>
  request<{ status: PeriodStatus }>(
    'POST',
    `/admin/establishments/${encodeURIComponent(finess)}/periods/${encodeURIComponent(period)}/reopen`,
    { reason },
  );

// ---------------------------------------------------------------- laboratories

export interface Laboratory {
  id: string;
  name: string;
  ears_net_code?: string | null;
}

export const getEstablishmentLaboratories = async (finess: string) =>
  (await request<Laboratory[]>('GET', `${est(finess)}/laboratories`)) ?? [];
