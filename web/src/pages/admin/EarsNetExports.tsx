// The national team's EARS-Net export (ECDC TESSy): choose a year, launch the export,
// read its validation, download the AMRTEST and AMRCOVER files; past exports; settings.
import { useState } from 'preact/hooks';
import { type Me, request } from '../../api';
import { ErrorAlert, Loading, StatusMessage } from '../../components/Alert';
import { type Column, DataTable } from '../../components/DataTable';
import { Field, SelectField } from '../../components/Field';
import { Page } from '../../components/Page';
import { formatDateTime, formatNumber } from '../../format';
import { useAction, useLoad } from '../../hooks';
import { useUser } from '../../user';
import { defaultDataYear } from '../../year';
import { DataYearField } from './shared';

// ---------------------------------------------------------------- API

interface Finding {
  file: string;
  record: number;
  record_id: string | null;
  field: string;
  value: string;
  rule: string;
  severity: 'Error' | 'Warning' | 'Ignore';
  message: string;
}

interface EarsNetExport {
  export_id: string;
  year: number;
  status: 'published' | 'rejected' | 'running' | 'failed';
  created_at: string;
  created_by: string;
  trigger: 'api' | 'schedule';
  counts: Record<string, number>;
  validation: { errors: number; warnings: number; ignored: number };
  summary: { amrtest?: string; amrcover?: string; ledger?: string };
  findings: Finding[];
  files: { amrtest: string | null; amrcover: string | null; report?: string | null };
  /** Why a failed export failed (French). */
  failure?: string;
}

interface ExportSettings {
  export_date: string;
  hospital_representativeness: string;
  isolate_representativeness: string;
  geographic_representativeness: string;
  culture_sets: Record<string, number>;
}

const BASE = '/admin/exports/ears-net';
const earsNetApi = {
  launch: (year: number) => request<EarsNetExport>('POST', BASE, { year }),
  get: (id: string) => request<EarsNetExport>('GET', `${BASE}/${encodeURIComponent(id)}`),
  list: async () => (await request<EarsNetExport[]>('GET', BASE)) ?? [],
  settings: () => request<ExportSettings>('GET', `${BASE}/settings`),
  saveSettings: (body: Partial<ExportSettings>) => request<ExportSettings>('PUT', `${BASE}/settings`, body),
};

// ---------------------------------------------------------------- labels

const STATUS: Record<string, { label: string; tone: string }> = {
  published: { label: 'Publié', tone: 'ok' },
  rejected: { label: 'Rejeté (erreurs bloquantes)', tone: 'bad' },
  running: { label: 'En cours', tone: 'none' },
  failed: { label: 'Échec', tone: 'bad' },
};
const OUTCOME: Record<string, (year: number) => string> = {
  published: (year) => `Export ${year} publié : les fichiers sont prêts à être déposés sur TESSy.`,
  rejected: (year) => `Export ${year} rejeté : des erreurs bloquantes empêchent la publication.`,
  failed: (year) => `Export ${year} en échec : rien n'a été publié ; relancez-le.`,
};
/** How often and how long the page follows a running export (a national year takes minutes). */
const FOLLOW_EVERY_MS = 1000;
const FOLLOW_ATTEMPTS = 600;
const SEVERITY: Record<string, string> = { Error: 'Erreur', Warning: 'Avertissement', Ignore: 'Ignoré' };
const JUDGEMENTS = [
  { value: 'HIGH', label: 'Élevée (HIGH)' },
  { value: 'MEDIUM', label: 'Partielle (MEDIUM)' },
  { value: 'LOW', label: 'Faible (LOW)' },
];

function StatusBadge({ status }: { status: string }) {
  const shown = STATUS[status] ?? { label: status, tone: 'none' };
  return <span class={`badge tone-${shown.tone}`}>{shown.label}</span>;
}

const allowed = (me: Me) => me.profiles.some((p) => p.type === 'admin' || p.type === 'national');

// ---------------------------------------------------------------- screen

export function EarsNetExports() {
  const { me, meError } = useUser();
  const title = 'Export EARS-Net (ECDC)';
  if (!me) return <Page title={title}>{meError ? <ErrorAlert error={meError} /> : <Loading />}</Page>;
  if (!allowed(me)) {
    return (
      <Page title={title}>
        <div role="alert" class="alert alert-error">
          <p>L'export EARS-Net est réservé à l'équipe nationale.</p>
        </div>
      </Page>
    );
  }
  return <Exports title={title} />;
}

