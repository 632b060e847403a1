// Administration screen of the audit log: entries since a date, filtered, with their changes in French.
import { useState } from 'preact/hooks';
import { ErrorAlert, Loading } from '../../components/Alert';
import { type Column, DataTable } from '../../components/DataTable';
import { Field, SelectField } from '../../components/Field';
import { formatDateTime, formatNumber } from '../../format';
import { useLoad } from '../../hooks';
import { FILE_TYPE_LABELS, PERIOD_STATUS_LABELS, STATUS_LABELS as UPLOAD_STATUS_LABELS } from '../../labels';
import { type AuditEntry, adminApi } from './adminApi';

const ACTION_LABELS: Record<string, string> = {
  'period.close_requested': 'Clôture demandée',
  'period.closed': 'Période clôturée',
  'period.reopen': 'Période rouverte',
  'period.close_aborted': 'Clôture interrompue',
  'ticket.open': 'Demande de support ouverte',
  'ticket.reply': 'Réponse à une demande de support',
  'ticket.status': 'Statut de demande de support',
  'ticket.attach': 'Pièce jointe à une demande de support',
  'profile.grant': 'Profil attribué',
  'profile.revoke': 'Profil retiré',
  'establishment.create': 'Établissement créé',
  'establishment.update': 'Établissement modifié',
  'establishment.link_laboratory': 'Laboratoire rattaché',
  'laboratory.create': 'Laboratoire créé',
  'membership.first_referent': 'Premier référent',
  'membership.change_role': 'Statut modifié',
  'membership.hand_over_referent': 'Rôle de référent transmis',
  'beds.put': 'Lits saisis',
  'unit.put': 'UF enregistrée',
  'unit.delete': 'UF supprimée',
  'settings.put': "Réglages de l'année",
  'mapping.confirm': 'Correspondances confirmées',
  'catalogue.put': 'Catalogue modifié',
  'catalogue.sync': 'Catalogue synchronisé',
  'catalogue.load_demo': 'Catalogue de démonstration',
  'upload.validated': 'Import validé',
  'upload.deduplicated': 'Isolats dédoublonnés',
  'upload.rejected': 'Import refusé',
  'upload.needs_mapping': 'Correspondances à confirmer',
  'upload.failed': 'Import en échec',
  'access_request.create': "Demande d'accès",
  'access_request.accepted': "Demande d'accès acceptée",
  'access_request.refused': "Demande d'accès refusée",
  'ears_net.export': 'Export EARS-Net',
  'ears_net.settings': 'Paramètres EARS-Net',
  'methods.deduplication': 'Réglage national du dédoublonnage',
};

/** French names of the fields recorded in the audit log. */
const FIELD_LABELS: Record<string, string> = {
  status: 'statut',
  state: 'état',
  partitions: 'partitions',
  errors: 'erreurs',
  warnings: 'avertissements',
  period: 'période',
  rows_read: 'lignes lues',
  rows_accepted: 'lignes acceptées',
  type: 'type',
  code: 'code',
  proposed_code: 'code proposé',
  reason: 'motif',
  name: 'nom',
  category: 'catégorie',
  region: 'région',
  laboratories: 'laboratoires',
  email: 'e-mail',
  role: 'rôle',
  referent: 'référent',
  finess: 'FINESS',
  lits: 'lits',
  year: 'année',
  consumption_periodicity: 'périodicité des consommations',
  resistance_periodicity: 'périodicité des résistances',
  antifungals_reported: 'consommations couvrant les antifongiques',
  libelle_uf: 'libellé',
  code_ta: 'TA',
  code_de: 'DE',
  secteur: 'secteur',
  ears_net_code: 'code EARS-Net',
  charter_accepted_at: 'charte acceptée le',
  direction_email: 'e-mail de la direction',
  dpo_email: 'e-mail du DPO',
  filename: 'fichier',
  size: 'taille',
};

/** French words for the values the log records in English (statuses, states, types). */
const VALUE_LABELS: Record<string, string> = {
  ...Object.fromEntries(Object.entries(PERIOD_STATUS_LABELS).map(([k, v]) => [k, v.toLowerCase()])),
  ...Object.fromEntries(Object.entries(UPLOAD_STATUS_LABELS).map(([k, v]) => [k, v.toLowerCase()])),
  ...Object.fromEntries(Object.entries(FILE_TYPE_LABELS).map(([k, v]) => [k, v.toLowerCase()])),
  proposed: 'proposée',
  confirmed: 'confirmée',
  unmapped: 'à associer',
  pending: 'en attente',
  accepted: 'acceptée',
  refused: 'refusée',
  regional: 'régional',
  national: 'national',
  admin: 'administrateur',
  quarter: 'trimestrielle',
  year: 'annuelle',
};

const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/;

const short = (v: unknown) => {
  const text =
    typeof v === 'string'
      ? (VALUE_LABELS[v] ?? (ISO_TIME.test(v) ? formatDateTime(v) : v))
      : typeof v === 'boolean'
        ? (v ? 'oui' : 'non')
        : typeof v === 'number'
          ? formatNumber(v)
          : Array.isArray(v)
            ? v.map(String).join(', ') || 'aucun'
            : JSON.stringify(v);
  return text.length > 60 ? `${text.slice(0, 59)}…` : text;
};

