// Dashboard section: who has sent what — each establishment × file type × period of the year
// (absent, imported, waiting, closed), with counts per state, a search and pages of 50.
import { useMemo, useState } from 'preact/hooks';
import { ErrorAlert, Loading } from '../../../components/Alert';
import { ExportButtons } from '../../../components/DataTable';
import { Table } from '../../../components/TableWrap';
import { FILE_TYPE_LABELS } from '../../../labels';
import { useLoad } from '../../../hooks';
import { type CompletenessRow, type DatasetState, getCompleteness } from '../../../indicators';
import { Section } from './shared';

const STATES: { id: DatasetState; label: string; plural: string; tone: string }[] = [
  { id: 'closed', label: 'Clôturée', plural: 'Clôturées', tone: 'ok' },
  { id: 'imported', label: 'Importée', plural: 'Importées', tone: 'wait' },
  { id: 'waiting', label: 'En attente', plural: 'En attente', tone: 'todo' },
  { id: 'absent', label: 'Absente', plural: 'Absentes', tone: 'none' },
];
const STATE = Object.fromEntries(STATES.map((s) => [s.id, s]));
const TYPES = Object.keys(FILE_TYPE_LABELS) as (keyof typeof FILE_TYPE_LABELS)[];
const PAGE = 50;

/** "T1", "T2"… or "Année" for a period of the year. */
const short = (period: string) => /-(T[1-4])$/.exec(period)?.[1] ?? 'Année';
const complete = (row: CompletenessRow) =>
  Object.values(row.datasets).every((periods) => Object.values(periods).every((s) => s === 'closed'));

export function CompletenessSection({ scope, year }: { scope: 'national' | `region:${string}`; year: number }) {
  const data = useLoad(() => getCompleteness(scope, year), [scope, year]);
  const [search, setSearch] = useState('');
  const [onlyIncomplete, setOnlyIncomplete] = useState(false);
  const [shown, setShown] = useState(PAGE);
  const rows = data.data ?? [];
  const counts = useMemo(() => {
    const found: Record<DatasetState, number> = { closed: 0, imported: 0, waiting: 0, absent: 0 };
    for (const row of rows) for (const periods of Object.values(row.datasets)) for (const s of Object.values(periods)) found[s] += 1;
    return found;
  }, [rows]);
  const needle = search.trim().toLowerCase();
  const filtered = rows.filter(
    (r) => (!onlyIncomplete || !complete(r)) && (!needle || r.name.toLowerCase().includes(needle) || r.finess.includes(needle)),
  );
  const completeCount = rows.filter(complete).length;
  return (
    <Section
      id="completude"
      title="Complétude"
      lead="Ce que chaque établissement a envoyé pour l'année, par type de fichier et par période : absente, importée, en attente (correspondances ou catalogue), clôturée."
    >
      {data.loading && <Loading />}
      <ErrorAlert error={data.error} />
      {data.data && (
        <>
          <p class="completeness-counts" data-testid="completeness-counts">
            <strong>
              {completeCount} établissement{completeCount > 1 ? 's' : ''} sur {rows.length}
            </strong>{' '}
            {completeCount > 1 ? 'ont' : 'a'} clôturé toute l'année {year}.{' '}
            {STATES.map((s) => (
              <span key={s.id} class={`badge tone-${s.tone}`} data-state={s.id}>
                {s.plural} : {counts[s.id]}
              </span>
            ))}
          </p>
          <div class="toolbar">
            <label class="field-inline">
              Rechercher un établissement{' '}
              <input type="search" value={search} onInput={(e) => { setSearch(e.currentTarget.value); setShown(PAGE); }} />
            </label>
            <label class="field-inline">
              <input type="checkbox" checked={onlyIncomplete} onChange={(e) => { setOnlyIncomplete(e.currentTarget.checked); setShown(PAGE); }} />{' '}
              Seulement les établissements incomplets
            </label>
          </div>
          {filtered.length === 0 ? (
            <p class="muted">Aucun établissement pour cette sélection.</p>
          ) : (
            <CompletenessTable rows={filtered.slice(0, shown)} />
          )}
          <div class="table-foot">
            <p class="muted">
              {Math.min(shown, filtered.length)} établissement{filtered.length > 1 ? 's' : ''} affiché{filtered.length > 1 ? 's' : ''} sur {filtered.length}.
            </p>
            {shown < filtered.length && (
              <button type="button" class="button button-small button-secondary" onClick={() => setShown(shown + PAGE)}>
                Afficher {Math.min(PAGE, filtered.length - shown)} de plus
              </button>
            )}
            <ExportButtons
              title={`Complétude ${year}`}
              header={['FINESS', 'Établissement', 'Région', ...TYPES.map((t) => FILE_TYPE_LABELS[t])]}
              rows={filtered.map((r) => [r.finess, r.name, r.region, ...TYPES.map((t) => summary(r, t))])}
            />
          </div>
        </>
      )}
    </Section>
  );
}

/** "T1 clôturée, T2 absente…": one file type of one establishment, in words (exports, screen readers). */
const summary = (row: CompletenessRow, type: string) =>
  Object.entries(row.datasets[type] ?? {})
    .map(([p, s]) => `${short(p)} ${STATE[s].label.toLowerCase()}`)
    .join(', ');

function CompletenessTable({ rows }: { rows: CompletenessRow[] }) {
  return (
    <Table
      label="Complétude par établissement"
      class="compact wrap-head completeness"
      caption="Complétude par établissement"
      captionHidden
      head={['Établissement', ...TYPES.map((t) => FILE_TYPE_LABELS[t])]}
    >
      {rows.map((r) => (
        <tr key={r.finess} data-finess={r.finess}>
          <th scope="row">
            <a href={`#/indicateurs/etablissements/${encodeURIComponent(r.finess)}`}>{r.name}</a>
            <span class="muted"> {r.finess}</span>
          </th>
          {TYPES.map((t) => (
            <td key={t}>
              <ul class="inline-badges" aria-label={`${FILE_TYPE_LABELS[t]} : ${summary(r, t)}`}>
                {Object.entries(r.datasets[t] ?? {}).map(([p, s]) => (
                  <li key={p} class={`badge tone-${STATE[s].tone}`} title={`${p} : ${STATE[s].label.toLowerCase()}`} data-state={s}>
                    {short(p)} <span class="sr-only">{STATE[s].label.toLowerCase()}</span>
                    <span aria-hidden="true">{STATE[s].tone === 'ok' ? '✓' : s === 'absent' ? '—' : s === 'waiting' ? '…' : '•'}</span>
                  </li>
                ))}
              </ul>
            </td>
          ))}
        </tr>
      ))}
    </Table>
  );
}
