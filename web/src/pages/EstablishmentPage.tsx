import { useState } from 'preact/hooks';
import { getMembers, getPendingAccessRequests, type Membership } from '../api';
import { ErrorAlert, Loading, StatusMessage } from '../components/Alert';
import { MembersTable } from '../components/MembersTable';
import { Page } from '../components/Page';
import { PendingRequestsTable } from '../components/PendingRequestsTable';
import { statusLabel } from '../format';
import { useLoad } from '../hooks';
import { useUser } from '../user';

export function EstablishmentPage({ finess }: { finess: string }) {
  const { me, meError } = useUser();
  if (!me) return <Page title="Établissement">{meError ? <ErrorAlert error={meError} /> : <Loading />}</Page>;

  const membership = me.memberships.find((m) => m.finess === finess);
  if (!membership) {
    return (
      <Page title="Établissement">
        <div role="alert" class="alert alert-error">
          <p>Vous n'êtes pas membre de cet établissement (FINESS {finess}).</p>
        </div>
        <p>
          <a href="#/demande-acces">Demander l'accès à un établissement</a> ou <a href="#/espace">revenir à mon espace</a>.
        </p>
      </Page>
    );
  }
  return <MemberView membership={membership} />;
}

function MemberView({ membership }: { membership: Membership }) {
  const { finess } = membership;
  const isReferent = membership.status === 'referent';
  const [notice, setNotice] = useState<string | null>(null);
  const members = useLoad(() => getMembers(finess), [finess]);
  const requests = useLoad(() => (isReferent ? getPendingAccessRequests(finess) : Promise.resolve([])), [finess, isReferent]);

  function changed(message: string) {
    setNotice(message);
    members.reload();
    requests.reload();
  }

  return (
    <Page title={membership.name}>
      <dl class="facts">
        <div>
          <dt>FINESS</dt>
          <dd class="mono">{finess}</dd>
        </div>
        <div>
          <dt>Mon statut</dt>
          <dd>
            <span class={`badge badge-${membership.status}`}>{statusLabel(membership.status)}</span>
          </dd>
        </div>
      </dl>
      <StatusMessage>{notice}</StatusMessage>

      {isReferent && (
        <section class="card" aria-labelledby="demandes">
          <h2 id="demandes">Demandes d'accès en attente</h2>
          <ErrorAlert error={requests.error} />
          {requests.loading && !requests.data ? (
            <Loading />
          ) : (
            requests.data && <PendingRequestsTable finess={finess} requests={requests.data} onChanged={changed} />
          )}
        </section>
      )}

      <section class="card" aria-labelledby="membres">
        <h2 id="membres">Membres de l'établissement</h2>
        {!isReferent && <p class="muted">Seul le référent gère les accès et les rôles.</p>}
        {members.error?.status === 403 ? (
          <p>La liste des membres est réservée au référent.</p>
        ) : (
          <ErrorAlert error={members.error} />
        )}
        {members.loading && !members.data ? (
          <Loading />
        ) : (
          members.data && (
            <MembersTable finess={finess} members={members.data} canManage={isReferent} onChanged={changed} />
          )
        )}
      </section>
    </Page>
  );
}
