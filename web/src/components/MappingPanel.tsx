import { useEffect, useId, useState } from 'preact/hooks';
import {
  confirmProposals,
  getMappings,
  getReference,
  MAPPING_KINDS,
  putMappings,
  type LabelMapping,
  type MappingKind,
  type ReferenceEntry,
} from '../data';
import { formatNumber, plural } from '../format';
import { useAction, useLoad } from '../hooks';
import { MAPPING_KIND_LABELS } from '../labels';
import { ErrorAlert, Loading, StatusMessage } from './Alert';
import { Table } from './TableWrap';

type Unmapped = Partial<Record<MappingKind, LabelMapping[]>>;

interface Props {
  labId: string;
  unmapped: Unmapped;
  canEdit: boolean;
  /** Called once every label is confirmed and the user asks to resume. */
  onResume: () => Promise<void>;
  resuming: boolean;
}

const refText = (r: ReferenceEntry) => `${r.label} — ${r.code}`;

/** The reference entry a typed text names: "Nom — CODE", the code, or the exact name. */
function lookup(list: ReferenceEntry[], typed: string): ReferenceEntry | undefined {
  const t = typed.trim().toLowerCase();
  if (!t) return undefined;
  return (
    list.find((r) => refText(r).toLowerCase() === t) ??
    list.find((r) => r.code.toLowerCase() === t) ??
    list.find((r) => r.label.toLowerCase() === t)
  );
}

/** Mapping the laboratory's labels to the reference lists, then resuming the import. */
export function MappingPanel({ labId, unmapped, canEdit, onResume, resuming }: Props) {
  const kinds = MAPPING_KINDS.filter((k) => (unmapped[k]?.length ?? 0) > 0);
  // The labels' current state: the report's snapshot, refreshed from the laboratory's mappings.
  const [states, setStates] = useState<Record<string, LabelMapping>>(() => {
    const initial: Record<string, LabelMapping> = {};
    for (const k of kinds) for (const m of unmapped[k] ?? []) initial[`${k}|${m.label}`] = m;
    return initial;
  });
  const fresh = useLoad(async () => {
    const lists = await Promise.all(kinds.map((k) => getMappings(labId, k)));
    return kinds.map((k, i) => [k, lists[i] ?? []] as const);
  }, [labId]);
  useEffect(() => {
    if (fresh.data) update(fresh.data.flatMap(([k, list]) => list.map((m) => [k, m] as const)));
  }, [fresh.data]);

  function update(changes: (readonly [MappingKind, LabelMapping])[]) {
    setStates((prev) => {
      const next = { ...prev };
      for (const [k, m] of changes) if (`${k}|${m.label}` in next) next[`${k}|${m.label}`] = m;
      return next;
    });
  }

  const remaining = Object.values(states).filter((m) => m.state !== 'confirmed').length;

  return (
    <section class="card" aria-labelledby="correspondances">
      <h2 id="correspondances">Correspondances à confirmer</h2>
      <p>
        Le fichier contient des libellés du laboratoire encore inconnus. Associez chacun à la liste de référence : ces
        correspondances sont mémorisées pour les prochains imports de ce laboratoire.
      </p>
      {fresh.error && <ErrorAlert error={fresh.error} />}
      {kinds.map((k) => (
        <KindSection
          key={k}
          kind={k}
          labId={labId}
          rows={(unmapped[k] ?? []).map((m) => states[`${k}|${m.label}`] ?? m)}
          canEdit={canEdit}
          onChanged={(list) => update(list.map((m) => [k, m] as const))}
        />
      ))}
      <div class="resume">
        <p role="status">
          {remaining === 0
            ? "Tous les libellés ont une correspondance confirmée : vous pouvez reprendre l'import."
            : `${plural(remaining, 'libellé')} sans correspondance confirmée.`}
        </p>
        {canEdit && (
          <button type="button" class="button" disabled={remaining > 0 || resuming} onClick={() => void onResume()}>
            {resuming ? 'Reprise en cours…' : "Reprendre l'import"}
          </button>
        )}
      </div>
    </section>
  );
}

interface KindProps {
  kind: MappingKind;
  labId: string;
  rows: LabelMapping[];
  canEdit: boolean;
  onChanged: (list: LabelMapping[]) => void;
}

