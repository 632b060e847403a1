// Administration screen to reopen a closed period of an establishment, with its reason.
import { useState } from 'preact/hooks';
import { ErrorAlert, StatusMessage } from '../../components/Alert';
import { SelectField } from '../../components/Field';
import { Table } from '../../components/TableWrap';
import { useAction, useLoad } from '../../hooks';
import { getPeriods, type PeriodState, reopenPeriod } from '../../indicators';
import { PERIOD_STATUS_LABELS, PERIOD_STATUS_TONES, periodLabel, periodShort } from '../../labels';
import { defaultDataYear, quarters, yearOptions } from '../../year';
import { EstablishmentPicker } from './shared';

export function Reopen() {
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
          <Table label="Statut des périodes" class="compact" head={['Période', 'Statut']}>
            {known.map((p) => (
              <tr key={p.period}>
                <th scope="row">{periodShort(p.period)}</th>
                <td>
                  <span class={`badge tone-${PERIOD_STATUS_TONES[p.status] ?? 'none'}`}>{PERIOD_STATUS_LABELS[p.status] ?? p.status}</span>
                </td>
              </tr>
            ))}
          </Table>
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
