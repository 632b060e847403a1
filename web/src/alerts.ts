// Alerts on rare phenotypes (API.md "Follow-up", docs/api-extensions.md): types, labels and one function per route.
import type { Answer, Me } from './api';
import { request } from './api';
import type * as Contract from './generated/api';

export type AlertStatus = Contract.AlertStatus;

export const ALERT_STATUSES: { value: AlertStatus; label: string; tone: string }[] = [
  { value: 'nouvelle', label: 'Nouvelle', tone: 'bad' },
  { value: 'vue', label: 'Vue', tone: 'todo' },
  { value: 'traitée', label: 'Traitée', tone: 'ok' },
];

export const alertStatusLabel = (s: string) => ALERT_STATUSES.find((x) => x.value === s)?.label ?? s;
export const alertStatusTone = (s: string) => ALERT_STATUSES.find((x) => x.value === s)?.tone ?? 'none';

export type AlertRow = Contract.Alert;
export type AlertCounts = Contract.AlertCounts;

function query(params: Record<string, string | number | undefined>): string {
  const search = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== '') search.set(k, String(v));
  return search.toString();
}

export const listAlerts = (scope: string, filters: { year?: number; status?: string } = {}) =>
  request<Answer<'GET /api/alerts'>>('GET', `/alerts?${query({ scope, year: filters.year, status: filters.status })}`);

export const countAlerts = (scope: string, year?: number) => request<Answer<'GET /api/alerts/counts'>>('GET', `/alerts/counts?${query({ scope, year })}`);

export const acknowledgeAlert = (alertId: string, status: AlertStatus, comment?: string) =>
  request<Answer<'PATCH /api/alerts/{alert_id}'>>('PATCH', `/alerts/${encodeURIComponent(alertId)}`, comment === undefined ? { status } : { status, comment });

/** The scopes whose alerts a person follows: their establishments, their regions, the nation for the national team. */
export function alertScopes(me: Me | null): { value: string; label: string }[] {
  if (!me) return [];
  const scopes = me.memberships.map((m) => ({ value: `establishment:${m.finess}`, label: m.name }));
  for (const p of me.profiles) if (p.type === 'regional' && p.region) scopes.push({ value: `region:${p.region}`, label: `Région ${p.region}` });
  if (me.profiles.some((p) => p.type === 'national' || p.type === 'admin')) scopes.push({ value: 'national', label: 'France entière' });
  return scopes;
}

/** Whether this person handles the establishment's alerts (its référent and contributeurs). */
export const handlesAlertsOf = (me: Me | null, finess: string) =>
  !!me?.memberships.some((m) => m.finess === finess && (m.status === 'referent' || m.status === 'contributeur'));
