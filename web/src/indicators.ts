// Indicators (establishment, region, nation, open data), benchmark and periods.
import type { Answer } from './api';
import { ApiError, est, onServerChange, request } from './api';
import type * as Contract from './generated/api';
import { onSessionChange } from './session';

export type Scope = `establishment:${string}` | `region:${string}` | 'national';

/**
 * One value of an indicator: its dimensions (those of its `by`), its counts (`ci_low`/`ci_high`: the 95 %
 * interval of a percentage or a density, absent for DDJ), and what its indicator adds.
 */
export type IndicatorRow = Contract.IndicatorRow;
export type IndicatorResult = Contract.IndicatorValues;
/** aware_share: WHO's goal, at least `min` % of the DDD in the Access group. */
export type Goal = Contract.IndicatorGoal;
export type IndicatorMeta = Contract.IndicatorInfo;
export type Benchmark = Contract.Benchmark;

export interface IndicatorQuery {
  scope: Scope;
  year: number;
  by?: string;
  phenotype?: string;
  /** all | blood (densities); a specimen category's code (HEMOC, URINE…) for % R and the antibiogram. */
  specimen?: string;
  /** A care sector's code (MED, CHIR, REA…): % R and the antibiogram. */
  sector?: string;
  pair?: string;
}

function query(params: Record<string, string | number | undefined>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== '') q.set(k, String(v));
  return q.toString();
}

let metaCache: Promise<IndicatorMeta[]> | null = null;
export function getIndicatorList(): Promise<IndicatorMeta[]> {
  metaCache ??= request<Answer<'GET /api/indicators'>>('GET', '/indicators').then((l) => l ?? []);
  metaCache.catch(() => (metaCache = null));
  return metaCache;
}

export const getIndicator = async (id: string, q: IndicatorQuery) => {
  const r = await request<Answer<'GET /api/indicators/{indicator_id}'>>('GET', `/indicators/${encodeURIComponent(id)}?${query({ ...q })}`);
  return { ...r, rows: r?.rows ?? [] };
};

export const getOpenIndicator = async (id: string, q: Omit<IndicatorQuery, 'by'>) => {
  const r = await request<Answer<'GET /api/open/indicators/{indicator_id}'>>('GET', `/open/indicators/${encodeURIComponent(id)}?${query({ ...q })}`, undefined, {
    auth: false,
  });
  return { ...r, rows: r?.rows ?? [] };
};

export const getBenchmark = (id: string, finess: string, year: number, extra: { phenotype?: string; specimen?: string } = {}) =>
  request<Answer<'GET /api/indicators/{indicator_id}/benchmark'>>('GET', `/indicators/${encodeURIComponent(id)}/benchmark?${query({ establishment: finess, year, ...extra })}`);

/** The single value of an indicator without `by` (null when there is no data). */
export const total = (r: IndicatorResult | undefined): IndicatorRow | undefined => r?.rows[0];

/** An indicator the API may not serve yet: null when it answers 404 or 400 (unknown id or option). */
export async function getOptionalIndicator(id: string, q: IndicatorQuery & { pair?: string }): Promise<IndicatorResult | null> {
  try {
    const r = await request<IndicatorResult>('GET', `/indicators/${encodeURIComponent(id)}?${query({ ...q })}`);
    return { ...r, rows: r?.rows ?? [] };
  } catch (e) {
    if (e instanceof ApiError && (e.status === 404 || e.status === 400)) return null;
    throw e;
  }
}

// ---------------------------------------------------------------- trends

/** A trend's row: its year, and the value of that year (null: no data). */
export type TrendRow = IndicatorRow & { year: number };
export type TrendResult = Omit<Contract.IndicatorTrend, 'rows'> & { rows: TrendRow[] };

export interface TrendQuery {
  scope: Scope;
  from: number;
  to: number;
  phenotype?: string;
  specimen?: 'all' | 'blood';
  pair?: string;
  by?: string;
}

/** Whether the API has the trend endpoint (learnt from the first answer; retried on the next page load). */
let trendEndpoint: boolean | undefined;

