// Administration screens of the national team: establishments, laboratories,
// profiles, reopening a period, audit log.
import { useState } from 'preact/hooks';
import { type Establishment, getEstablishments, getRegions, type Me, type Region, request } from '../../api';
import { ErrorAlert, Loading, StatusMessage } from '../../components/Alert';
import { type Column, DataTable } from '../../components/DataTable';
import { Field, SelectField } from '../../components/Field';
import { Page } from '../../components/Page';
import { TableWrap } from '../../components/TableWrap';
import { formatDateTime, formatNumber, personName, plural, profileLabel, statusLabel } from '../../format';
import { useAction, useLoad } from '../../hooks';
import { CATEGORY_LABELS } from '../../indicatorLabels';
import { getPeriods, type Laboratory, type PeriodState, reopenPeriod } from '../../indicators';
import {
  FILE_TYPE_LABELS,
  PERIOD_STATUS_LABELS,
  PERIOD_STATUS_TONES,
  periodLabel,
  periodShort,
  STATUS_LABELS as UPLOAD_STATUS_LABELS,
} from '../../labels';
import { useUser } from '../../user';
import { defaultDataYear, quarters, yearOptions } from '../../year';

// ---------------------------------------------------------------- API

interface AuditEntry {
  id: string;
  at: string;
  actor: string;
  action: string;
  target: string;
  before: Record<string, unknown> | null;
  after: Record<string, unknown> | null;
}

/** An establishment as the administrators' list shows it. */
interface AdminEstablishment extends Establishment {
  laboratories: string[];
  referent: boolean;
  members: Record<string, number>;
  pending_requests: number;
  periods: { period: string; status: string }[];
}

interface LinkedLaboratory extends Laboratory {
  establishments: { finess: string; name: string; region: string }[];
}

interface ProfileHolder {
  email: string;
  type: string;
  region?: string;
  first_name: string;
  last_name: string;
}

const adminApi = {
  createEstablishment: (body: Establishment) => request<unknown>('POST', '/admin/establishments', body),
  patchEstablishment: (finess: string, body: Partial<Omit<Establishment, 'finess'>>) =>
    request<unknown>('PATCH', `/admin/establishments/${encodeURIComponent(finess)}`, body),
  establishments: async (region: string, year: number) =>
    (await request<AdminEstablishment[]>(
      'GET',
      `/admin/establishments?${new URLSearchParams({ ...(region ? { region } : {}), year: String(year) }).toString()}`,
    )) ?? [],
  laboratories: async () => (await request<LinkedLaboratory[]>('GET', '/admin/laboratories')) ?? [],
  profiles: async () => (await request<ProfileHolder[]>('GET', '/admin/profiles')) ?? [],
  createLaboratory: (body: { name: string; ears_net_code?: string }) => request<Laboratory>('POST', '/admin/laboratories', body),
  linkLaboratory: (finess: string, labId: string) =>
    request<{ laboratories?: string[] }>(
      'PUT',
      `/admin/establishments/${encodeURIComponent(finess)}/laboratories/${encodeURIComponent(labId)}`,
      {},
    ),
  grantProfile: (body: { email: string; type: string; region?: string }) => request<unknown>('POST', '/admin/profiles', body),
  revokeProfile: (email: string, type: string) =>
    request<unknown>('DELETE', `/admin/profiles/${encodeURIComponent(email)}/${encodeURIComponent(type)}`),
  audit: async (since?: string) =>
    (await request<AuditEntry[]>('GET', `/admin/audit${since ? `?since=${encodeURIComponent(since)}` : ''}`)) ?? [],
};

// ---------------------------------------------------------------- frame

type Section = 'etablissements' | 'laboratoires' | 'profils' | 'periodes' | 'journal';

