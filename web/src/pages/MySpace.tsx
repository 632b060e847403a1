import { useEffect } from 'preact/hooks';
import { getRegions, type Me, type Region } from '../api';
import { ErrorAlert, Loading } from '../components/Alert';
import { Page } from '../components/Page';
import { Table } from '../components/TableWrap';
import { formatDate, plural, profileLabel, statusLabel } from '../format';
import { useLoad } from '../hooks';
import { useUser } from '../user';
import { MySecondFactor } from './MySecondFactor';

export function MySpace() {
  const { me, meError, reloadMe } = useUser();

  // Always show fresh memberships (a request may have been accepted meanwhile).
  useEffect(() => {
    void reloadMe();
  }, []);

  return (
    <Page title="Mon espace" lead={me ? `Bonjour ${me.first_name || me.email}.` : undefined}>
      <ErrorAlert error={meError} />
      {!me ? (
        !meError && <Loading />
      ) : (
        <>
          <div class="actions">
            <a class="button" href="#/demande-acces">
              Demander l'accès à un établissement
            </a>
          </div>
          <Memberships me={me} />
          <PendingRequests me={me} />
          <Profiles me={me} />
          <MySecondFactor me={me} />
        </>
      )}
    </Page>
  );
}

function Memberships({ me }: { me: Me }) {
  return (
    <section class="card" aria-labelledby="mes-etablissements">
      <h2 id="mes-etablissements">Mes établissements</h2>
      {me.memberships.length === 0 ? (
        <p>Vous n'êtes membre d'aucun établissement pour l'instant.</p>
      ) : (
        <Table label="Mes établissements" head={['Établissement', 'FINESS', 'Mon statut']}>
          {me.memberships.map((m) => (
            <tr key={m.finess}>
              <td>
                <a href={`#/etablissements/${encodeURIComponent(m.finess)}`}>{m.name}</a>
              </td>
              <td class="mono">{m.finess}</td>
              <td>
                <span class={`badge badge-${m.status}`}>{statusLabel(m.status)}</span>
              </td>
            </tr>
          ))}
        </Table>
      )}
    </section>
  );
}

function PendingRequests({ me }: { me: Me }) {
  const requests = me.pending_requests;
  return (
    <section class="card" aria-labelledby="mes-demandes">
      <h2 id="mes-demandes">Mes demandes d'accès en attente</h2>
      {requests.length === 0 ? (
        <p>Aucune demande en attente.</p>
      ) : (
        <>
          <p>
            {plural(requests.length, 'demande')} en attente de la décision du référent de l'établissement.
          </p>
          <ul class="plain-list">
            {requests.map((r, i) => (
              <li key={r.request_id ?? i}>
                <strong>{r.name ?? 'Établissement'}</strong>
                {r.finess && <span class="mono"> — FINESS {r.finess}</span>}
                {r.created_at && <span class="muted"> — demandée le {formatDate(r.created_at)}</span>}
              </li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}

function Profiles({ me }: { me: Me }) {
  const needsRegions = me.profiles.some((p) => p.region);
  const regions = useLoad<Region[]>(() => (needsRegions ? getRegions() : Promise.resolve([])), [needsRegions]);
  const regionName = (code: string) => regions.data?.find((r) => r.code === code)?.name ?? `région ${code}`;

  return (
    <section class="card" aria-labelledby="mes-profils">
      <h2 id="mes-profils">Mes profils</h2>
      {me.profiles.length === 0 ? (
        <p>Aucun profil régional ou national. Vous accédez aux données des établissements dont vous êtes membre.</p>
      ) : (
        <ul class="plain-list">
          {me.profiles.map((p) => (
            <li key={`${p.type}-${p.region ?? ''}`}>
              <strong>{profileLabel(p.type)}</strong>
              {p.region && ` — ${regionName(p.region)}`}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
