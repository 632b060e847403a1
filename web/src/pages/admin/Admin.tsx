// Administration screens of the national team: establishments, laboratories,
// profiles, reopening a period, audit log.
import { useMemo, useState } from 'preact/hooks';
import { type Establishment, getEstablishments, getRegions, type Me, type Region, request } from '../../api';
import { ErrorAlert, Loading, StatusMessage } from '../../components/Alert';
import { type Column, DataTable } from '../../components/DataTable';
import { Field, SelectField } from '../../components/Field';
import { Page } from '../../components/Page';
import { TableWrap } from '../../components/TableWrap';
import { formatDateTime } from '../../format';
import { useAction, useLoad } from '../../hooks';
import { CATEGORY_LABELS } from '../../indicatorLabels';
import { getPeriods, type Laboratory, type PeriodState, reopenPeriod } from '../../indicators';
import { PERIOD_STATUS_LABELS, PERIOD_STATUS_TONES, periodLabel, periodShort } from '../../labels';
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

const adminApi = {
  createEstablishment: (body: Establishment) => request<unknown>('POST', '/admin/establishments', body),
  patchEstablishment: (finess: string, body: Partial<Omit<Establishment, 'finess'>>) =>
    request<unknown>('PATCH', `/admin/establishments/${encodeURIComponent(finess)}`, body),
  laboratories: async () => (await request<Laboratory[]>('GET', '/admin/laboratories')) ?? [],
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
  const [region, setRegion] = useState('52');
  const list = useLoad(() => getEstablishments(region), [region]);
  const [editing, setEditing] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const regionName = (code: string) => regions.data?.find((r) => r.code === code)?.name ?? code;

  return (
    <>
      <StatusMessage>{notice}</StatusMessage>
      <section class="card" aria-labelledby="liste-es">
        <h2 id="liste-es">Établissements par région</h2>
        <SelectField label="Région" value={region} onValue={setRegion} options={(regions.data ?? []).map((r) => ({ value: r.code, label: r.name }))} />
        <ErrorAlert error={list.error} />
        {list.loading && !list.data ? (
          <Loading />
        ) : (
          <TableWrap label="Établissements">
            <table class="compact">
              <thead>
                <tr>
                  <th scope="col">FINESS</th>
                  <th scope="col">Nom</th>
                  <th scope="col">Catégorie</th>
                  <th scope="col">Région</th>
                  <th scope="col">Action</th>
                </tr>
              </thead>
              <tbody>
                {(list.data ?? []).map((e) =>
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
                      <td>{e.category}</td>
                      <td>{regionName(e.region)}</td>
                      <td>
                        <button type="button" class="button button-small button-secondary" onClick={() => setEditing(e.finess)}>
                          Modifier<span class="sr-only"> {e.name}</span>
                        </button>
                      </td>
                    </tr>
                  ),
                )}
              </tbody>
            </table>
          </TableWrap>
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
          <td colSpan={5}>
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

/** Which laboratories serve which establishment, rebuilt from the audit log (no list endpoint). */
function linksFromAudit(entries: AuditEntry[]): Map<string, string[]> {
  const links = new Map<string, string[]>();
  for (const e of entries) {
    if (!e.target.startsWith('establishment:') || e.target.includes('/')) continue;
    const labs = e.after?.laboratories;
    if (Array.isArray(labs)) links.set(e.target.slice('establishment:'.length), labs.map(String));
  }
  return links;
}

function Laboratories() {
  const labs = useLoad(adminApi.laboratories, []);
  const audit = useLoad(() => adminApi.audit().catch(() => [] as AuditEntry[]), []);
  const [name, setName] = useState('');
  const [code, setCode] = useState('');
  const [finess, setFiness] = useState('');
  const [labId, setLabId] = useState('');
  const [notice, setNotice] = useState<string | null>(null);
  const create = useAction();
  const link = useAction();
  const links = useMemo(() => linksFromAudit(audit.data ?? []), [audit.data]);
  const servedBy = (id: string) => [...links.entries()].filter(([, l]) => l.includes(id)).map(([f]) => f);

  async function submitCreate(ev: Event) {
    ev.preventDefault();
    const lab = await create.run(() => adminApi.createLaboratory({ name: name.trim(), ...(code.trim() ? { ears_net_code: code.trim() } : {}) }));
    if (lab) {
      setNotice(`Laboratoire « ${lab.name} » créé.`);
      setName('');
      setCode('');
      setLabId(lab.id);
      labs.reload();
      audit.reload();
    }
  }

  async function submitLink(ev: Event) {
    ev.preventDefault();
    const ok = await link.run(async () => {
      await adminApi.linkLaboratory(finess, labId);
      return true;
    });
    if (ok) {
      setNotice(`Laboratoire rattaché à l'établissement ${finess}.`);
      audit.reload();
    }
  }

  const columns: Column<Laboratory>[] = [
    { label: 'Nom', value: (l) => l.name, header: true },
    { label: 'Code EARS-Net', value: (l) => l.ears_net_code ?? '' },
    { label: 'Identifiant', value: (l) => l.id, render: (l) => <span class="mono">{l.id}</span> },
    { label: 'Établissements servis (FINESS)', value: (l) => servedBy(l.id).join(', ') },
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
          <Field label="Code EARS-Net" value={code} onValue={setCode} hint="Par exemple FR-LAB-123." />
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

interface Granted {
  email: string;
  type: string;
  region?: string;
  at: string;
}

/** Profiles in force, rebuilt from the audit log (the API has no list of profiles). */
function profilesFromAudit(entries: AuditEntry[]): Granted[] {
  const current = new Map<string, Granted>();
  for (const e of entries) {
    if (!e.target.startsWith('user:')) continue;
    const email = e.target.slice('user:'.length);
    if (e.action === 'profile.grant' && e.after) {
      const type = String(e.after.type);
      current.set(`${email}|${type}`, { email, type, region: (e.after.region as string | null) ?? undefined, at: e.at });
    } else if (e.action === 'profile.revoke' && e.before) {
      current.delete(`${email}|${String(e.before.type)}`);
    }
  }
  return [...current.values()].sort((a, b) => a.email.localeCompare(b.email));
}

function Profiles() {
  const regions = useRegions();
  const audit = useLoad(() => adminApi.audit(), []);
  const [email, setEmail] = useState('');
  const [type, setType] = useState('');
  const [region, setRegion] = useState('');
  const [notice, setNotice] = useState<string | null>(null);
  const grant = useAction();
  const revoke = useAction();
  const granted = useMemo(() => profilesFromAudit(audit.data ?? []), [audit.data]);
  const regionName = (code?: string) => (code ? (regions.data?.find((r) => r.code === code)?.name ?? code) : '');

  async function submit(ev: Event) {
    ev.preventDefault();
    const ok = await grant.run(async () => {
      await adminApi.grantProfile({ email: email.trim(), type, ...(type === 'regional' ? { region } : {}) });
      return true;
    });
    if (ok) {
      setNotice(`Profil ${type} attribué à ${email.trim()}.`);
      setEmail('');
      audit.reload();
    }
  }

  async function remove(g: Granted) {
    if (!window.confirm(`Retirer le profil « ${g.type} » de ${g.email} ?`)) return;
    const ok = await revoke.run(async () => {
      await adminApi.revokeProfile(g.email, g.type);
      return true;
    });
    if (ok) {
      setNotice(`Profil ${g.type} retiré à ${g.email}.`);
      audit.reload();
    }
  }

  return (
    <>
      <StatusMessage>{notice}</StatusMessage>
      <section class="card" aria-labelledby="profils-en-place">
        <h2 id="profils-en-place">Profils attribués</h2>
        <p class="muted">Reconstitués d'après le journal d'audit.</p>
        <ErrorAlert error={audit.error ?? revoke.error} />
        {audit.loading && !audit.data ? (
          <Loading />
        ) : (
          <TableWrap label="Profils attribués">
            <table class="compact">
              <thead>
                <tr>
                  <th scope="col">E-mail</th>
                  <th scope="col">Profil</th>
                  <th scope="col">Région</th>
                  <th scope="col">Depuis</th>
                  <th scope="col">Action</th>
                </tr>
              </thead>
              <tbody>
                {granted.map((g) => (
                  <tr key={`${g.email}-${g.type}`}>
                    <th scope="row">{g.email}</th>
                    <td>{PROFILE_TYPES.find((p) => p.value === g.type)?.label ?? g.type}</td>
                    <td>{regionName(g.region)}</td>
                    <td>{formatDateTime(g.at)}</td>
                    <td>
                      <button type="button" class="button button-small button-danger" disabled={revoke.busy} onClick={() => void remove(g)}>
                        Retirer<span class="sr-only"> le profil {g.type} de {g.email}</span>
                      </button>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </TableWrap>
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
};

const short = (v: unknown) => {
  const text = typeof v === 'string' ? v : JSON.stringify(v);
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
            <span class="muted">{k} :</span> {b !== undefined && b !== null && <del>{short(b)}</del>}
            {b !== undefined && b !== null && a !== undefined && ' → '}
            {a !== undefined && a !== null && <span>{short(a)}</span>}
          </li>
        );
      })}
    </ul>
  );
}

const compact = (v: unknown) => (v === null || v === undefined ? '' : JSON.stringify(v));

function AuditLog() {
  const [since, setSince] = useState('');
  const [filter, setFilter] = useState('');
  const log = useLoad(() => adminApi.audit(since ? `${since}T00:00:00` : undefined), [since]);
  const words = filter.trim().toLowerCase().split(/\s+/).filter(Boolean);
  const rows = [...(log.data ?? [])]
    .reverse()
    .filter((e) => words.every((w) => `${e.actor} ${e.action} ${e.target} ${compact(e.after)} ${compact(e.before)}`.toLowerCase().includes(w)));
  const columns: Column<AuditEntry>[] = [
    { label: 'Date', value: (e) => e.at, render: (e) => formatDateTime(e.at) },
    { label: 'Auteur', value: (e) => e.actor },
    { label: 'Action', value: (e) => e.action, render: (e) => ACTION_LABELS[e.action] ?? e.action },
    { label: 'Cible', value: (e) => e.target, render: (e) => <span class="mono">{e.target}</span> },
    { label: 'Détail', value: () => '', screenOnly: true, render: (e) => <Change before={e.before} after={e.after} /> },
    { label: 'Avant', value: (e) => compact(e.before), csvOnly: true },
    { label: 'Après', value: (e) => compact(e.after), csvOnly: true },
  ];
  return (
    <section class="card" aria-labelledby="journal">
      <h2 id="journal">Journal d'audit</h2>
      <div class="field-row">
        <div class="field">
          <label for="depuis">Depuis le</label>
          <input id="depuis" type="date" value={since} onChange={(e) => setSince(e.currentTarget.value)} />
        </div>
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