/**
 * One value per year from `from` to `to` (years without data: value null), from
 * `/indicators/{id}/trend`, or year by year when the API does not have it yet.
 */
export async function getTrend(id: string, q: TrendQuery): Promise<TrendResult> {
  if (trendEndpoint !== false) {
    try {
      const r = await request<Answer<'GET /api/indicators/{indicator_id}/trend'>>('GET', `/indicators/${encodeURIComponent(id)}/trend?${query({ ...q })}`);
      trendEndpoint = true;
      const got = (r?.rows ?? []) as TrendRow[]; // a trend's rows carry their year
      const byYear = new Map(got.map((row) => [Number(row.year), row]));
      // Without `by`, one row per year of the range, in order (a missing year: no data).
      const rows = q.by ? got : yearsBetween(q.from, q.to).map((year) => byYear.get(year) ?? { year, value: null });
      return { ...r, indicator: id, scope: q.scope, from: q.from, to: q.to, rows };
    } catch (e) {
      if (!(e instanceof ApiError && e.status === 404 && trendEndpoint === undefined)) throw e;
      trendEndpoint = false;
    }
  }
  const { from, to, ...rest } = q;
  const years = yearsBetween(from, to);
  const results = await Promise.all(years.map((year) => getIndicator(id, { ...rest, year })));
  const rows = results.flatMap((r, i) =>
    q.by ? r.rows.map((row) => ({ ...row, year: years[i] })) : [{ ...(r.rows[0] ?? { value: null }), year: years[i] }],
  );
  const last = results.at(-1);
  return { indicator: id, scope: q.scope, from, to, rule: last?.rule ?? '', rule_label: last?.rule_label ?? '', unit: last?.unit ?? '', rows };
}

export const yearsBetween = (from: number, to: number) => Array.from({ length: Math.max(0, to - from + 1) }, (_, i) => from + i);

// ---------------------------------------------------------------- periods and closure

export type PeriodState = Contract.PeriodOfYear;
export type PeriodStatus = PeriodState['status'];

export const getPeriods = async (finess: string, year: number) =>
  (await request<Answer<'GET /api/establishments/{finess}/periods'>>('GET', `${est(finess)}/periods?year=${year}`)) ?? [];

export const closePeriod = (finess: string, period: string) =>
  request<Answer<'POST /api/establishments/{finess}/periods/{period}/close'>>('POST', `${est(finess)}/periods/${encodeURIComponent(period)}/close`, {});

export const reopenPeriod = (finess: string, period: string, reason: string) =>
  request<Answer<'POST /api/admin/establishments/{finess}/periods/{period}/reopen'>>(
    'POST',
    `/admin/establishments/${encodeURIComponent(finess)}/periods/${encodeURIComponent(period)}/reopen`,
    { reason },
  );

// ---------------------------------------------------------------- laboratories

export type Laboratory = Contract.Laboratory;

export const getEstablishmentLaboratories = async (finess: string) =>
  (await request<Laboratory[]>('GET', `${est(finess)}/laboratories`)) ?? [];

// ---------------------------------------------------------------- completeness

export type DatasetState = Contract.DatasetState;
/** An establishment's datasets: file type → period → state. */
export type CompletenessRow = Contract.CompletenessRow;

/** Who has sent what in a region or the nation (its regional team's, the national team's). */
export const getCompleteness = async (scope: Exclude<Scope, `establishment:${string}`>, year: number) =>
  (await request<Answer<'GET /api/completeness'>>('GET', `/completeness?scope=${encodeURIComponent(scope)}&year=${year}`)) ?? [];

// ---------------------------------------------------------------- one request per section

type BatchKind = 'values' | 'trend' | 'benchmark';
type BatchParams = Record<string, string | number | undefined>;

type BatchAnswer = Answer<'GET /api/indicator-batch'>;

/** Answers of GET /api/indicator-batch, by URL, kept a minute (a change made through the API, a login or a logout forgets them). */
const batchCache = new Map<string, { at: number; answer: Promise<BatchAnswer> }>();
const BATCH_TTL_MS = 60_000;

