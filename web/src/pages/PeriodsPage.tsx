import { useEffect, useRef, useState } from 'preact/hooks';
import { type ApiError, toApiError } from '../api';
import { ErrorAlert, Loading, StatusMessage } from '../components/Alert';
import { EstablishmentShell, establishmentHref, type Rights } from '../components/EstablishmentShell';
import { RemoveDataset } from '../components/RemoveDataset';
import { ReportsCard } from '../components/ReportsCard';
import { Table } from '../components/TableWrap';
import { YearSelect } from '../components/YearSelect';
import type { Control } from '../data';
import { plural } from '../format';
import { useLoad } from '../hooks';
import { closePeriod, getPeriods, type PeriodState } from '../indicators';
import {
  CONTROL_FIXES,
  fileTypeLabel,
  PERIOD_STATUS_LABELS,
  PERIOD_STATUS_TONES,
  periodLabel,
  periodShort,
} from '../labels';
import { establishmentShelf } from '../reports';
import { navigate, type Route } from '../router';
import { parseYear } from '../year';
import { supportHref } from '../tickets';

export function PeriodsPage({ finess, route }: { finess: string; route: Route }) {
  const year = parseYear(route.query.get('annee'));
  return (
    <EstablishmentShell
      finess={finess}
      tab="cloture"
      title="Périodes et clôture"
      lead="Clôturez une période quand ses données sont complètes et qu'aucun contrôle bloquant ne reste : ses données sont alors figées et rejoignent les analyses régionales et nationales."
    >
      {(rights) => <Periods rights={rights} year={year} />}
    </EstablishmentShell>
  );
}

function Periods({ rights, year }: { rights: Rights; year: number }) {
  const { finess } = rights;
  const periods = useLoad(() => getPeriods(finess, year), [finess, year]);
  const [asking, setAsking] = useState<string | null>(null);
  const [blocking, setBlocking] = useState<{ period: string; controls: Control[]; message: string } | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [removing, setRemoving] = useState<{ period: string; type: string } | null>(null);
  const list = periods.data ?? [];
  const closing = list.some((p) => p.status === 'closing');

  // While a closure runs, read the statuses again every second.
  useEffect(() => {
    if (!closing) return;
    const timer = setTimeout(periods.reload, 1000);
    return () => clearTimeout(timer);
  }, [closing, periods.data]);

  async function confirmClose(period: string) {
    setBusy(true);
    setError(null);
    setBlocking(null);
    setNotice(null);
    try {
      await closePeriod(finess, period);
      setNotice(`Clôture de la période « ${periodLabel(period)} » lancée : ses données sont maintenant figées.`);
      setAsking(null);
      periods.reload();
    } catch (e) {
      const err = toApiError(e);
      if (err.code === 'ERR_BLOCKING_CONTROLS') {
        setBlocking({ period, controls: err.details as Control[], message: err.message });
        setAsking(null);
      } else setError(err);
    } finally {
      setBusy(false);
    }
  }

  const allClosed = list.length > 0 && list.every((p) => p.status === 'closed');
  const showActions = rights.upload && list.some((p) => p.status !== 'closed');

  return (
    <>
      <div class="toolbar">
        <YearSelect value={year} onValue={(y) => navigate(`/etablissements/${finess}/periodes`, { annee: String(y) })} />
        <button type="button" class="button button-small button-secondary" onClick={periods.reload} disabled={periods.loading}>
          Actualiser
        </button>
      </div>
      <ErrorAlert error={periods.error ?? error} />
      <StatusMessage>{notice}</StatusMessage>
      {blocking && <BlockingControls finess={finess} year={year} {...blocking} />}
      {periods.loading && !periods.data ? (
        <Loading />
      ) : (
        periods.data && (
          <section class="card" aria-labelledby="periodes">
            <h2 id="periodes">Périodes de {year}</h2>
            {allClosed && (
              <p class="alert alert-success">
                L'année {year} est clôturée : ses données sont figées. Seule l'équipe nationale peut rouvrir une période.
              </p>
            )}
            <Table label={`Périodes de ${year}`} class="periods" head={['Période', 'Données déposées', 'Statut', showActions && 'Action']}>
              {list.map((p) => (
                <PeriodRow
                  key={p.period}
                  p={p}
                  canClose={rights.upload}
                  canRemove={rights.editStructure}
                  finess={finess}
                  removing={removing?.period === p.period ? removing.type : null}
                  onRemove={(type) => {
                    setRemoving({ period: p.period, type });
                    setAsking(null);
                    setNotice(null);
                  }}
                  onRemoved={(message) => {
                    setRemoving(null);
                    setNotice(message);
                    periods.reload();
                  }}
                  onCancelRemoval={() => setRemoving(null)}
                  showAction={showActions}
                  asking={asking === p.period}
                  busy={busy}
                  onAsk={() => {
                    setAsking(p.period);
                    setRemoving(null);
                    setNotice(null);
                  }}
                  onCancel={() => setAsking(null)}
                  onConfirm={() => void confirmClose(p.period)}
                />
              ))}
            </Table>
            <p class="muted">
              Clôturer l'année ({year}) clôture aussi ses trimestres. Une période clôturée ne peut plus recevoir de
              fichier ; pour la corriger,{' '}
              <a href={supportHref({ categorie: 'reouverture', finess, periode: String(year), objet: `Réouverture de ${year}` })} data-support="reouverture">
                demandez sa réouverture à l'équipe nationale
              </a>
              .
            </p>
          </section>
        )
      )}
      <ReportsCard
        shelf={establishmentShelf(finess)}
        empty="Aucun rapport pour l'instant : le rapport annuel est produit quand toutes les périodes d'une année sont clôturées, puis envoyé par courriel aux membres de l'établissement."
      />
    </>
  );
}

