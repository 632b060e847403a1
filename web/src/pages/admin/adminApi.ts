// Requests of the administration screens and the shapes of their answers.
import { type Establishment, request } from '../../api';
import type { Laboratory } from '../../indicators';

export interface AuditEntry {
  id: string;
  at: string;
  actor: string;
  action: string;
  target: string;
  before: Record<string, unknown> | null;
  after: Record<string, unknown> | null;
}

/** An establishment as the administrators' list shows it. */
interface AdminEstablishment extends Establishment {
  laboratories: string[];
  referent: boolean;
  members: Record<string, number>;
  pending_requests: number;
  periods: { period: string; status: string }[];
}

export interface LinkedLaboratory extends Laboratory {
  establishments: { finess: string; name: string; region: string }[];
}

export interface ProfileHolder {
  email: string;
  type: string;
  region?: string;
  first_name: string;
  last_name: string;
}

export const adminApi = {
  createEstablishment: (body: Establishment) => request<unknown>('POST', '/admin/establishments', body),
  patchEstablishment: (finess: string, body: Partial<Omit<Establishment, 'finess'>>) =>
    request<unknown>('PATCH', `/admin/establishments/${encodeURIComponent(finess)}`, body),
  establishments: async (region: string, year: number) =>
    (await request<AdminEstablishment[]>(
      'GET',
      `/admin/establishments?${new URLSearchParams({ ...(region ? { region } : {}), year: String(year) }).toString()}`,
    )) ?? [],
  laboratories: async () => (await request<LinkedLaboratory[]>('GET', '/admin/laboratories')) ?? [],
  profiles: async () => (await request<ProfileHolder[]>('GET', '/admin/profiles')) ?? [],
  createLaboratory: (body: { name: string; ears_net_code?: string }) => request<Laboratory>('POST', '/admin/laboratories', body),
  linkLaboratory: (finess: string, labId: string) =>
    request<{ laboratories?: string[] }>(
      'PUT',
      `/admin/establishments/${encodeURIComponent(finess)}/laboratories/${encodeURIComponent(labId)}`,
      {},
    ),
  grantProfile: (body: { email: string; type: string; region?: string }) => request<unknown>('POST', '/admin/profiles', body),
  revokeProfile: (email: string, type: string) =>
    request<unknown>('DELETE', `/admin/profiles/${encodeURIComponent(email)}/${encodeURIComponent(type)}`),
  audit: async (since?: string) =>
    (await request<AuditEntry[]>('GET', `/admin/audit${since ? `?since=${encodeURIComponent(since)}` : ''}`)) ?? [],
};
