import { useState } from 'preact/hooks';
import { type ApiError, toApiError } from '../api';
import { saveUrl } from '../data';
import { formatDateTime, plural } from '../format';
import { useLoad } from '../hooks';
import { getReports, reportUrl, type ReportVersion } from '../reports';
import { ErrorAlert, Loading } from './Alert';
import { Table } from './TableWrap';

/** The establishment's annual reports, every version kept, each downloadable (PDF). */
export function ReportsCard({ finess }: { finess: string }) {
  const reports = useLoad(() => getReports(finess), [finess]);
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState<string | null>(null);

  async function download(report: ReportVersion) {
    const key = `${report.year}-${report.version}`;
    setBusy(key);
    setError(null);
    try {
      const found = await reportUrl(finess, report);
      saveUrl(found.url, found.filename);
    } catch (e) {
      setError(toApiError(e));
    } finally {
      setBusy(null);
    }
  }

  const list = reports.data ?? [];
  return (
    <section class="card" aria-labelledby="rapports">
      <h2 id="rapports">Rapports annuels</h2>
      <ErrorAlert error={reports.error ?? error} />
      {reports.loading && !reports.data ? (
        <Loading />
      ) : list.length === 0 ? (
        <p class="muted">
          Aucun rapport pour l'instant : le rapport annuel est produit quand toutes les périodes d'une année sont
          clôturées, puis envoyé par courriel aux membres de l'établissement.
        </p>
      ) : (
        <Table label="Rapports annuels" class="reports" head={['Année', 'Version', 'Produit le', 'Pages', 'Fichier']}>
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
                  aria-label={`Télécharger le rapport ${r.year}, version ${r.version} (PDF)`}
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