export function forgetIndicatorAnswers(): void {
  batchCache.clear();
}
onServerChange(forgetIndicatorAnswers);
// Another person's session (a login or logout here or in another tab) never reads the previous one's answers.
onSessionChange(forgetIndicatorAnswers);

function fetchBatch(path: string): Promise<BatchAnswer> {
  const kept = batchCache.get(path);
  if (kept && Date.now() - kept.at < BATCH_TTL_MS) return kept.answer;
  const answer = request<BatchAnswer>('GET', path);
  batchCache.set(path, { at: Date.now(), answer });
  answer.catch(() => batchCache.delete(path));
  return answer;
}

const itemText = (kind: BatchKind, id: string, params: BatchParams) =>
  [kind === 'values' ? id : `${kind}/${id}`, ...Object.entries(params).filter(([, v]) => v !== undefined && v !== '').map(([k, v]) => `${k}=${v}`)].join(':');

/**
 * The questions of one dashboard section, sent together: each call registers an item and the items
 * asked in the same turn of the event loop leave as one GET /api/indicator-batch (one request per
 * section); each promise settles as its single route would answer (an ApiError for a refusal).
 */
export function sectionBatch(scope: Scope, year: number) {
  let pending: { item: string; ok: (v: unknown) => void; fail: (e: unknown) => void }[] = [];
  const flush = () => {
    const items = pending;
    pending = [];
    const path = `/indicator-batch?${query({ scope, year, items: items.map((i) => i.item).join(',') })}`;
    fetchBatch(path).then(
      (answer) =>
        items.forEach((item, i) => {
          const result = answer?.results?.[i];
          if (result && result.status < 400) item.ok(result.body);
          else {
            const body = (result?.body ?? {}) as { code?: string; message?: string; details?: unknown[] };
            item.fail(new ApiError(result?.status ?? 0, body.code ?? 'ERR_CLIENT', body.message ?? 'Réponse incomplète du serveur.', body.details ?? []));
          }
        }),
      (error) => items.forEach((item) => item.fail(error)),
    );
  };
  function ask<T>(kind: BatchKind, id: string, params: BatchParams): Promise<T> {
    return new Promise<T>((ok, fail) => {
      if (pending.length === 0) queueMicrotask(flush);
      pending.push({ item: itemText(kind, id, params), ok: ok as (v: unknown) => void, fail });
    });
  }
  /** An item may name its own scope (e.g. each region's, in a national section). */
  type Options = Omit<IndicatorQuery, 'scope' | 'year'> & { scope?: Scope };
  return {
    indicator: async (id: string, q: Options = {}): Promise<IndicatorResult> => {
      const r = await ask<IndicatorResult>('values', id, { ...q });
      return { ...r, rows: r?.rows ?? [] };
    },
    /** An indicator the API may not serve: null when it answers 404 or 400. */
    optional: async (id: string, q: Options = {}): Promise<IndicatorResult | null> => {
      try {
        const r = await ask<IndicatorResult>('values', id, { ...q });
        return { ...r, rows: r?.rows ?? [] };
      } catch (e) {
        if (e instanceof ApiError && (e.status === 404 || e.status === 400)) return null;
        throw e;
      }
    },
    trend: async (id: string, q: Omit<TrendQuery, 'scope' | 'to'> & { to?: number }): Promise<TrendResult> => {
      const to = q.to ?? year;
      const r = await ask<TrendResult>('trend', id, { ...q, to });
      const got = (r?.rows ?? []) as TrendRow[]; // a trend's rows carry their year
      const byYear = new Map(got.map((row) => [Number(row.year), row]));
      const rows = q.by ? got : yearsBetween(q.from, to).map((y) => byYear.get(y) ?? { year: y, value: null });
      return { ...r, indicator: id, scope, from: q.from, to, rows };
    },
    benchmark: (id: string, extra: { phenotype?: string; specimen?: string } = {}) => ask<Benchmark>('benchmark', id, { ...extra }),
  };
}
