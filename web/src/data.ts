// Endpoints of an establishment's data: uploads and their reports, structure,
// beds, settings, controls, laboratory mappings and reference lists.
import { ApiError, est, NETWORK_ERROR_MESSAGE, request } from './api';

export const FILE_TYPES = ['structure', 'beds', 'patient_days', 'consumption', 'resistance'] as const;
export type FileType = (typeof FILE_TYPES)[number];

export type UploadStatus =
  | 'PENDING'
  | 'PROCESSING'
  | 'REJECTED'
  | 'NEEDS_MAPPING'
  | 'NEEDS_CATALOGUE'
  | 'VALIDATED'
  | 'DEDUPLICATED'
  | 'FAILED';

export interface Upload {
  upload_id: string;
  type: FileType;
  period: string;
  filename: string;
  size: number;
  status: UploadStatus;
  created_by?: string;
  created_at?: string;
  updated_at?: string;
  laboratory_id?: string;
  /** A year file holding quarters: the quarters it made current, each its own period. */
  periods?: string[];
}

export interface Problem {
  row?: number | null;
  column?: string | null;
  value?: unknown;
  code?: string;
  message: string;
}

export type MappingKind = 'species' | 'specimen' | 'antibiotic';
export const MAPPING_KINDS: MappingKind[] = ['species', 'specimen', 'antibiotic'];

export interface LabelMapping {
  label: string;
  state: 'unmapped' | 'proposed' | 'confirmed' | string;
  code?: string | null;
  proposed_code?: string | null;
  hints?: string[];
  /** Confirmed by a person: the laboratory's version that confirmation made, who and when. */
  version?: number;
  updated_by?: string;
  updated_at?: string;
  /** The confirmed code this one replaced. */
  previous_code?: string;
}

/** A laboratory's mapping version and its confirmed mappings, the latest change first (DOMAIN.md §10.3). */
export interface MappingChanges {
  version: number;
  mappings: (LabelMapping & { kind: MappingKind })[];
}

export interface UploadReport {
  rows_read?: number;
  rows_accepted?: number;
  errors?: Problem[];
  warnings?: Problem[];
  unmapped?: Partial<Record<MappingKind, LabelMapping[]>>;
  summary?: Record<string, unknown>;
}

export interface UploadDetail extends Upload {
  report?: UploadReport;
}

export interface PresignedUpload {
  upload_id: string;
  post: { url: string; fields: Record<string, string> };
  expires_at: string;
}

export interface Unit {
  code_uf: string;
  libelle_uf: string;
  code_ta: string;
  code_de: string;
  /** The sector in effect (derived from the DE, or the override). */
  secteur?: string | null;
  /** The référent's override, if any. */
  secteur_force?: string | null;
  specialite?: string | null;
  code_pole?: string | null;
  libelle_pole?: string | null;
  code_service?: string | null;
  libelle_service?: string | null;
}

export interface UnitBody {
  libelle_uf: string;
  code_ta: string;
  code_de: string;
  secteur?: string | null;
  specialite?: string | null;
  code_pole?: string | null;
  libelle_pole?: string | null;
  code_service?: string | null;
  libelle_service?: string | null;
}

export type Periodicity = 'quarter' | 'year';
export interface Settings {
  consumption_periodicity?: Periodicity;
  resistance_periodicity?: Periodicity;
  /** Do the year's consumption files cover antifungals (J02)? True until stated otherwise. */
  antifungals_reported?: boolean;
}

export interface Control {
  id: string;
  severity: 'bloquant' | 'avertissement';
  message: string;
  period: string | null;
  count: number;
  rows: Record<string, unknown>[];
}

export interface ReferenceEntry {
  code: string;
  label: string;
}

// ---------------------------------------------------------------- uploads

export const getUploads = (finess: string, filter: { type?: string; period?: string } = {}) => {
  const q = new URLSearchParams();
  if (filter.type) q.set('type', filter.type);
  if (filter.period) q.set('period', filter.period);
  const search = q.toString();
  return request<Upload[]>('GET', `${est(finess)}/uploads${search ? `?${search}` : ''}`);
};

export const getUpload = (finess: string, id: string) =>
  request<UploadDetail>('GET', `${est(finess)}/uploads/${encodeURIComponent(id)}`);

export const createUpload = (
  finess: string,
  body: { type: FileType; period: string; filename: string; size: number; laboratory_id?: string },
) => request<PresignedUpload>('POST', `${est(finess)}/uploads`, body);

