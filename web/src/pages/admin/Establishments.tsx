// Administration screen of the establishments: list with referent, members, requests and periods; editing; creation.
import { useState } from 'preact/hooks';
import type { Establishment, Region } from '../../api';
import { ErrorAlert, Loading, StatusMessage } from '../../components/Alert';
import { CellSelect, Field, SelectField } from '../../components/Field';
import { Table } from '../../components/TableWrap';
import { formatNumber, plural, statusLabel } from '../../format';
import { useAction, useLoad } from '../../hooks';
import { CATEGORY_LABELS } from '../../indicatorLabels';
import { PERIOD_STATUS_LABELS, PERIOD_STATUS_TONES } from '../../labels';
import { defaultDataYear, yearOptions } from '../../year';
import { adminApi } from './adminApi';
import { useRegions } from './shared';

const categoryOptions = Object.entries(CATEGORY_LABELS).map(([value, label]) => ({ value, label: `${value} — ${label}` }));

export function Establishments() {
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
            <Table
              label="Établissements"
              class="compact wrap-head admin-es"
              head={[
                'FINESS',
                'Nom',
                'Catégorie',
                'Région',
                'Référent',
                { label: 'Membres', numeric: true },
                { label: 'Demandes en attente', numeric: true },
                `Périodes ${year}`,
                'Action',
              ]}
            >
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
            </Table>
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
          <CellSelect
            id={`cat-${e.finess}`}
            label="Catégorie"
            value={category}
            onValue={setCategory}
            options={categoryOptions.map((o) => ({ value: o.value, label: o.value }))}
          />
        </td>
        <td>
          <CellSelect
            id={`reg-${e.finess}`}
            label="Région"
            value={region}
            onValue={setRegion}
            options={regions.map((r) => ({ value: r.code, label: r.name }))}
          />
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
