// « Alertes »: the rare phenotypes raised at import (DOMAIN.md §10.10) for the scopes a person follows, filtered by
// status and year; the establishment's référent and contributeurs mark one seen or handled with a comment.
// The comment is shown as text (never as HTML). The e-mail's link opens this screen on its alert (?alerte=).
import { useEffect, useId, useState } from 'preact/hooks';
import {
  acknowledgeAlert,
  ALERT_STATUSES,
  type AlertRow,
  type AlertStatus,
  alertScopes,
  alertStatusLabel,
  alertStatusTone,
  handlesAlertsOf,
  listAlerts,
} from '../../alerts';
import { ErrorAlert, Loading, StatusMessage } from '../../components/Alert';
import { Page } from '../../components/Page';
import { Table } from '../../components/TableWrap';
import { formatDate, formatDateTime } from '../../format';
import { useAction, useLoad } from '../../hooks';
import { navigate, type Route } from '../../router';
import { useUser } from '../../user';
import { yearOptions } from '../../year';

const MAX_COMMENT = 2000;

function AcknowledgeForm({ alert, onDone }: { alert: AlertRow; onDone: (row: AlertRow) => void }) {
  const id = useId();
  const [status, setStatus] = useState<AlertStatus>(alert.status === 'nouvelle' ? 'vue' : alert.status);
  const [comment, setComment] = useState(alert.comment ?? '');
  const action = useAction();
  async function submit(e: Event) {
    e.preventDefault();
    const row = await action.run(() => acknowledgeAlert(alert.alert_id, status, comment));
    if (row) onDone(row);
  }
  return (
    <form class="alert-acknowledge" onSubmit={submit} aria-label={`Suivi de l'alerte ${alert.phenotype}`}>
      <label for={`${id}-status`}>Statut</label>
      <select id={`${id}-status`} value={status} onChange={(e) => setStatus(e.currentTarget.value as AlertStatus)}>
        {ALERT_STATUSES.filter((s) => s.value !== 'nouvelle').map((s) => (
          <option key={s.value} value={s.value}>
            {s.label}
          </option>
        ))}
      </select>
      <label for={`${id}-comment`}>Commentaire</label>
      <textarea id={`${id}-comment`} rows={2} maxLength={MAX_COMMENT} value={comment} onInput={(e) => setComment(e.currentTarget.value)} />
      <button type="submit" class="button" disabled={action.busy}>
        Enregistrer
      </button>
      <ErrorAlert error={action.error} />
    </form>
  );
}

