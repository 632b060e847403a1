// Administration screen of the laboratories: list with the establishments served, creation, linking to an establishment.
import { useState } from 'preact/hooks';
import { ErrorAlert, Loading, StatusMessage } from '../../components/Alert';
import { type Column, DataTable } from '../../components/DataTable';
import { Field, SelectField } from '../../components/Field';
import { useAction, useLoad } from '../../hooks';
import { adminApi, type LinkedLaboratory } from './adminApi';
import { EstablishmentPicker } from './shared';

export function Laboratories() {
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
    { label: 'Identifiant', value: (l) => l.id, csvOnly: true },
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