function KindSection({ kind, labId, rows, canEdit, onChanged }: KindProps) {
  const listId = useId();
  const headingId = useId();
  const reference = useLoad(() => getReference(kind), [kind]);
  const list = reference.data ?? [];
  const byCode = new Map(list.map((r) => [r.code, r]));
  const initialText = (m: LabelMapping) => {
    const code = m.code ?? m.proposed_code;
    const r = code ? byCode.get(code) : undefined;
    return r ? refText(r) : (code ?? '');
  };
  const [typed, setTyped] = useState<Record<string, string>>({});
  const { busy, error, run } = useAction();
  const [notice, setNotice] = useState<string | null>(null);
  const texts = (m: LabelMapping) => typed[m.label] ?? initialText(m);
  const names = MAPPING_KIND_LABELS[kind];

  async function confirm(items: { label: string; code: string }[]) {
    const answer = await run(() => putMappings(labId, kind, items));
    if (answer) {
      onChanged(answer);
      setNotice(`${plural(answer.length, 'correspondance confirmée', 'correspondances confirmées')}.`);
    }
  }

  async function confirmAllProposals() {
    const answer = await run(() => confirmProposals(labId, kind));
    if (answer) {
      onChanged(answer);
      setNotice(`${plural(answer.length, 'proposition confirmée', 'propositions confirmées')}.`);
    }
  }

  const chosen = rows
    .map((m) => ({ m, ref: lookup(list, texts(m)) }))
    .filter((x) => x.ref && !(x.m.state === 'confirmed' && x.m.code === x.ref.code));
  const proposals = rows.filter((m) => m.state === 'proposed').length;
  const confirmed = rows.filter((m) => m.state === 'confirmed').length;

  return (
    <div class="mapping-kind" role="group" aria-labelledby={headingId}>
      <h3 id={headingId}>
        {names.title}{' '}
        <span class="muted">
          ({plural(rows.length, 'libellé')}, {plural(confirmed, 'confirmé')})
        </span>
      </h3>
      <ErrorAlert error={error ?? reference.error} />
      <StatusMessage>{notice}</StatusMessage>
      {reference.loading && !reference.data && <Loading label="Chargement de la liste de référence…" />}
      <datalist id={listId}>
        {list.map((r) => (
          <option key={r.code} value={refText(r)} />
        ))}
      </datalist>
      <Table
        label={`Libellés à associer : ${names.title.toLowerCase()}`}
        head={['Libellé du laboratoire', 'État', 'Correspondance dans la liste de référence', canEdit && 'Action']}
      >
        {rows.map((m, index) => {
          const text = texts(m);
          const ref = lookup(list, text);
          const unchanged = m.state === 'confirmed' && ref?.code === m.code;
          const invalid = text.trim() !== '' && !ref && list.length > 0;
          const inputId = `${listId}-${index}`;
          return (
            <tr key={m.label}>
              <th scope="row">{m.label}</th>
              <td>
                <MappingState m={m} />
              </td>
              <td>
                {canEdit ? (
                  <div class="mapping-input">
                    <label for={inputId} class="sr-only">
                      Correspondance de « {m.label} » ({names.one})
                    </label>
                    <input
                      id={inputId}
                      list={listId}
                      value={text}
                      autocomplete="off"
                      placeholder="Rechercher dans la liste…"
                      aria-invalid={invalid || undefined}
                      aria-describedby={invalid ? `${inputId}-pb` : undefined}
                      onInput={(e) => setTyped({ ...typed, [m.label]: e.currentTarget.value })}
                      onKeyDown={(e) => {
                        if (e.key === 'Enter' && ref && !unchanged) {
                          e.preventDefault();
                          void confirm([{ label: m.label, code: ref.code }]);
                        }
                      }}
                    />
                    {invalid && (
                      <span class="field-problem" id={`${inputId}-pb`}>
                        Choisissez une valeur de la liste.
                      </span>
                    )}
                  </div>
                ) : (
                  <span>{text || '—'}</span>
                )}
              </td>
              {canEdit && (
                <td>
                  <button
                    type="button"
                    class="button button-small"
                    disabled={busy || !ref || unchanged}
                    onClick={() => ref && void confirm([{ label: m.label, code: ref.code }])}
                  >
                    Confirmer<span class="sr-only"> la correspondance de « {m.label} »</span>
                  </button>
                </td>
              )}
            </tr>
          );
        })}
      </Table>
      {canEdit && (
        <div class="actions">
          {proposals > 0 && (
            <button type="button" class="button button-secondary" disabled={busy} onClick={() => void confirmAllProposals()}>
              {proposals > 1
                ? `Confirmer les ${formatNumber(proposals)} propositions automatiques`
                : 'Confirmer la proposition automatique'}
            </button>
          )}
          {chosen.length > 1 && (
            <button
              type="button"
              class="button button-secondary"
              disabled={busy}
              onClick={() => void confirm(chosen.map((x) => ({ label: x.m.label, code: x.ref!.code })))}
            >
              Confirmer les {formatNumber(chosen.length)} choix affichés
            </button>
          )}
        </div>
      )}
    </div>
  );
}

function MappingState({ m }: { m: LabelMapping }) {
  if (m.state === 'confirmed') return <span class="badge tone-ok">Confirmée</span>;
  if (m.state === 'proposed') return <span class="badge tone-todo">Proposée</span>;
  return <span class="badge tone-bad">Sans correspondance</span>;
}
