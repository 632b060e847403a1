import { useId, useState } from 'preact/hooks';
import { ErrorAlert, Loading, StatusMessage } from '../components/Alert';
import { EstablishmentShell, type Rights } from '../components/EstablishmentShell';
import { Table } from '../components/TableWrap';
import { getMappingChanges, getReference, putMappings, type LabelMapping, type MappingKind } from '../data';
import { formatDateTime } from '../format';
import { useAction, useLoad } from '../hooks';
import { MAPPING_KIND_LABELS } from '../labels';

/** A laboratory's confirmed mappings: who changed what, and (référent) changing one (DOMAIN.md §10.3). */
export function LaboratoryMappingsPage({ finess, labId }: { finess: string; labId: string }) {
  return (
    <EstablishmentShell finess={finess} tab="import" title="Correspondances du laboratoire">
      {(rights) => <MappingsView rights={rights} labId={labId} />}
    </EstablishmentShell>
  );
}

type Row = LabelMapping & { kind: MappingKind };

function MappingsView({ rights, labId }: { rights: Rights; labId: string }) {
  const changes = useLoad(() => getMappingChanges(labId), [labId]);
  const [done, setDone] = useState<string | null>(null);
  const canChange = rights.membership.status === 'referent';

  if (!changes.data) return changes.error ? <ErrorAlert error={changes.error} /> : <Loading />;
  const { version, mappings } = changes.data;

  return (
    <section class="card" aria-labelledby="table-correspondances">
      <h2 id="table-correspondances">Table de correspondances — version {version}</h2>
      <p>
        Ces correspondances valent pour tous les établissements que sert ce laboratoire. Une modification s'applique à
        leurs prochains imports et leurs référents sont prévenus par courriel ; les imports déjà intégrés gardent leur
        résultat jusqu'à ce que leur fichier soit renvoyé, et les périodes clôturées ne changent pas.
      </p>
      {!canChange && <p class="muted">Seul le référent de l'établissement modifie une correspondance confirmée.</p>}
      {done && <StatusMessage>{done}</StatusMessage>}
      {mappings.length === 0 ? (
        <p>Aucune correspondance confirmée pour ce laboratoire.</p>
      ) : (
        <Table
          label="Correspondances confirmées"
          class="compact"
          caption="Correspondances confirmées, la dernière modifiée d'abord"
          head={[
            'Type',
            'Libellé du laboratoire',
            'Code de référence',
            'Code remplacé',
            { label: 'Version', numeric: true },
            'Modifié par',
            'Le',
            canChange && 'Modifier',
          ]}
        >
          {mappings.map((m) => (
            <tr key={`${m.kind}|${m.label}`}>
              <td>{MAPPING_KIND_LABELS[m.kind]?.title ?? m.kind}</td>
              <th scope="row">{m.label}</th>
              <td class="mono">{m.code}</td>
              <td class="mono">{m.previous_code ?? '—'}</td>
              <td class="num">{m.version ?? '—'}</td>
              <td>{m.updated_by ?? '—'}</td>
              <td>{formatDateTime(m.updated_at)}</td>
              {canChange && (
                <td>
                  <ChangeForm
                    labId={labId}
                    row={m}
                    onChanged={(after) => {
                      setDone(
                        `« ${m.label} » correspond désormais à ${after.code} (version ${after.version ?? '?'}). ` +
                          'Les référents des autres établissements que sert ce laboratoire en sont prévenus par courriel.',
                      );
                      changes.reload();
                    }}
                  />
                </td>
              )}
            </tr>
          ))}
        </Table>
      )}
    </section>
  );
}

function ChangeForm({ labId, row, onChanged }: { labId: string; row: Row; onChanged: (after: LabelMapping) => void }) {
  const [code, setCode] = useState('');
  const listId = useId();
  const inputId = useId();
  const reference = useLoad(() => getReference(row.kind), [row.kind]);
  const save = useAction();

  async function submit(e: Event) {
    e.preventDefault();
    const typed = code.trim();
    const entry = (reference.data ?? []).find(
      (r) => r.code.toLowerCase() === typed.toLowerCase() || `${r.label} — ${r.code}`.toLowerCase() === typed.toLowerCase(),
    );
    const after = await save.run(() => putMappings(labId, row.kind, [{ label: row.label, code: entry?.code ?? typed }]));
    if (after?.[0]) {
      setCode('');
      onChanged(after[0]);
    }
  }

  return (
    <form class="mapping-change" onSubmit={submit}>
      <label for={inputId} class="sr-only">
        Nouveau code pour « {row.label} »
      </label>
      <input id={inputId} list={listId} value={code} onInput={(e) => setCode(e.currentTarget.value)} required />
      <datalist id={listId}>
        {(reference.data ?? []).map((r) => (
          <option key={r.code} value={`${r.label} — ${r.code}`} />
        ))}
      </datalist>
      <button type="submit" class="button button-secondary" disabled={save.busy}>
        {save.busy ? 'Enregistrement…' : 'Modifier'}
      </button>
      <ErrorAlert error={save.error} />
    </form>
  );
}
