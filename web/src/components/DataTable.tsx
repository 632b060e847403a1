import type { ComponentChildren } from 'preact';
import { useState } from 'preact/hooks';
import { type CsvCell, downloadCsv, exportFilename } from '../csv';
import { formatNumber } from '../format';
import { Table } from './TableWrap';

export interface Column<T> {
  label: string;
  /** The cell's raw value (also what the CSV export writes). */
  value: (row: T) => CsvCell;
  /** How the cell is shown (default: the value, numbers in French format). */
  render?: (row: T) => ComponentChildren;
  numeric?: boolean;
  digits?: number;
  /** The first column is a row heading. */
  header?: boolean;
  /** Only in the CSV export / only on screen. */
  csvOnly?: boolean;
  screenOnly?: boolean;
}

/**
 * "CSV" and "XLSX" exports of one table (client-side, formulas neutralised). The
 * XLSX writer is loaded on first use only.
 */
export function ExportButtons({ title, header, rows }: { title: string; header: string[]; rows: CsvCell[][] }) {
  const [failed, setFailed] = useState(false);
  const empty = rows.length === 0;
  async function xlsx() {
    setFailed(false);
    try {
      const { downloadXlsx } = await import('../xlsx');
      downloadXlsx(title, exportFilename(title, 'xlsx'), header, rows);
    } catch {
      setFailed(true);
    }
  }
  return (
    <div class="export-buttons" role="group" aria-label={`Exporter : ${title}`}>
      <span class="export-label" aria-hidden="true">
        Exporter
      </span>
      <button type="button" class="button button-small button-secondary" onClick={() => downloadCsv(title, header, rows)} disabled={empty}>
        CSV<span class="sr-only"> : exporter « {title} » en CSV</span>
      </button>
      <button type="button" class="button button-small button-secondary" onClick={() => void xlsx()} disabled={empty} data-export="xlsx">
        XLSX<span class="sr-only"> : exporter « {title} » en XLSX</span>
      </button>
      {failed && (
        <span role="alert" class="export-error">
          L'export XLSX n'a pas pu être préparé : vérifiez votre connexion puis réessayez.
        </span>
      )}
    </div>
  );
}

/** Kept for the screens that export a table drawn by hand. */
export const CsvButton = ExportButtons;

/** A table of rows with its CSV and XLSX exports; `note` goes under it (flags, suppressed cells…). */
export function DataTable<T>({
  title,
  columns,
  rows,
  note,
  empty = 'Aucune donnée pour cette sélection.',
  rowClass,
  wrapHeaders,
  tableClass,
  pageSize,
}: {
  title: string;
  columns: Column<T>[];
  rows: T[];
  note?: ComponentChildren;
  empty?: string;
  rowClass?: (row: T) => string | undefined;
  /** Let long column headings wrap (wide tables). */
  wrapHeaders?: boolean;
  tableClass?: string;
  /** Rows per page on screen (the exports keep them all); none: every row at once. */
  pageSize?: number;
}) {
  const pages = pageSize ? Math.max(1, Math.ceil(rows.length / pageSize)) : 1;
  const [asked, setPage] = useState(1);
  const page = Math.min(asked, pages); // fewer rows after a filter: the last page there is
  if (rows.length === 0) return <p class="muted">{empty}</p>;
  const shown = pageSize ? rows.slice((page - 1) * pageSize, page * pageSize) : rows;
  const shownColumns = columns.filter((c) => !c.csvOnly);
  const csvColumns = columns.filter((c) => !c.screenOnly);
  const show = (c: Column<T>, r: T) => {
    if (c.render) return c.render(r);
    const v = c.value(r);
    if (typeof v === 'number') return formatNumber(v, c.digits);
    return v ?? '—';
  };
  return (
    <div class="data-table">
      <Table
        label={title}
        class={['compact', wrapHeaders && 'wrap-head', tableClass].filter(Boolean).join(' ')}
        head={shownColumns.map((c) => ({ label: c.label, numeric: c.numeric }))}
      >
        {shown.map((r, i) => (
          <tr key={i} class={rowClass?.(r)}>
            {shownColumns.map((c) =>
              c.header ? (
                <th key={c.label} scope="row">
                  {show(c, r)}
                </th>
              ) : (
                <td key={c.label} class={c.numeric ? 'num' : undefined}>
                  {show(c, r)}
                </td>
              ),
            )}
          </tr>
        ))}
      </Table>
      {pages > 1 && (
        <nav class="pager" aria-label={`Pages de « ${title} »`}>
          <button type="button" class="button button-secondary" disabled={page === 1} onClick={() => setPage(page - 1)}>
            Précédente
          </button>
          <span aria-live="polite">
            Page {formatNumber(page)} sur {formatNumber(pages)}
          </span>
          <button type="button" class="button button-secondary" disabled={page === pages} onClick={() => setPage(page + 1)}>
            Suivante
          </button>
        </nav>
      )}
      <div class="table-foot">
        {note && <p class="muted">{note}</p>}
        <ExportButtons title={title} header={csvColumns.map((c) => c.label)} rows={rows.map((r) => csvColumns.map((c) => c.value(r)))} />
      </div>
    </div>
  );
}
