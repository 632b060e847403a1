// « Mes demandes » and, for a regional or national team, the team's inbox: filters by status, counts per status.
import { useState } from 'preact/hooks';
import { ErrorAlert, Loading } from '../../components/Alert';
import { Page } from '../../components/Page';
import { Table } from '../../components/TableWrap';
import { formatDateTime } from '../../format';
import { useLoad } from '../../hooks';
import { navigate, type Route } from '../../router';
import { countTickets, listTickets, STATUSES, statusTone, type TicketSummary } from '../../tickets';
import { useUser } from '../../user';

export function TicketStatusBadge({ status, label }: { status: string; label: string }) {
  return <span class={`badge tone-${statusTone(status)}`}>{label}</span>;
}

function TicketTable({ tickets, caption }: { tickets: TicketSummary[]; caption: string }) {
  if (!tickets.length) return <p class="muted">Aucune demande.</p>;
  return (
    <Table
      label={caption}
      class="data tickets"
      caption={caption}
      captionHidden
      head={['Objet', 'Catégorie', 'Établissement', 'Statut', 'Équipe', 'Mise à jour']}
    >
      {tickets.map((t) => (
        <tr key={t.ticket_id} data-ticket={t.ticket_id}>
          <th scope="row">
            <a href={`#/support/${encodeURIComponent(t.ticket_id)}`}>{t.subject}</a>
          </th>
          <td>{t.category_label}</td>
          <td>{t.establishment ?? '—'}</td>
          <td>
            <TicketStatusBadge status={t.status} label={t.status_label} />
          </td>
          <td>{t.team_label}</td>
          <td>{formatDateTime(t.updated_at)}</td>
        </tr>
      ))}
    </Table>
  );
}

export function SupportList({ route }: { route: Route }) {
  const { me } = useUser();
  const profiles = me?.profiles ?? [];
  const national = profiles.some((p) => p.type === 'national' || p.type === 'admin');
  const regions = profiles.filter((p) => p.type === 'regional' && p.region).map((p) => p.region as string);
  const teams = [...(national ? ['national'] : []), ...regions.map((r) => `region:${r}`)];
  const inbox = route.query.get('vue') === 'equipe' && teams.length > 0;
  const [status, setStatus] = useState(route.query.get('statut') ?? '');
  const team = inbox ? route.query.get('equipe') ?? (national ? '' : teams[0]) : '';

  const mine = useLoad(() => listTickets(), [me?.email]);
  const listed = useLoad(() => (inbox ? listTickets({ status, team }) : Promise.resolve([])), [inbox, status, team]);
  const counts = useLoad(() => (inbox ? countTickets({ team }) : Promise.resolve(null)), [inbox, team, listed.data]);

  // A team member's own questions here (the team's are under « Demandes à traiter »); a référent also sees those of
  // their establishment.
  const own = (mine.data ?? []).filter((t) => t.mine || teams.length === 0);

  return (
    <Page title="Support" lead="Vos demandes au support et, pour les équipes régionales et nationale, les demandes à traiter.">
      <div class="actions">
        <a class="button" href="#/support/nouvelle">
          Contacter le support
        </a>
      </div>
      {teams.length > 0 && (
        <nav class="tabs" aria-label="Vues du support">
          <ul>
            <li>
              <a href="#/support" aria-current={!inbox ? 'page' : undefined}>
                Mes demandes
              </a>
            </li>
            <li>
              <a href="#/support?vue=equipe" aria-current={inbox ? 'page' : undefined}>
                Demandes à traiter
              </a>
            </li>
          </ul>
        </nav>
      )}
      {!inbox && (
        <section aria-labelledby="mes-demandes">
          <h2 id="mes-demandes">Mes demandes</h2>
          {mine.loading ? <Loading /> : <TicketTable tickets={own} caption="Mes demandes" />}
          <ErrorAlert error={mine.error} />
        </section>
      )}
      {inbox && (
        <section aria-labelledby="a-traiter">
          <h2 id="a-traiter">Demandes à traiter</h2>
          <div class="toolbar">
            {teams.length > 1 && (
              <label>
                Équipe{' '}
                <select value={team} onChange={(e) => navigate('/support', { vue: 'equipe', equipe: e.currentTarget.value || undefined })}>
                  {national && <option value="">Toutes</option>}
                  {teams.map((t) => (
                    <option key={t} value={t}>
                      {t === 'national' ? 'Équipe nationale' : `Région ${t.slice(7)}`}
                    </option>
                  ))}
                </select>
              </label>
            )}
          </div>
          <ul class="inline-badges ticket-counts" aria-label="Filtrer par statut">
            <li>
              <button type="button" class="button button-secondary" aria-pressed={status === ''} onClick={() => setStatus('')}>
                Toutes
              </button>
            </li>
            {STATUSES.map((s) => (
              <li key={s.value}>
                <button type="button" class="button button-secondary" aria-pressed={status === s.value} data-count={s.value} onClick={() => setStatus(s.value)}>
                  {s.label} <span class={`badge tone-${s.tone}`}>{counts.data?.[s.value] ?? '…'}</span>
                </button>
              </li>
            ))}
          </ul>
          {listed.loading ? <Loading /> : <TicketTable tickets={listed.data ?? []} caption="Demandes à traiter" />}
          <ErrorAlert error={listed.error ?? counts.error} />
        </section>
      )}
    </Page>
  );
}