const SECTIONS: { id: Section; label: string; adminOnly: boolean }[] = [
  { id: 'etablissements', label: 'Établissements', adminOnly: true },
  { id: 'laboratoires', label: 'Laboratoires', adminOnly: true },
  { id: 'profils', label: 'Profils', adminOnly: true },
  { id: 'periodes', label: 'Réouverture de période', adminOnly: false },
  { id: 'journal', label: "Journal d'audit", adminOnly: true },
];

const isAdmin = (me: Me) => me.profiles.some((p) => p.type === 'admin');
const isNational = (me: Me) => me.profiles.some((p) => p.type === 'national');

export function Admin({ section }: { section?: string }) {
  const { me, meError } = useUser();
  if (!me) return <Page title="Administration">{meError ? <ErrorAlert error={meError} /> : <Loading />}</Page>;
  const admin = isAdmin(me);
  if (!admin && !isNational(me)) {
    return (
      <Page title="Administration">
        <div role="alert" class="alert alert-error">
          <p>L'administration est réservée à l'équipe nationale.</p>
        </div>
      </Page>
    );
  }
  const allowed = SECTIONS.filter((s) => admin || !s.adminOnly);
  const current = allowed.find((s) => s.id === section) ?? allowed[0];
  return (
    <Page title={`Administration — ${current.label}`} context={<span>Équipe nationale</span>}>
      <nav class="tabs" aria-label="Rubriques de l'administration">
        <ul>
          {allowed.map((s) => (
            <li key={s.id}>
              <a href={`#/administration/${s.id}`} aria-current={s.id === current.id ? 'page' : undefined}>
                {s.label}
              </a>
            </li>
          ))}
          <li><a href="#/administration/export-ears-net">Export EARS-Net</a></li>
        </ul>
      </nav>
      {current.id === 'etablissements' && <Establishments />}
      {current.id === 'laboratoires' && <Laboratories />}
      {current.id === 'profils' && <Profiles />}
      {current.id === 'periodes' && <Reopen />}
      {current.id === 'journal' && <AuditLog />}
    </Page>
  );
}

const useRegions = () => useLoad<Region[]>(getRegions, []);
const categoryOptions = Object.entries(CATEGORY_LABELS).map(([value, label]) => ({ value, label: `${value} — ${label}` }));

/** Region, then establishment of the region. */
function EstablishmentPicker({ finess, onFiness }: { finess: string; onFiness: (f: string) => void }) {
  const regions = useRegions();
  const [region, setRegion] = useState('');
  const list = useLoad(() => (region ? getEstablishments(region) : Promise.resolve([])), [region]);
  return (
    <div class="field-row">
      <SelectField
        label="Région"
        value={region}
        onValue={(r) => {
          setRegion(r);
          onFiness('');
        }}
        placeholder="— Choisir —"
        options={(regions.data ?? []).map((r) => ({ value: r.code, label: r.name }))}
      />
      <SelectField
        label="Établissement"
        value={finess}
        onValue={onFiness}
        placeholder="— Choisir —"
        disabled={!region}
        options={(list.data ?? []).map((e) => ({ value: e.finess, label: `${e.name} — ${e.finess}` }))}
      />
    </div>
  );
}

// ---------------------------------------------------------------- establishments