function Exports({ title }: { title: string }) {
  const [year, setYear] = useState(defaultDataYear());
  const [shown, setShown] = useState<EarsNetExport | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const { busy, error, run } = useAction();
  const history = useLoad(earsNetApi.list, []);

  async function launch(ev: Event) {
    ev.preventDefault();
    setNotice(null);
    // The export runs in a workflow of its own: the API answers at once (running), then we follow it.
    const done = await run(async () => {
      let current = await earsNetApi.launch(year);
      setShown(current);
      setNotice(`Export ${year} en cours : lecture des données clôturées et contrôle des enregistrements…`);
      for (let attempt = 0; current && current.status === 'running' && attempt < FOLLOW_ATTEMPTS; attempt++) {
        await new Promise((resolve) => setTimeout(resolve, FOLLOW_EVERY_MS));
        current = await earsNetApi.get(current.export_id);
      }
      return current;
    });
    if (done) {
      setShown(done);
      setNotice(OUTCOME[done.status]?.(done.year) ?? `Export ${done.year} toujours en cours : revenez dans quelques minutes.`);
      history.reload();
    }
  }

  async function open(id: string) {
    const found = await run(() => earsNetApi.get(id));
    if (found) setShown(found);
  }

  const columns: Column<EarsNetExport>[] = [
    { label: 'Lancé le', value: (e) => e.created_at, render: (e) => formatDateTime(e.created_at), header: true },
    { label: 'Année', value: (e) => String(e.year) },
    { label: 'Statut', value: (e) => STATUS[e.status]?.label ?? e.status, render: (e) => <StatusBadge status={e.status} /> },
    { label: 'Enregistrements AMRTEST', value: (e) => e.counts.amrtest_records ?? 0, numeric: true },
    { label: 'Souches', value: (e) => e.counts.isolates ?? 0, numeric: true },
    { label: 'Erreurs', value: (e) => e.validation.errors, numeric: true },
    { label: 'Avertissements', value: (e) => e.validation.warnings, numeric: true },
    { label: 'Par', value: (e) => (e.trigger === 'schedule' ? 'planification annuelle' : e.created_by) },
    {
      label: 'Détail',
      value: () => '',
      screenOnly: true,
      render: (e) => (
        <button type="button" class="button button-small button-secondary" onClick={() => void open(e.export_id)}>
          Voir<span class="sr-only"> l'export {e.year} du {formatDateTime(e.created_at)}</span>
        </button>
      ),
    },
  ];

  return (
    <Page
      title={title}
      context={
        <span>
          <a href="#/administration">Administration</a> › Équipe nationale
        </span>
      }
      lead="Les souches invasives (hémocultures, LCR) des huit pathogènes EARS-Net, issues des données clôturées, au format TESSy (AMRTEST v3 et AMRCOVER v2), contrôlées avant toute publication."
    >
      <StatusMessage>{notice}</StatusMessage>
      <form class="form card" onSubmit={launch} aria-labelledby="lancer-export">
        <h2 id="lancer-export">Lancer un export</h2>
        <p class="muted">
          Seules les données clôturées partent. Un nouvel export d'une année déjà envoyée reprend les mêmes identifiants
          d'enregistrement (RecordId) et retire (DELETE) ceux qui ont disparu depuis une réouverture. Un export avec une
          erreur bloquante n'est pas publié.
        </p>
        <ErrorAlert error={error} />
        <DataYearField year={year} onYear={setYear} />
        <button type="submit" class="button" disabled={busy} data-action="export-ears-net">
          {busy ? 'Export en cours…' : `Exporter l'année ${year}`}
        </button>
      </form>

      {shown && <ExportDetail item={shown} />}

      <section class="card" aria-labelledby="exports-passes">
        <h2 id="exports-passes">Exports passés</h2>
        {history.loading && <Loading />}
        <ErrorAlert error={history.error} />
        {history.data && (
          <DataTable title="Exports EARS-Net" columns={columns} rows={history.data} empty="Aucun export EARS-Net pour le moment." />
        )}
      </section>

      <SettingsCard />
    </Page>
  );
}

