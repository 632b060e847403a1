// The establishment's standard reports (API.md "Reports"): the versions kept, and each PDF's URL.
import { est, request } from './api';

export interface ReportVersion {
  year: number;
  version: number;
  generated_at: string;
  pages: number;
  url: string;
}

export const getReports = (finess: string) => request<ReportVersion[]>('GET', `${est(finess)}/reports`);

/** Asked as JSON: the server answers the presigned URL of the PDF instead of redirecting to it. */
export async function reportUrl(finess: string, report: ReportVersion): Promise<{ url: string; filename: string }> {
  const path = `${est(finess)}/reports/${report.year}.pdf?version=${report.version}`;
  return request<{ url: string; filename: string }>('GET', path);
}