function Establishments() {
  const regions = useRegions();
  const [region, setRegion] = useState('');
  const [year, setYear] = useState(defaultDataYear());
  const list = useLoad(() => adminApi.establishments(region, year), [region, year]);
  const [editing, setEditing] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const regionName = (code: string) => regions.data?.find((r) => r.code === code)?.name ?? code;
  const rows = list.data ?? [];
  const withoutReferent = rows.filter((e) => !e.referent).length;

  return (
    <>
      <StatusMessage>{notice}</StatusMessage>
      <section class="card" aria-labelledby="liste-es">
        <h2 id="liste-es">Établissements</h2>
        <div class="field-row">
          <SelectField
            label="Région"
            value={region}
            onValue={setRegion}
            options={[{ value: '', label: 'Toutes les régions' }, ...(regions.data ?? []).map((r) => ({ value: r.code, label: r.name }))]}
          />
          <SelectField
            label="Année des périodes"
            value={String(year)}
            onValue={(v) => setYear(Number(v))}
            options={yearOptions().map((y) => ({ value: String(y), label: String(y) }))}
          />
        </div>
        <ErrorAlert error={list.error} />
        {list.loading && !list.data ? (
          <Loading />
        ) : rows.length === 0 ? (
          <p class="muted">Aucun établissement{region ? ' dans cette région' : ''}.</p>
        ) : (
          <>
            <p class="muted">
              {plural(rows.length, 'établissement')}
              {withoutReferent > 0 && <> dont {plural(withoutReferent, 'sans référent', 'sans référent')}</>}.
            </p>
            <TableWrap label="Établissements">
              <table class="compact wrap-head admin-es">
                <thead>
                  <tr>
                    <th scope="col">FINESS</th>
                    <th scope="col">Nom</th>
                    <th scope="col">Catégorie</th>
                    <th scope="col">Région</th>
                    <th scope="col">Référent</th>
                    <th scope="col" class="num">
                      Membres
                    </th>
                    <th scope="col" class="num">
                      Demandes en attente
                    </th>
                    <th scope="col">Périodes {year}</th>
                    <th scope="col">Action</th>
                  </tr>
                </thead>
                <tbody>
                  {rows.map((e) =>
                    editing === e.finess ? (
                      <EditRow
                        key={e.finess}
                        e={e}
                        regions={regions.data ?? []}
                        onDone={(message) => {
                          setEditing(null);
                          if (message) {
                            setNotice(message);
                            list.reload();
                          }
                        }}
                      />
                    ) : (
                      <tr key={e.finess}>
                        <td class="mono">{e.finess}</td>
                        <th scope="row">{e.name}</th>
                        <td>
                          <abbr title={CATEGORY_LABELS[e.category] ?? e.category}>{e.category}</abbr>
                        </td>
                        <td>{regionName(e.region)}</td>
                        <td>
                          {e.referent ? <span class="badge tone-ok">Oui</span> : <span class="badge tone-todo">Aucun</span>}
                        </td>
                        <td class="num" title={memberDetail(e.members)}>
                          {formatNumber(Object.values(e.members ?? {}).reduce((a, b) => a + b, 0))}
                        </td>
                        <td class="num">{formatNumber(e.pending_requests)}</td>
                        <td>
                          {e.periods.length === 0 ? (
                            <span class="muted">Toutes ouvertes</span>
                          ) : (
                            <ul class="inline-badges">
                              {e.periods.map((p) => (
                                <li key={p.period}>
                                  <span class={`badge tone-${PERIOD_STATUS_TONES[p.status] ?? 'none'}`}>
                                    {p.period.includes('-T') ? p.period.split('-')[1] : 'Année'} :{' '}
                                    {(PERIOD_STATUS_LABELS[p.status] ?? p.status).toLowerCase()}
                                  </span>
                                </li>
                              ))}
                            </ul>
                          )}
                        </td>
                        <td>
                          <button type="button" class="button button-tiny button-secondary" onClick={() => setEditing(e.finess)}>
                            Modifier<span class="sr-only"> {e.name}</span>
                          </button>
                        </td>
                      </tr>
                    ),
                  )}
                </tbody>
              </table>
            </TableWrap>
          </>
        )}
      </section>
      <CreateEstablishment
        regions={regions.data ?? []}
        onCreated={(e) => {
          setNotice(`Établissement « ${e.name} » créé.`);
          setRegion(e.region);
          list.reload();
        }}
      />
    </>
  );
}

/** "1 référent, 2 contributeurs, 0 observateur". */
const memberDetail = (members: Record<string, number> | undefined) =>
  ['referent', 'contributeur', 'observateur'].map((s) => plural(members?.[s] ?? 0, statusLabel(s).toLowerCase())).join(', ');

