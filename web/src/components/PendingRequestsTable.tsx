import { useState } from 'preact/hooks';
import { decideAccessRequest, type GrantedRole, type PendingAccessRequest } from '../api';
import { formatDate, personName, plural, statusLabel } from '../format';
import { useAction } from '../hooks';
import { ErrorAlert } from './Alert';
import { RoleSelect } from './RoleSelect';
import { Table } from './TableWrap';

interface Props {
  finess: string;
  requests: PendingAccessRequest[];
  onChanged: (message: string) => void;
}

export function PendingRequestsTable({ finess, requests, onChanged }: Props) {
  const { busy, error, run } = useAction();
  if (requests.length === 0) return <p>Aucune demande en attente.</p>;

  async function decide(r: PendingAccessRequest, role: GrantedRole | null) {
    const who = personName(r);
    if (!role && !window.confirm(`Refuser la demande d'accès de ${who} ?`)) return;
    const done = await run(async () => {
      await decideAccessRequest(finess, r.request_id, role ? { decision: 'accept', role } : { decision: 'refuse' });
      return true;
    });
    if (done) {
      onChanged(
        role ? `Demande acceptée : ${who} est désormais ${statusLabel(role).toLowerCase()}.` : `Demande de ${who} refusée.`,
      );
    }
  }

  return (
    <>
      <p>{plural(requests.length, 'demande')} en attente.</p>
      <ErrorAlert error={error} />
      <Table label="Demandes d'accès en attente" class="cards-on-phone" head={['Personne', 'E-mail', 'Date de la demande', 'Décision']}>
        {requests.map((r) => (
          <RequestRow key={r.request_id} request={r} busy={busy} onDecide={(role) => decide(r, role)} />
        ))}
      </Table>
    </>
  );
}

interface RowProps {
  request: PendingAccessRequest;
  busy: boolean;
  onDecide: (role: GrantedRole | null) => void;
}

function RequestRow({ request, busy, onDecide }: RowProps) {
  const [role, setRole] = useState<GrantedRole>('contributeur');
  const who = personName(request);
  return (
    <tr>
      <th scope="row">{who}</th>
      <td data-label="E-mail">{request.email}</td>
      <td data-label="Demande du">{formatDate(request.created_at)}</td>
      <td data-label="Décision">
        <div class="row-actions">
          <RoleSelect label={`Rôle accordé à ${who}`} value={role} onValue={setRole} />
          <button type="button" class="button button-small" disabled={busy} onClick={() => onDecide(role)}>
            Accepter<span class="sr-only"> la demande de {who}</span>
          </button>
          <button type="button" class="button button-small button-danger" disabled={busy} onClick={() => onDecide(null)}>
            Refuser<span class="sr-only"> la demande de {who}</span>
          </button>
        </div>
      </td>
    </tr>
  );
}
