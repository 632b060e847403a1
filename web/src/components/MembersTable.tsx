import { useState } from 'preact/hooks';
import { changeMemberRole, handOverReferent, type GrantedRole, type Member } from '../api';
import { formatDate, personName, plural, statusLabel } from '../format';
import { useAction } from '../hooks';
import { useUser } from '../user';
import { ErrorAlert } from './Alert';
import { RoleSelect } from './RoleSelect';
import { Table } from './TableWrap';

interface Props {
  finess: string;
  members: Member[];
  canManage: boolean;
  onChanged: (message: string) => void;
}

export function MembersTable({ finess, members, canManage, onChanged }: Props) {
  const { reloadMe } = useUser();
  const { busy, error, run } = useAction();

  async function changeRole(m: Member, role: GrantedRole) {
    const done = await run(async () => {
      await changeMemberRole(finess, m.email, role);
      return true;
    });
    if (done) onChanged(`${personName(m)} est désormais ${statusLabel(role).toLowerCase()}.`);
  }

  async function handOver(m: Member) {
    const who = personName(m);
    const ok = window.confirm(
      `Passer le rôle de référent à ${who} ? Vous ne serez plus référent de cet établissement et ne pourrez plus gérer les accès.`,
    );
    if (!ok) return;
    const done = await run(async () => {
      await handOverReferent(finess, m.email);
      return true;
    });
    if (done) {
      onChanged(`${who} est désormais référent de l'établissement.`);
      await reloadMe();
    }
  }

  if (members.length === 0) return <p>Aucun membre.</p>;
  return (
    <>
      <p>{plural(members.length, 'membre')}.</p>
      <ErrorAlert error={error} />
      <Table label="Membres de l'établissement" class="cards-on-phone" head={['Nom', 'E-mail', 'Statut', 'Depuis le', canManage && 'Gestion']}>
        {members.map((m) => (
          <MemberRow
            key={m.email}
            member={m}
            canManage={canManage}
            busy={busy}
            onRole={(role) => changeRole(m, role)}
            onHandOver={() => handOver(m)}
          />
        ))}
      </Table>
    </>
  );
}

interface RowProps {
  member: Member;
  canManage: boolean;
  busy: boolean;
  onRole: (role: GrantedRole) => void;
  onHandOver: () => void;
}

function MemberRow({ member, canManage, busy, onRole, onHandOver }: RowProps) {
  const isReferent = member.status === 'referent';
  const [role, setRole] = useState<GrantedRole>(member.status === 'observateur' ? 'observateur' : 'contributeur');
  const who = personName(member);
  return (
    <tr>
      <th scope="row">{who}</th>
      <td data-label="E-mail">{member.email}</td>
      <td data-label="Statut">
        <span class={`badge badge-${member.status}`}>{statusLabel(member.status)}</span>
      </td>
      <td data-label="Depuis le">{formatDate(member.since)}</td>
      {canManage && (
        <td data-label="Gestion">
          {isReferent ? (
            <span class="muted">—</span>
          ) : (
            <div class="row-actions">
              <RoleSelect label={`nouveau rôle de ${who}`} value={role} onValue={setRole} disabled={busy} />
              <button
                type="button"
                class="button button-small"
                disabled={busy || role === member.status}
                onClick={() => onRole(role)}
              >
                Modifier<span class="sr-only"> le rôle de {who}</span>
              </button>
              <button type="button" class="button button-small button-secondary" disabled={busy} onClick={onHandOver}>
                Passer le rôle de référent<span class="sr-only"> à {who}</span>
              </button>
            </div>
          )}
        </td>
      )}
    </tr>
  );
}