function EditRow({ e, regions, onDone }: { e: Establishment; regions: Region[]; onDone: (message?: string) => void }) {
  const [name, setName] = useState(e.name);
  const [category, setCategory] = useState(e.category);
  const [region, setRegion] = useState(e.region);
  const { busy, error, run } = useAction();
  async function save() {
    const ok = await run(async () => {
      await adminApi.patchEstablishment(e.finess, { name: name.trim(), category, region });
      return true;
    });
    if (ok) onDone(`Établissement « ${name.trim()} » modifié.`);
  }
  return (
    <>
      <tr class="editing">
        <td class="mono">{e.finess}</td>
        <td>
          <label class="sr-only" for={`nom-${e.finess}`}>
            Nom
          </label>
          <input id={`nom-${e.finess}`} value={name} onInput={(ev) => setName(ev.currentTarget.value)} />
        </td>
        <td>
          <label class="sr-only" for={`cat-${e.finess}`}>
            Catégorie
          </label>
          <select id={`cat-${e.finess}`} value={category} onChange={(ev) => setCategory(ev.currentTarget.value)}>
            {categoryOptions.map((o) => (
              <option key={o.value} value={o.value}>
                {o.value}
              </option>
            ))}
          </select>
        </td>
        <td>
          <label class="sr-only" for={`reg-${e.finess}`}>
            Région
          </label>
          <select id={`reg-${e.finess}`} value={region} onChange={(ev) => setRegion(ev.currentTarget.value)}>
            {regions.map((r) => (
              <option key={r.code} value={r.code}>
                {r.name}
              </option>
            ))}
          </select>
        </td>
        <td colSpan={4} />
        <td>
          <div class="row-actions">
            <button type="button" class="button button-small" disabled={busy || !name.trim()} onClick={() => void save()}>
              Enregistrer
            </button>
            <button type="button" class="button button-small button-secondary" onClick={() => onDone()}>
              Annuler
            </button>
          </div>
        </td>
      </tr>
      {error && (
        <tr>
          <td colSpan={9}>
            <ErrorAlert error={error} />
          </td>
        </tr>
      )}
    </>
  );
}

function CreateEstablishment({ regions, onCreated }: { regions: Region[]; onCreated: (e: Establishment) => void }) {
  const [finess, setFiness] = useState('');
  const [name, setName] = useState('');
  const [category, setCategory] = useState('');
  const [region, setRegion] = useState('');
  const { busy, error, run } = useAction();
  async function submit(ev: Event) {
    ev.preventDefault();
    const body = { finess: finess.trim(), name: name.trim(), category, region };
    const ok = await run(async () => {
      await adminApi.createEstablishment(body);
      return true;
    });
    if (ok) {
      onCreated(body);
      setFiness('');
      setName('');
    }
  }
  return (
    <form class="form card" onSubmit={submit} aria-labelledby="nouvel-es">
      <h2 id="nouvel-es">Créer un établissement</h2>
      <ErrorAlert error={error} />
      <div class="field-row">
        <Field label="FINESS" value={finess} onValue={setFiness} required inputMode="numeric" hint="9 caractères." />
        <Field label="Nom" value={name} onValue={setName} required />
      </div>
      <div class="field-row">
        <SelectField label="Catégorie" value={category} onValue={setCategory} placeholder="— Choisir —" required options={categoryOptions} />
        <SelectField label="Région" value={region} onValue={setRegion} placeholder="— Choisir —" required options={regions.map((r) => ({ value: r.code, label: r.name }))} />
      </div>
      <div class="actions">
        <button type="submit" class="button" disabled={busy || !finess.trim() || !name.trim() || !category || !region}>
          Créer l'établissement
        </button>
      </div>
    </form>
  );
}

// ---------------------------------------------------------------- laboratories