export const resumeUpload = (finess: string, id: string) =>
  request<unknown>('POST', `${est(finess)}/uploads/${encodeURIComponent(id)}/resume`, {});

/** Removes the current data of one file type and period (référent; the reason is audited). */
export const removeDataset = (finess: string, type: string, period: string, reason: string) =>
  request<{ status: 'removed' | 'absent'; type: string; period: string }>(
    'DELETE',
    `${est(finess)}/datasets/${encodeURIComponent(type)}/${encodeURIComponent(period)}`,
    { reason },
  );

/** The annotated report: `ready` with a presigned `url`, or `preparing` (ask again after `retry_after` s). */
export interface AnnotatedReport {
  status: 'ready' | 'preparing';
  url?: string;
  filename?: string;
  message?: string;
  retry_after?: number;
}

/** Asked as JSON: the server then answers the file's URL instead of redirecting to it. */
const getAnnotatedReport = (finess: string, id: string) =>
  request<AnnotatedReport>('GET', `${est(finess)}/uploads/${encodeURIComponent(id)}/report.xlsx`);

/** How long the web client waits for an annotated report being prepared before giving up. */
const REPORT_PATIENCE_MS = 5 * 60_000;

/**
 * The annotated report's download URL, once the server has written it (large files take a
 * minute): asks again after each `Retry-After`, telling `onPreparing` the server's message.
 */
export async function annotatedReportUrl(
  finess: string,
  id: string,
  onPreparing: (message: string) => void,
  wait: (ms: number) => Promise<void> = (ms) => new Promise((done) => setTimeout(done, ms)),
): Promise<string> {
  const giveUp = Date.now() + REPORT_PATIENCE_MS;
  for (;;) {
    const answer = await getAnnotatedReport(finess, id);
    if (answer?.status === 'ready' && answer.url) return answer.url;
    if (Date.now() > giveUp)
      throw new ApiError(0, 'ERR_REPORT_PENDING', 'Le rapport est toujours en préparation : réessayez dans quelques minutes.');
    onPreparing(answer?.message || 'Rapport en préparation : il sera prêt dans quelques instants…');
    await wait(Math.min(Math.max(answer?.retry_after ?? 2, 1), 30) * 1000);
  }
}

/** Downloads a file the server signed (presigned URL, sent as an attachment). */
export function saveUrl(url: string, filename: string): void {
  const a = document.createElement('a');
  a.href = url;
  a.download = filename; // honoured on the same origin; elsewhere the attachment header names it
  a.rel = 'noopener';
  document.body.appendChild(a);
  a.click();
  a.remove();
}

export const templateUrl = (type: FileType) => `/api/templates/${type}.xlsx`;

/**
 * Sends the file to the presigned POST: every field first, the file last
 * (the storage service ignores fields after the file).
 */
export function sendFile(
  post: PresignedUpload['post'],
  file: File,
  onProgress: (sent: number, total: number) => void,
  signal?: AbortSignal,
): Promise<void> {
  return new Promise((resolve, reject) => {
    const form = new FormData();
    for (const [name, value] of Object.entries(post.fields)) form.append(name, value);
    form.append('file', file);
    const xhr = new XMLHttpRequest();
    xhr.open('POST', post.url);
    xhr.upload.onprogress = (e) => onProgress(e.loaded, e.lengthComputable ? e.total : file.size);
    xhr.onload = () => {
      if (xhr.status >= 200 && xhr.status < 300) resolve();
      else if (xhr.status === 413 || /EntityTooLarge/.test(xhr.responseText))
        reject(new ApiError(413, 'ERR_TOO_LARGE', 'Le fichier est trop volumineux.'));
      else if (/expired/i.test(xhr.responseText))
        reject(new ApiError(xhr.status, 'ERR_EXPIRED', "L'autorisation d'envoi a expiré : recommencez l'import."));
      else
        reject(new ApiError(xhr.status, 'ERR_UPLOAD', `L'envoi du fichier a échoué (code ${xhr.status}). Recommencez l'import.`));
    };
    xhr.onerror = () => reject(new ApiError(0, 'ERR_NETWORK', NETWORK_ERROR_MESSAGE));
    xhr.onabort = () => reject(new ApiError(0, 'ERR_ABORTED', "L'envoi du fichier a été annulé."));
    signal?.addEventListener('abort', () => xhr.abort());
    xhr.send(form);
  });
}