interface RowProps {
  p: PeriodState;
  canClose: boolean;
  /** The référent may remove a dataset of an open period. */
  canRemove: boolean;
  /** The type whose removal is being confirmed in this row, if any. */
  removing: string | null;
  onRemove: (type: string) => void;
  onRemoved: (message: string) => void;
  onCancelRemoval: () => void;
  finess: string;
  showAction: boolean;
  asking: boolean;
  busy: boolean;
  onAsk: () => void;
  onCancel: () => void;
  onConfirm: () => void;
}

function PeriodRow(props: RowProps) {
  const { p, canClose, canRemove, removing, showAction, asking, busy, onAsk, onCancel, onConfirm } = props;
  const confirmRef = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    if (asking) confirmRef.current?.focus();
  }, [asking]);
  return (
    <>
      <tr class={p.status === 'closed' ? 'period-closed' : undefined}>
        <th scope="row">{periodShort(p.period)}</th>
        <td>
          {!p.datasets.length ? (
            <span class="muted">Aucune</span>
          ) : canRemove && p.status === 'open' ? (
            <ul class="datasets">
              {p.datasets.map((type) => (
                <li key={type} data-dataset={type}>
                  {fileTypeLabel(type)}{' '}
                  {removing !== type && (
                    <button type="button" class="button button-small button-secondary" onClick={() => props.onRemove(type)}>
                      Retirer
                      <span class="sr-only">
                        {' '}
                        les données « {fileTypeLabel(type)} » de la période {periodLabel(p.period)}
                      </span>
                    </button>
                  )}
                </li>
              ))}
            </ul>
          ) : (
            p.datasets.map(fileTypeLabel).join(', ')
          )}
        </td>
        <td>
          <span class={`badge tone-${PERIOD_STATUS_TONES[p.status] ?? 'none'}`}>
            {p.status === 'closed' && <LockIcon />}
            {PERIOD_STATUS_LABELS[p.status] ?? p.status}
          </span>
        </td>
        {showAction && (
          <td>
            {p.status === 'open' && canClose && !asking && (
              <button type="button" class="button button-small" onClick={onAsk}>
                Clôturer<span class="sr-only"> la période {periodLabel(p.period)}</span>
              </button>
            )}
          </td>
        )}
      </tr>
      {removing && (
        <tr class="confirm-row">
          <td colSpan={4}>
            <RemoveDataset
              finess={props.finess}
              type={removing}
              period={p.period}
              onDone={props.onRemoved}
              onCancel={props.onCancelRemoval}
            />
          </td>
        </tr>
      )}
      {asking && (
        <tr class="confirm-row">
          <td colSpan={4}>
            <div class="confirm" role="group" aria-label={`Confirmer la clôture de la période ${periodLabel(p.period)}`}>
              <p>
                <strong>Clôturer la période « {periodLabel(p.period)} » ?</strong> Ses données seront figées : plus
                aucun import ne pourra les modifier, et elles seront visibles dans les analyses régionales, nationales
                et en données ouvertes. Seule l'équipe nationale pourra rouvrir la période.
              </p>
              <div class="actions">
                <button type="button" class="button" ref={confirmRef} disabled={busy} onClick={onConfirm}>
                  {busy ? 'Clôture…' : 'Confirmer la clôture'}
                </button>
                <button type="button" class="button button-secondary" disabled={busy} onClick={onCancel}>
                  Annuler
                </button>
              </div>
            </div>
          </td>
        </tr>
      )}
    </>
  );
}

function LockIcon() {
  return (
    <svg class="icon" viewBox="0 0 16 16" width="12" height="12" aria-hidden="true" focusable="false">
      <path d="M4 7V5a4 4 0 0 1 8 0v2h1v8H3V7h1zm2 0h4V5a2 2 0 0 0-4 0v2z" fill="currentColor" />
    </svg>
  );
}

function BlockingControls({
  finess,
  year,
  period,
  controls,
  message,
}: {
  finess: string;
  year: number;
  period: string;
  controls: Control[];
  message: string;
}) {
  return (
    <section class="card blocking" aria-labelledby="bloquants" role="alert">
      <h2 id="bloquants">La période « {periodLabel(period)} » ne peut pas être clôturée</h2>
      <p>{message}</p>
      <ul class="controls">
        {controls.map((c, i) => (
          <li key={`${c.id}-${i}`} class="control control-bloquant">
            <div class="control-head">
              <span class="badge tone-bad">Bloquant</span>
              <span class="control-period">{c.period ? periodLabel(c.period) : "Toute l'année"}</span>
              {typeof c.count === 'number' && <span class="muted">{plural(c.count, 'ligne')}</span>}
            </div>
            <p class="control-message">{c.message}</p>
            {CONTROL_FIXES[c.id] && (
              <p class="control-fix">
                <strong>Que faire ?</strong> {CONTROL_FIXES[c.id]}
              </p>
            )}
          </li>
        ))}
      </ul>
      <p>
        <a href={establishmentHref(finess, `/controles?annee=${year}`)}>Voir le détail des contrôles et les lignes concernées</a>
      </p>
    </section>
  );
}