function Laboratories() {
  const labs = useLoad(adminApi.laboratories, []);
  const [name, setName] = useState('');
  const [code, setCode] = useState('');
  const [finess, setFiness] = useState('');
  const [labId, setLabId] = useState('');
  const [notice, setNotice] = useState<string | null>(null);
  const create = useAction();
  const link = useAction();

  async function submitCreate(ev: Event) {
    ev.preventDefault();
    const lab = await create.run(() => adminApi.createLaboratory({ name: name.trim(), ...(code.trim() ? { ears_net_code: code.trim() } : {}) }));
    if (lab) {
      setNotice(`Laboratoire « ${lab.name} » créé.`);
      setName('');
      setCode('');
      setLabId(lab.id);
      labs.reload();
    }
  }

  async function submitLink(ev: Event) {
    ev.preventDefault();
    const ok = await link.run(async () => {
      await adminApi.linkLaboratory(finess, labId);
      return true;
    });
    if (ok) {
      const lab = labs.data?.find((l) => l.id === labId);
      setNotice(`Laboratoire${lab ? ` « ${lab.name} »` : ''} rattaché à l'établissement ${finess}.`);
      labs.reload();
    }
  }

  const columns: Column<LinkedLaboratory>[] = [
    { label: 'Nom', value: (l) => l.name, header: true },
    { label: 'Code EARS-Net', value: (l) => l.ears_net_code ?? '' },
    { label: 'Identifiant', value: (l) => l.id, render: (l) => <span class="mono">{l.id}</span> },
    {
      label: 'Établissements servis',
      value: (l) => (l.establishments ?? []).map((e) => `${e.name} (${e.finess})`).join(', '),
      render: (l) =>
        (l.establishments ?? []).length === 0 ? (
          <span class="muted">Aucun</span>
        ) : (
          <ul class="plain-list">
            {l.establishments.map((e) => (
              <li key={e.finess}>
                {e.name} <span class="mono muted">{e.finess}</span>
              </li>
            ))}
          </ul>
        ),
    },
  ];

  return (
    <>
      <StatusMessage>{notice}</StatusMessage>
      <section class="card" aria-labelledby="liste-labos">
        <h2 id="liste-labos">Laboratoires</h2>
        <ErrorAlert error={labs.error} />
        {labs.loading && !labs.data ? <Loading /> : <DataTable title="Laboratoires" columns={columns} rows={labs.data ?? []} empty="Aucun laboratoire." />}
      </section>
      <div class="split-even">
        <form class="form card" onSubmit={submitCreate} aria-labelledby="nouveau-labo">
          <h2 id="nouveau-labo">Créer un laboratoire</h2>
          <ErrorAlert error={create.error} />
          <Field label="Nom" value={name} onValue={setName} required />
          <Field label="Code EARS-Net" value={code} onValue={setCode} hint="Attribué par l’ECDC, par exemple FR001 ; vide si le laboratoire n’en a pas encore." />
          <div class="actions">
            <button type="submit" class="button" disabled={create.busy || !name.trim()}>
              Créer le laboratoire
            </button>
          </div>
        </form>
        <form class="form card" onSubmit={submitLink} aria-labelledby="rattacher">
          <h2 id="rattacher">Rattacher un laboratoire à un établissement</h2>
          <ErrorAlert error={link.error} />
          <EstablishmentPicker finess={finess} onFiness={setFiness} />
          <SelectField
            label="Laboratoire"
            value={labId}
            onValue={setLabId}
            placeholder="— Choisir —"
            options={(labs.data ?? []).map((l) => ({ value: l.id, label: l.name }))}
          />
          <div class="actions">
            <button type="submit" class="button" disabled={link.busy || !finess || !labId}>
              Rattacher
            </button>
          </div>
        </form>
      </div>
    </>
  );
}

// ---------------------------------------------------------------- profiles

const PROFILE_TYPES = [
  { value: 'regional', label: 'Régional (une région)' },
  { value: 'national', label: 'National' },
  { value: 'admin', label: 'Administrateur' },
];