/** Offers a Blob to the user as a download. */
export function saveBlob(blob: Blob, filename: string): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

// ---------------------------------------------------------------- structure, beds, settings

export async function getUnits(finess: string): Promise<Unit[]> {
  const units = await request<Unit[]>('GET', `${est(finess)}/units`);
  return (units ?? []).map(normaliseUnit);
}

/** Reads the sector fields whatever their spelling (secteur/sector, secteur_force/sector_override). */
function normaliseUnit(raw: Unit): Unit {
  const r = raw as Unit & { sector?: string | null; sector_override?: string | null; specialty?: string | null };
  return {
    ...r,
    secteur: r.secteur ?? r.sector ?? null,
    secteur_force: r.secteur_force ?? r.sector_override ?? null,
    specialite: r.specialite ?? r.specialty ?? null,
  };
}

export const putUnit = async (finess: string, code: string, body: UnitBody) =>
  normaliseUnit(await request<Unit>('PUT', `${est(finess)}/units/${encodeURIComponent(code)}`, body));

export const deleteUnit = (finess: string, code: string) =>
  request<unknown>('DELETE', `${est(finess)}/units/${encodeURIComponent(code)}`);

export type Beds = Record<string, number>;

/**
 * The beds of a year, or null when the API does not give them back (no GET yet:
 * the screen then starts from empty inputs).
 */
export async function getBeds(finess: string, year: number): Promise<Beds | null> {
  try {
    const answer = await request<unknown>('GET', `${est(finess)}/beds/${year}`);
    const lines = Array.isArray(answer) ? answer : (answer as { beds?: unknown })?.beds;
    if (!Array.isArray(lines)) return null;
    const beds: Beds = {};
    for (const l of lines as { code_uf?: unknown; lits?: unknown }[])
      if (typeof l.code_uf === 'string' && typeof l.lits === 'number') beds[l.code_uf] = l.lits;
    return beds;
  } catch (e) {
    if (e instanceof ApiError && [404, 405].includes(e.status)) return null;
    throw e;
  }
}

export const putBeds = (finess: string, year: number, beds: { code_uf: string; lits: number }[]) =>
  request<unknown>('PUT', `${est(finess)}/beds/${year}`, beds);

export const getSettings = async (finess: string, year: number) =>
  (await request<Settings>('GET', `${est(finess)}/settings/${year}`)) ?? {};

export const putSettings = (finess: string, year: number, body: Settings) =>
  request<Settings>('PUT', `${est(finess)}/settings/${year}`, body);

export const getControls = async (finess: string, year: number) =>
  (await request<Control[]>('GET', `${est(finess)}/controls?year=${year}`)) ?? [];

// ---------------------------------------------------------------- mappings and reference lists

const lab = (id: string) => `/laboratories/${encodeURIComponent(id)}`;

export const putMappings = (labId: string, kind: MappingKind, items: { label: string; code: string }[]) =>
  request<LabelMapping[]>('PUT', `${lab(labId)}/mappings/${kind}`, items);

export const confirmProposals = (labId: string, kind: MappingKind) =>
  request<LabelMapping[]>('POST', `${lab(labId)}/mappings/${kind}/confirm-proposals`, {});

const referenceCache = new Map<MappingKind, Promise<ReferenceEntry[]>>();

/** One reference list as {code, label}, loaded once per page load. */
export function getReference(kind: MappingKind): Promise<ReferenceEntry[]> {
  let cached = referenceCache.get(kind);
  if (!cached) {
    const path = { species: 'species', specimen: 'specimen-categories', antibiotic: 'antibiotics' }[kind];
    cached = request<{ code: string; name?: string; label?: string }[]>('GET', `/reference/${path}`, undefined, {
      auth: false,
    }).then((list) =>
      (list ?? [])
        .map((r) => ({ code: r.code, label: r.name ?? r.label ?? r.code }))
        .sort((a, b) => a.label.localeCompare(b.label, 'fr')),
    );
    cached.catch(() => referenceCache.delete(kind));
    referenceCache.set(kind, cached);
  }
  return cached;
}

export const getMappingChanges = (labId: string) => request<MappingChanges>('GET', `${lab(labId)}/mappings/changes`);

export const getMappings = (labId: string, kind: MappingKind) =>
  request<LabelMapping[]>('GET', `${lab(labId)}/mappings?kind=${kind}`);
