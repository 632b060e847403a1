// The standard reports (API.md "Reports"): an establishment's, a region's synthesis, the national one.
// Each shelf lists its versions and gives each PDF's URL; the national team remakes them on demand.
import { est, request } from './api';

export interface ReportVersion {
  year: number;
  version: number;
  generated_at: string;
  pages: number;
  url: string;
}

/** Whose reports: the route listing their versions (each PDF is `{base}/{year}.pdf?version=n`). */
export interface ReportShelf {
  base: string;
  /** How a report of the shelf is named to the user: "le rapport", "la synthèse régionale"… */
  noun: string;
}

export const establishmentShelf = (finess: string): ReportShelf => ({ base: `${est(finess)}/reports`, noun: 'le rapport' });
export const regionShelf = (code: string): ReportShelf => ({
  base: `/reports/regions/${encodeURIComponent(code)}`,
  noun: 'la synthèse régionale',
});
export const nationalShelf: ReportShelf = { base: '/reports/national', noun: 'la synthèse nationale' };

export const getReports = (shelf: ReportShelf) => request<ReportVersion[]>('GET', shelf.base);

/** Asked as JSON: the server answers the presigned URL of the PDF instead of redirecting to it. */
export async function reportUrl(shelf: ReportShelf, report: ReportVersion): Promise<{ url: string; filename: string }> {
  return request<{ url: string; filename: string }>('GET', `${shelf.base}/${report.year}.pdf?version=${report.version}`);
}

export interface GenerationRequest {
  job_id: string;
  year: number;
  scope: string | null;
  status: 'running' | 'done' | 'failed';
  created_at: string;
  created_by: string;
  items: { planned: number | null; made: number; failed: number };
  failures: { scope: string; message: string }[];
  failure?: string;
}

const generationBase = (year: number) => `/admin/reports/${year}/generate`;
export const generateReports = (year: number, scope?: string) =>
  request<GenerationRequest>('POST', generationBase(year), scope ? { scope } : {});
export const getGeneration = (year: number, jobId: string) =>
  request<GenerationRequest>('GET', `${generationBase(year)}/${encodeURIComponent(jobId)}`);
