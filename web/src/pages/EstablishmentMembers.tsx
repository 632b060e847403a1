import { useState } from 'preact/hooks';
import { getMembers, getPendingAccessRequests } from '../api';
import { ErrorAlert, Loading, StatusMessage } from '../components/Alert';
import { EstablishmentShell, type Rights } from '../components/EstablishmentShell';
import { MembersTable } from '../components/MembersTable';
import { PendingRequestsTable } from '../components/PendingRequestsTable';
import { useLoad } from '../hooks';

export function EstablishmentMembers({ finess }: { finess: string }) {
  return (
    <EstablishmentShell finess={finess} tab="membres" title="Membres et demandes d'accès">
      {(rights) => <Members rights={rights} />}
    </EstablishmentShell>
  );
}

function Members({ rights }: { rights: Rights }) {
  const { finess } = rights;
  const isReferent = rights.membership.status === 'referent';
  const [notice, setNotice] = useState<string | null>(null);
  const members = useLoad(() => getMembers(finess), [finess]);
  const requests = useLoad(() => (isReferent ? getPendingAccessRequests(finess) : Promise.resolve([])), [finess, isReferent]);

  function changed(message: string) {
    setNotice(message);
    members.reload();
    requests.reload();
  }

  return (
    <>
      <dl class="facts">
        <div>
          <dt>FINESS</dt>
          <dd class="mono">{finess}</dd>
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
    </>
  );
}
