// Administration screen of the national methods: the period over which a year's antibiograms are deduplicated
// (DOMAIN.md §6), each change a new version with its reason; the versions in force before are listed.
import { useState } from 'preact/hooks';
import { request } from '../../api';
import { ErrorAlert, Loading, StatusMessage } from '../../components/Alert';
import { SelectField } from '../../components/Field';
import { Table } from '../../components/TableWrap';
import { useAction, useLoad } from '../../hooks';

export interface DedupVersion {
  version: number;
  period: string;
  period_label: string;
  rule: string;
  rule_label: string;
  blood_rule: string;
  blood_rule_label: string;
  set_by: string | null;
  set_at: string | null;
  reason: string;
}

const PERIODS = [
  { value: 'annee', label: "Sur l'année entière (règle de la plateforme)" },
  { value: 'periode-import', label: "Par période d'import (décisions de chaque trimestre additionnées)" },
];

const getDedup = () => request<{ current: DedupVersion; versions: DedupVersion[] }>('GET', '/methods/deduplication');

export function Methods() {
  const setting = useLoad(getDedup, []);
  const [period, setPeriod] = useState('');
  const [reason, setReason] = useState('');
  const [notice, setNotice] = useState<string | null>(null);
  const { busy, error, run } = useAction();
  const current = setting.data?.current;

  async function submit(ev: Event) {
    ev.preventDefault();
    const changed = await run(() => request<DedupVersion>('PUT', '/methods/deduplication', { period, reason: reason.trim() }));
    if (changed) {
      setNotice(`Version ${changed.version} en vigueur : dédoublonnage ${changed.period_label}.`);
      setReason('');
      setPeriod('');
      setting.reload();
    }
  }

  if (!setting.data) return setting.error ? <ErrorAlert error={setting.error} /> : <Loading />;
  return (
    <>
      <StatusMessage>{notice}</StatusMessage>
      <section class="card" aria-labelledby="methode-en-vigueur">
        <h2 id="methode-en-vigueur">Dédoublonnage des indicateurs annuels</h2>
        {current && (
          <p>
            <strong>Version {current.version}</strong> : dédoublonnage {current.period_label}. Règle{' '}
            <span data-rule={current.rule}>« {current.rule_label} »</span> ; hémocultures{' '}
            <span data-rule={current.blood_rule}>« {current.blood_rule_label} »</span>. Chaque résultat
            de résistance nomme la règle et la version qui l'ont produit.
          </p>
        )}
      </section>
      <form class="form card" onSubmit={submit} aria-labelledby="changer-methode">
        <h2 id="changer-methode">Changer la période de dédoublonnage</h2>
        <p class="muted">
          S'applique aussitôt à tous les indicateurs annuels de résistance (établissements, régions, nation, données ouvertes),
          toutes années confondues ; les vues trimestrielles gardent leurs propres décisions. Le changement crée une nouvelle
          version, tracée dans le journal avec son motif.
        </p>
        <ErrorAlert error={error} />
        <SelectField
          label="Période de dédoublonnage"
          value={period}
          onValue={setPeriod}
          placeholder="— Choisir —"
          required
          options={PERIODS.map((p) => ({ ...p, disabled: p.value === current?.period }))}
        />
        <div class="field">
          <label for="motif-methode">
            Motif du changement <span class="required">(obligatoire)</span>
          </label>
          <textarea id="motif-methode" rows={3} value={reason} required maxLength={500} onInput={(e) => setReason(e.currentTarget.value)} />
        </div>
        <div class="actions">
          <button type="submit" class="button" disabled={busy || !period || !reason.trim()}>
            Créer la nouvelle version
          </button>
        </div>
      </form>
      <Table
        label="Versions du réglage"
        class="compact"
        caption="Versions du réglage, la plus récente d'abord"
        head={['Version', 'Période', 'Règle', 'Par', 'Le', 'Motif']}
      >
        {setting.data.versions.map((v) => (
          <tr key={v.version}>
            <th scope="row">{v.version}</th>
            <td>{v.period_label}</td>
            <td data-rule={v.rule}>{v.rule_label}</td>
            <td>{v.set_by ?? 'Plateforme'}</td>
            <td>{v.set_at ? new Date(v.set_at).toLocaleString('fr-FR') : '—'}</td>
            <td>{v.reason}</td>
          </tr>
        ))}
      </Table>
    </>
  );
}