function Profiles() {
  const regions = useRegions();
  const list = useLoad(adminApi.profiles, []);
  const [email, setEmail] = useState('');
  const [type, setType] = useState('');
  const [region, setRegion] = useState('');
  const [notice, setNotice] = useState<string | null>(null);
  const grant = useAction();
  const revoke = useAction();
  const regionName = (code?: string) => (code ? (regions.data?.find((r) => r.code === code)?.name ?? code) : '');
  const typeLabel = (t: string) => profileLabel(t);

  async function submit(ev: Event) {
    ev.preventDefault();
    const ok = await grant.run(async () => {
      await adminApi.grantProfile({ email: email.trim(), type, ...(type === 'regional' ? { region } : {}) });
      return true;
    });
    if (ok) {
      setNotice(`Profil « ${typeLabel(type)} » attribué à ${email.trim()}.`);
      setEmail('');
      list.reload();
    }
  }

  async function remove(g: ProfileHolder) {
    if (!window.confirm(`Retirer le profil « ${typeLabel(g.type)} » de ${g.email} ?`)) return;
    const ok = await revoke.run(async () => {
      await adminApi.revokeProfile(g.email, g.type);
      return true;
    });
    if (ok) {
      setNotice(`Profil « ${typeLabel(g.type)} » retiré à ${g.email}.`);
      list.reload();
    }
  }

  const columns: Column<ProfileHolder>[] = [
    { label: 'Personne', value: (g) => personName(g), header: true },
    { label: 'E-mail', value: (g) => g.email },
    { label: 'Profil', value: (g) => typeLabel(g.type) },
    { label: 'Région', value: (g) => regionName(g.region), render: (g) => regionName(g.region) || <span class="muted">Toutes</span> },
    {
      label: 'Action',
      value: () => '',
      screenOnly: true,
      render: (g) => (
        <button type="button" class="button button-small button-danger" disabled={revoke.busy} onClick={() => void remove(g)}>
          Retirer<span class="sr-only"> le profil {typeLabel(g.type)} de {g.email}</span>
        </button>
      ),
    },
  ];

  return (
    <>
      <StatusMessage>{notice}</StatusMessage>
      <section class="card" aria-labelledby="profils-en-place">
        <h2 id="profils-en-place">Profils attribués</h2>
        <p class="muted">Les profils régionaux, nationaux et administrateurs en vigueur.</p>
        <ErrorAlert error={list.error ?? revoke.error} />
        {list.loading && !list.data ? (
          <Loading />
        ) : (
          <DataTable title="Profils attribués" columns={columns} rows={list.data ?? []} empty="Aucun profil attribué." />
        )}
      </section>
      <form class="form card" onSubmit={submit} aria-labelledby="attribuer">
        <h2 id="attribuer">Attribuer un profil</h2>
        <ErrorAlert error={grant.error} />
        <Field label="E-mail de la personne" type="email" value={email} onValue={setEmail} required autocomplete="off" />
        <div class="field-row">
          <SelectField label="Profil" value={type} onValue={setType} placeholder="— Choisir —" required options={PROFILE_TYPES} />
          {type === 'regional' && (
            <SelectField label="Région" value={region} onValue={setRegion} placeholder="— Choisir —" required options={(regions.data ?? []).map((r) => ({ value: r.code, label: r.name }))} />
          )}
        </div>
        <div class="actions">
          <button type="submit" class="button" disabled={grant.busy || !email.trim() || !type || (type === 'regional' && !region)}>
            Attribuer le profil
          </button>
        </div>
      </form>
    </>
  );
}

// ---------------------------------------------------------------- reopening

