// The cumulative antibiogram (CLSI M39): its API answer and how the client asks for it.
import { request } from './api';
import { getIndicatorList, type IndicatorMeta, type Scope } from './indicators';

export interface AntibiogramRow {
  species: string;
  antibiotic: string;
  /** First isolates of the species tested for the antibiotic (S + SFP + R). */
  n: number;
  /** First isolates of the species in the scope (M39's minimum applies to them). */
  isolates: number;
  pct_s: number | null;
  pct_sfp: number | null;
  pct_r: number | null;
  /** 95 % Wilson interval of % R. */
  ci_low: number | null;
  ci_high: number | null;
  pct_s_ci: [number, number] | null;
  pct_sfp_ci: [number, number] | null;
  /** "effectif_faible": fewer than 30 isolates tested. */
  flag?: string;
}

export interface Antibiogram {
  indicator: string;
  scope: string;
  year: number;
  rule: string;
  /** The rule in French (what the page shows; the id stays in a data attribute). */
  rule_label?: string;
  filters: { specimen: string; sector: string };
  min_isolates: number;
  species_below_min: { species: string; isolates: number }[];
  rows: AntibiogramRow[];
}

export interface AntibiogramChoices {
  specimens: { code: string; label: string }[];
  sectors: string[];
  min_isolates: number;
}

export interface AntibiogramQuery {
  scope: Scope;
  year: number;
  specimen?: string;
  sector?: string;
}

export async function getAntibiogram(q: AntibiogramQuery): Promise<Antibiogram> {
  const params = new URLSearchParams({ scope: q.scope, year: String(q.year) });
  if (q.specimen && q.specimen !== 'all') params.set('specimen', q.specimen);
  if (q.sector && q.sector !== 'all') params.set('sector', q.sector);
  const r = await request<Antibiogram>('GET', `/indicators/cumulative_antibiogram?${params.toString()}`);
  if (!r) throw new Error('réponse vide');
  return { ...r, rows: r.rows ?? [], species_below_min: r.species_below_min ?? [] };
}

/** The filters the catalogue offers (specimen categories with their labels, sectors). */
export async function getAntibiogramChoices(): Promise<AntibiogramChoices> {
  // The catalogue every dashboard already asks for (kept): never a second request.
  const list = (await getIndicatorList()) as (IndicatorMeta & Partial<AntibiogramChoices>)[];
  const entry = list.find((i) => i.id === 'cumulative_antibiogram');
  return { specimens: entry?.specimens ?? [], sectors: entry?.sectors ?? [], min_isolates: entry?.min_isolates ?? 30 };
}

/** Where the printable antibiogram of a scope is. */
export const antibiogramHref = (scope: Scope, year: number) =>
  `#/indicateurs/antibiogramme?${new URLSearchParams({ perimetre: scope, annee: String(year) }).toString()}`;
