// Administration screen of the regional, national and administrator profiles: list, granting, revoking.
import { useState } from 'preact/hooks';
import { ErrorAlert, Loading, StatusMessage } from '../../components/Alert';
import { type Column, DataTable } from '../../components/DataTable';
import { Field, SelectField } from '../../components/Field';
import { personName, profileLabel } from '../../format';
import { useAction, useLoad } from '../../hooks';
import { adminApi, type ProfileHolder } from './adminApi';
import { useRegions } from './shared';

const PROFILE_TYPES = [
  { value: 'regional', label: 'Régional (une région)' },
  { value: 'national', label: 'National' },
  { value: 'admin', label: 'Administrateur' },
];

export function Profiles() {
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