function ExportDetail({ item }: { item: EarsNetExport }) {
  if (item.status === 'running' || item.status === 'failed') {
    return (
      <section class="card" aria-labelledby="export-detail" data-export-status={item.status} aria-live="polite">
        <h2 id="export-detail">
          Export {item.year} du {formatDateTime(item.created_at)} <StatusBadge status={item.status} />
        </h2>
        <p>
          {item.status === 'running'
            ? "L'export lit les données clôturées, numérote les patients et contrôle chaque enregistrement ; cette page se met à jour d'elle-même."
            : item.failure}
        </p>
      </section>
    );
  }
  const c = item.counts;
  const n = (key: string) => formatNumber(c[key] ?? 0);
  const findingColumns: Column<Finding>[] = [
    { label: 'Gravité', value: (f) => SEVERITY[f.severity] ?? f.severity, header: true },
    { label: 'Fichier', value: (f) => f.file },
    { label: 'Enregistrement', value: (f) => f.record_id ?? `n° ${f.record + 1}` },
    { label: 'Variable', value: (f) => f.field },
    { label: 'Valeur', value: (f) => f.value },
    { label: 'Message', value: (f) => f.message },
  ];
  return (
    <section class="card" aria-labelledby="export-detail" data-export-status={item.status}>
      <h2 id="export-detail">
        Export {item.year} du {formatDateTime(item.created_at)} <StatusBadge status={item.status} />
      </h2>
      <dl class="facts" data-testid="ears-net-counts">
        <dt>Enregistrements AMRTEST</dt>
        <dd data-count="amrtest_records">
          {n('amrtest_records')} ({n('new')} nouveau(x), {n('updated')} modifié(s), {n('unchanged')} inchangé(s), {n('deleted')}{' '}
          retiré(s))
        </dd>
        <dt>Souches (isolats)</dt>
        <dd data-count="isolates">{n('isolates')}</dd>
        <dt>Enregistrements AMRCOVER</dt>
        <dd data-count="amrcover_records">{n('amrcover_records')}</dd>
        <dt>Établissements couverts</dt>
        <dd>{n('establishments')}</dd>
        <dt>Validation</dt>
        <dd data-count="validation">
          {formatNumber(item.validation.errors)} erreur(s), {formatNumber(item.validation.warnings)} avertissement(s),{' '}
          {formatNumber(item.validation.ignored)} enregistrement(s) ignoré(s)
        </dd>
      </dl>
      {item.summary.amrtest && <p class="muted">{item.summary.amrtest}</p>}
      <p class="actions">
        {item.files.amrtest ? (
          <a class="button" href={item.files.amrtest} download data-file="amrtest">
            Télécharger AMRTEST (CSV)
          </a>
        ) : (
          <span class="muted">Pas de fichier : l'export n'est pas publié.</span>
        )}{' '}
        {item.files.amrcover && (
          <a class="button button-secondary" href={item.files.amrcover} download data-file="amrcover">
            Télécharger AMRCOVER (CSV)
          </a>
        )}{' '}
        {item.files.report && (
          <a class="button button-secondary" href={item.files.report} download data-file="report">
            Rapport de validation (JSON)
          </a>
        )}
      </p>
      <h3>Premiers constats de la validation</h3>
      <DataTable
        title={`Constats de validation EARS-Net ${item.year}`}
        columns={findingColumns}
        rows={item.findings}
        empty="Aucun constat : tous les enregistrements respectent les règles de l'ECDC."
      />
    </section>
  );
}

/** The API's MM-DD as JJ/MM (the API reads JJ/MM too); anything else as typed. */
function dayMonth(value: string | undefined): string {
  const found = /^(\d{2})-(\d{2})$/.exec(value ?? '');
  return found ? `${found[2]}/${found[1]}` : value ?? '';
}

/** The three judgements AMRCOVER declares, as the national team sees them. */
const REPRESENTATIVENESS = [
  ['hospital_representativeness', 'Représentativité des hôpitaux'],
  ['isolate_representativeness', 'Représentativité des souches'],
  ['geographic_representativeness', 'Représentativité géographique'],
] as const;

function SettingsCard() {
  const settings = useLoad(earsNetApi.settings, []);
  const [draft, setDraft] = useState<Partial<ExportSettings>>({});
  const [notice, setNotice] = useState<string | null>(null);
  const { busy, error, run } = useAction();
  const current = { ...settings.data, ...draft } as Partial<ExportSettings>;
  const set = (key: keyof ExportSettings) => (value: string) => setDraft({ ...draft, [key]: value });

  async function save(ev: Event) {
    ev.preventDefault();
    setNotice(null);
    const saved = await run(() => earsNetApi.saveSettings(draft));
    if (saved) {
      setDraft({});
      settings.reload();
      setNotice('Paramètres de l\'export EARS-Net enregistrés.');
    }
  }

  return (
    <form class="form card" onSubmit={save} aria-labelledby="parametres-export">
      <h2 id="parametres-export">Paramètres</h2>
      <p class="muted">
        Chaque année, à partir de la date d'export, l'année précédente est exportée automatiquement une fois. La
        représentativité est déclarée à l'ECDC dans l'enregistrement AMRCOVER.
      </p>
      <StatusMessage>{notice}</StatusMessage>
      <ErrorAlert error={error ?? settings.error} />
      {settings.loading && !settings.data ? (
        <Loading />
      ) : (
        <>
          <Field
            label="Date de l'export annuel (JJ/MM)"
            value={dayMonth(current.export_date)}
            onValue={(text) => setDraft({ ...draft, export_date: text })}
            hint="Par exemple 31/03 pour le 31 mars."
            required
          />
          {REPRESENTATIVENESS.map(([key, label]) => (
            <SelectField
              key={key}
              label={label}
              value={current[key] ?? ''}
              onValue={set(key)}
              options={JUDGEMENTS}
              required
            />
          ))}
          <button type="submit" class="button button-secondary" disabled={busy || Object.keys(draft).length === 0}>
            Enregistrer les paramètres
          </button>
        </>
      )}
    </form>
  );
}