/** "clé : avant → après" for each field that changed (or was set). */
function Change({ before, after }: { before: Record<string, unknown> | null; after: Record<string, unknown> | null }) {
  const keys = [...new Set([...Object.keys(before ?? {}), ...Object.keys(after ?? {})])];
  if (keys.length === 0) return <span class="muted">—</span>;
  return (
    <ul class="change">
      {keys.map((k) => {
        const b = before?.[k];
        const a = after?.[k];
        return (
          <li key={k}>
            <span class="muted">{FIELD_LABELS[k] ?? k.replace(/_/g, ' ')} :</span> {b !== undefined && b !== null && <del>{short(b)}</del>}
            {b !== undefined && b !== null && a !== undefined && ' → '}
            {a !== undefined && a !== null && <span>{short(a)}</span>}
          </li>
        );
      })}
    </ul>
  );
}

const TARGET_WORDS: Record<string, string> = {
  establishment: 'établissement',
  period: 'période',
  upload: 'import',
  laboratory: 'laboratoire',
  user: 'utilisateur',
  request: 'demande',
  unit: 'UF',
  beds: 'lits',
  settings: 'périodicités',
  catalogue: 'catalogue',
};

/** "establishment:440000990/period:2025" → "établissement 440000990 › période 2025". */
const targetLabel = (target: string) =>
  target
    .split('/')
    .map((part) => {
      const at = part.indexOf(':');
      const kind = at < 0 ? part : part.slice(0, at);
      return at < 0 ? (TARGET_WORDS[kind] ?? kind) : `${TARGET_WORDS[kind] ?? kind} ${part.slice(at + 1)}`;
    })
    .join(' › ');

/** "05/03/2025" → "2025-03-05"; anything else (or an impossible date) → null. */
function isoDate(text: string): string | null {
  const m = /^\s*(\d{1,2})\/(\d{1,2})\/(\d{4})\s*$/.exec(text);
  if (!m) return null;
  const [day, month, year] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  if (date.getUTCFullYear() !== year || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) return null;
  return `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

const compact = (v: unknown) => (v === null || v === undefined ? '' : JSON.stringify(v));

export function AuditLog() {
  const [sinceText, setSinceText] = useState('');
  const [filter, setFilter] = useState('');
  const [action, setAction] = useState('');
  const since = isoDate(sinceText);
  const log = useLoad(() => adminApi.audit(since ? `${since}T00:00:00` : undefined), [since]);
  const words = filter.trim().toLowerCase().split(/\s+/).filter(Boolean);
  const actions = [...new Set((log.data ?? []).map((e) => e.action))].sort((a, b) =>
    (ACTION_LABELS[a] ?? a).localeCompare(ACTION_LABELS[b] ?? b, 'fr'),
  );
  const rows = [...(log.data ?? [])]
    .reverse()
    .filter((e) => !action || e.action === action)
    .filter((e) => words.every((w) => `${e.actor} ${e.action} ${e.target} ${compact(e.after)} ${compact(e.before)}`.toLowerCase().includes(w)));
  const columns: Column<AuditEntry>[] = [
    { label: 'Date', value: (e) => e.at, render: (e) => formatDateTime(e.at) },
    { label: 'Auteur', value: (e) => e.actor },
    { label: 'Action', value: (e) => e.action, render: (e) => ACTION_LABELS[e.action] ?? e.action },
    { label: 'Cible', value: (e) => e.target, render: (e) => <span class="audit-target">{targetLabel(e.target)}</span> },
    { label: 'Détail', value: () => '', screenOnly: true, render: (e) => <Change before={e.before} after={e.after} /> },
    { label: 'Avant', value: (e) => compact(e.before), csvOnly: true },
    { label: 'Après', value: (e) => compact(e.after), csvOnly: true },
  ];
  return (
    <section class="card" aria-labelledby="journal">
      <h2 id="journal">Journal d'audit</h2>
      <div class="field-row">
        <Field
          label="Depuis le"
          value={sinceText}
          onValue={setSinceText}
          inputMode="numeric"
          autocomplete="off"
          hint={
            sinceText.trim() && !since
              ? 'Date non reconnue : écrivez-la au format JJ/MM/AAAA, par exemple 01/03/2025.'
              : 'Au format JJ/MM/AAAA ; vide : depuis le début du mois.'
          }
        />
        <SelectField
          label="Action"
          value={action}
          onValue={setAction}
          placeholder="Toutes"
          options={actions.map((a) => ({ value: a, label: ACTION_LABELS[a] ?? a }))}
        />
        <Field label="Filtrer" type="search" value={filter} onValue={setFilter} hint="Auteur, action, cible…" />
      </div>
      <ErrorAlert error={log.error} />
      {log.loading && !log.data ? (
        <Loading />
      ) : (
        <DataTable tableClass="audit" title="Journal d'audit" columns={columns} rows={rows} pageSize={50} note={`${rows.length} entrée(s), les plus récentes d'abord.`} empty="Aucune entrée." />
      )}
    </section>
  );
}