function Reopen() {
  const [finess, setFiness] = useState('');
  const [year, setYear] = useState(defaultDataYear());
  const [period, setPeriod] = useState('');
  const [reason, setReason] = useState('');
  const [notice, setNotice] = useState<string | null>(null);
  const { busy, error, run } = useAction();
  const periods = useLoad<PeriodState[] | null>(
    () => (finess ? getPeriods(finess, year).catch(() => null) : Promise.resolve([])),
    [finess, year],
  );
  const known = periods.data;
  const options = known && known.length > 0 ? known.map((p) => p.period) : [String(year), ...quarters(year)];

  async function submit(ev: Event) {
    ev.preventDefault();
    const ok = await run(async () => {
      await reopenPeriod(finess, period, reason.trim());
      return true;
    });
    if (ok) {
      setNotice(`Période « ${periodLabel(period)} » de l'établissement ${finess} rouverte.`);
      setReason('');
      periods.reload();
    }
  }

  return (
    <>
      <StatusMessage>{notice}</StatusMessage>
      <form class="form card" onSubmit={submit} aria-labelledby="rouvrir">
        <h2 id="rouvrir">Rouvrir une période clôturée</h2>
        <p class="muted">
          La période redevient modifiable par l'établissement et sort des analyses régionales, nationales et ouvertes
          jusqu'à sa nouvelle clôture. La réouverture est tracée dans le journal avec son motif.
        </p>
        <ErrorAlert error={error} />
        <EstablishmentPicker finess={finess} onFiness={setFiness} />
        <SelectField
          label="Année"
          value={String(year)}
          onValue={(v) => {
            setYear(Number(v));
            setPeriod('');
          }}
          options={yearOptions().map((y) => ({ value: String(y), label: String(y) }))}
        />
        {finess && known && known.length > 0 && (
          <TableWrap label="Statut des périodes">
            <table class="compact">
              <thead>
                <tr>
                  <th scope="col">Période</th>
                  <th scope="col">Statut</th>
                </tr>
              </thead>
              <tbody>
                {known.map((p) => (
                  <tr key={p.period}>
                    <th scope="row">{periodShort(p.period)}</th>
                    <td>
                      <span class={`badge tone-${PERIOD_STATUS_TONES[p.status] ?? 'none'}`}>{PERIOD_STATUS_LABELS[p.status] ?? p.status}</span>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </TableWrap>
        )}
        {finess && known === null && <p class="muted">Le statut des périodes n'est pas lisible avec ce profil.</p>}
        <SelectField
          label="Période à rouvrir"
          value={period}
          onValue={setPeriod}
          placeholder="— Choisir —"
          required
          options={options.map((p) => ({ value: p, label: periodLabel(p), disabled: known?.find((k) => k.period === p)?.status === 'open' }))}
        />
        <div class="field">
          <label for="motif">
            Motif de la réouverture <span class="required">(obligatoire)</span>
          </label>
          <textarea id="motif" rows={3} value={reason} required maxLength={1000} onInput={(e) => setReason(e.currentTarget.value)} />
        </div>
        <div class="actions">
          <button type="submit" class="button button-danger" disabled={busy || !finess || !period || !reason.trim()}>
            Rouvrir la période
          </button>
        </div>
      </form>
    </>
  );
}

// ---------------------------------------------------------------- audit log

const ACTION_LABELS: Record<string, string> = {
  'period.close_requested': 'Clôture demandée',
  'period.closed': 'Période clôturée',
  'period.reopen': 'Période rouverte',
  'period.close_aborted': 'Clôture interrompue',
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
  'settings.put': 'Périodicités',
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

function AuditLog() {
  const [sinceText, setSinceText] = useState('');
  const [filter, setFilter] = useState('');
  const since = isoDate(sinceText);
  const log = useLoad(() => adminApi.audit(since ? `${since}T00:00:00` : undefined), [since]);
  const words = filter.trim().toLowerCase().split(/\s+/).filter(Boolean);
  const rows = [...(log.data ?? [])]
    .reverse()
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
        <Field label="Filtrer" type="search" value={filter} onValue={setFilter} hint="Auteur, action, cible…" />
      </div>
      <ErrorAlert error={log.error} />
      {log.loading && !log.data ? (
        <Loading />
      ) : (
        <DataTable tableClass="audit" title="Journal d'audit" columns={columns} rows={rows} note={`${rows.length} entrée(s), les plus récentes d'abord.`} empty="Aucune entrée." />
      )}
    </section>
  );
}
