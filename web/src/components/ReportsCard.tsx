import { useState } from 'preact/hooks';
import { type ApiError, toApiError } from '../api';
import { saveUrl } from '../data';
import { formatDateTime, plural } from '../format';
import { useLoad } from '../hooks';
import { getReports, type ReportShelf, reportUrl, type ReportVersion } from '../reports';
import { ErrorAlert, Loading } from './Alert';
import { Table } from './TableWrap';

interface Props {
  shelf: ReportShelf;
  /** The card's heading and its anchor. */
  title?: string;
  id?: string;
  /** What the card says while the shelf holds no report (of ``year``, when given). */
  empty: string;
  /** Only this year's versions (a dashboard's year); every year otherwise. */
  year?: number;
}

/** A shelf's reports (an establishment's annual reports, a region's or the nation's synthesis), every
 * version kept, each downloadable (PDF). */
export function ReportsCard({ shelf, title = 'Rapports annuels', id = 'rapports', empty, year }: Props) {
  const reports = useLoad(() => getReports(shelf), [shelf.base]);
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState<string | null>(null);

  async function download(report: ReportVersion) {
    const key = `${report.year}-${report.version}`;
    setBusy(key);
    setError(null);
    try {
      const found = await reportUrl(shelf, report);
      saveUrl(found.url, found.filename);
    } catch (e) {
      setError(toApiError(e));
    } finally {
      setBusy(null);
    }
  }

  const list = (reports.data ?? []).filter((r) => year === undefined || r.year === year);
  return (
    <section class="card" aria-labelledby={id}>
      <h2 id={id}>{title}</h2>
      <ErrorAlert error={reports.error ?? error} />
      {reports.loading && !reports.data ? (
        <Loading />
      ) : list.length === 0 ? (
        <p class="muted">{empty}</p>
      ) : (
        <Table label={title} class="reports" head={['Année', 'Version', 'Produit le', 'Pages', 'Fichier']}>
          {list.map((r) => (
            <tr key={`${r.year}-${r.version}`}>
              <td>{r.year}</td>
              <td>{r.version}</td>
              <td>{formatDateTime(r.generated_at)}</td>
              <td>{plural(r.pages, 'page')}</td>
              <td>
                <button
                  type="button"
                  class="button button-small button-secondary"
                  disabled={busy !== null}
                  onClick={() => void download(r)}
                  aria-label={`Télécharger ${shelf.noun} ${r.year}, version ${r.version} (PDF)`}
                >
                  {busy === `${r.year}-${r.version}` ? 'Téléchargement…' : 'Télécharger (PDF)'}
                </button>
              </td>
            </tr>
          ))}
        </Table>
      )}
    </section>
  );
}