function AlertLine({ alert, names, focused, canHandle, onDone }: {
  alert: AlertRow;
  names: Record<string, string>;
  focused: boolean;
  canHandle: boolean;
  onDone: (row: AlertRow) => void;
}) {
  return (
    <tr data-alert={alert.alert_id} data-kind={alert.kind} class={focused ? 'focused' : undefined} aria-current={focused ? 'true' : undefined}>
      <td>{formatDate(alert.specimen_date)}</td>
      <td>{names[alert.finess] ?? alert.finess}</td>
      <th scope="row">
        {alert.phenotype}
        <br />
        <span class="muted">{alert.kind_label}</span>
      </th>
      <td>
        <i>{alert.species_name}</i>
      </td>
      <td>
        <span class={`badge tone-${alertStatusTone(alert.status)}`}>{alertStatusLabel(alert.status)}</span>
        {alert.updated_at && <span class="muted"> {formatDateTime(alert.updated_at)}</span>}
      </td>
      <td class="alert-comment">{alert.comment ?? '—'}</td>
      <td>{canHandle ? <AcknowledgeForm alert={alert} onDone={onDone} /> : <span class="muted">Suivi par l'établissement</span>}</td>
    </tr>
  );
}

export function AlertsPage({ route }: { route: Route }) {
  const { me } = useUser();
  const scopes = alertScopes(me);
  const scope = route.query.get('scope') ?? scopes[0]?.value ?? '';
  const status = route.query.get('statut') ?? '';
  const year = route.query.get('annee') ?? '';
  const focus = route.query.get('alerte') ?? '';
  const [saved, setSaved] = useState<string | null>(null);
  // What the person just saved, shown at once (the listing reads an index that may follow a moment later).
  const [changed, setChanged] = useState<Record<string, AlertRow>>({});
  const listed = useLoad(
    () => (scope ? listAlerts(scope, { status: status || undefined, year: year ? Number(year) : undefined }) : Promise.resolve([])),
    [scope, status, year],
  );
  useEffect(() => setChanged({}), [listed.data]);
  const names = Object.fromEntries((me?.memberships ?? []).map((m) => [m.finess, m.name]));
  const go = (changes: Record<string, string>) =>
    navigate('/alertes', { scope, statut: status, annee: year, alerte: focus, ...changes });

  useEffect(() => {
    if (focus && listed.data) document.querySelector(`[data-alert="${CSS.escape(focus)}"]`)?.scrollIntoView({ block: 'center' });
  }, [focus, listed.data]);

  function done(row: AlertRow) {
    setChanged((before) => ({ ...before, [row.alert_id]: row }));
    setSaved(`Alerte « ${row.phenotype} » : ${alertStatusLabel(row.status).toLowerCase()}.`);
  }

  return (
    <Page
      title="Alertes"
      lead="Phénotypes de résistance rares ou émergents relevés à l'import des antibiogrammes (EPC, ERG, entérobactéries résistantes à la colistine, S. aureus résistant à la vancomycine, Candidozyma auris, résistance à tous les antibiotiques testés) : une alerte par isolat retenu après dédoublonnage."
    >
      {me && scopes.length === 0 ? (
        <p class="muted">Les alertes concernent les membres d'un établissement et les équipes régionales et nationale.</p>
      ) : (
        <>
          <div class="toolbar">
            {scopes.length > 1 && (
              <label>
                Périmètre{' '}
                <select aria-label="Périmètre" value={scope} onChange={(e) => go({ scope: e.currentTarget.value, alerte: '' })}>
                  {scopes.map((s) => (
                    <option key={s.value} value={s.value}>
                      {s.label}
                    </option>
                  ))}
                </select>
              </label>
            )}
            <label>
              Statut{' '}
              <select aria-label="Filtrer par statut" value={status} onChange={(e) => go({ statut: e.currentTarget.value })}>
                <option value="">Tous</option>
                {ALERT_STATUSES.map((s) => (
                  <option key={s.value} value={s.value}>
                    {s.label}
                  </option>
                ))}
              </select>
            </label>
            <label>
              Année{' '}
              <select aria-label="Filtrer par année" value={year} onChange={(e) => go({ annee: e.currentTarget.value })}>
                <option value="">Toutes</option>
                {yearOptions().map((y) => (
                  <option key={y} value={String(y)}>
                    {y}
                  </option>
                ))}
              </select>
            </label>
          </div>
          <StatusMessage>{saved}</StatusMessage>
          <ErrorAlert error={listed.error} />
          {listed.loading && !listed.data ? (
            <Loading />
          ) : (listed.data ?? []).length === 0 ? (
            <p class="muted" data-empty>
              Aucune alerte{status ? ` au statut « ${alertStatusLabel(status).toLowerCase()} »` : ''}.
            </p>
          ) : (
            <Table
              label="Alertes"
              class="data alerts"
              caption="Alertes"
              captionHidden
              head={['Prélèvement', 'Établissement', 'Phénotype', 'Espèce', 'Statut', 'Commentaire', 'Suivi']}
            >
              {(listed.data ?? []).map((listedRow) => changed[listedRow.alert_id] ?? listedRow).map((a) => (
                <AlertLine
                  key={`${a.alert_id}-${a.status}-${a.updated_at ?? ''}`}
                  alert={a}
                  names={names}
                  focused={a.alert_id === focus}
                  canHandle={handlesAlertsOf(me, a.finess)}
                  onDone={done}
                />
              ))}
            </Table>
          )}
        </>
      )}
    </Page>
  );
}
