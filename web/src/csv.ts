// Client-side CSV export of the tables (French Excel flavour: ";" separator, decimal
// comma, UTF-8 with BOM). Text cells that a spreadsheet would read as a formula
// (starting with = + - @, tab or carriage return) are neutralised with a leading "'".
import { saveBlob } from './data';

export type CsvCell = string | number | null | undefined | boolean;

const FORMULA_START = /^[=+\-@\t\r]/;

export function csvCell(value: CsvCell): string {
  if (value === null || value === undefined) return '';
  let text: string;
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) return '';
    text = String(value).replace('.', ',');
  } else if (typeof value === 'boolean') {
    text = value ? 'oui' : 'non';
  } else {
    text = FORMULA_START.test(value) ? `'${value}` : value;
  }
  return /[";\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function toCsv(header: string[], rows: CsvCell[][]): string {
  return [header, ...rows].map((r) => r.map(csvCell).join(';')).join('\r\n') + '\r\n';
}

/** "Consommation par famille 2025", "xlsx" → "consommation-par-famille-2025.xlsx". */
export function exportFilename(title: string, extension: 'csv' | 'xlsx'): string {
  const slug = title
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
  return `${slug || 'export'}.${extension}`;
}

export const csvFilename = (title: string) => exportFilename(title, 'csv');

export function downloadCsv(title: string, header: string[], rows: CsvCell[][]): void {
  const blob = new Blob(['\ufeff', toCsv(header, rows)], { type: 'text/csv;charset=utf-8' });
  saveBlob(blob, csvFilename(title));
}
