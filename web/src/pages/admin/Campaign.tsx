// Administration screen of a year's campaign (DOMAIN.md §10.9): the national deadline and the days before it on which
// the référents of incomplete establishments are reminded by e-mail; the reminders already sent are listed.
import { useEffect, useState } from 'preact/hooks';
import { request } from '../../api';
import { ErrorAlert, Loading, StatusMessage } from '../../components/Alert';
import { Field } from '../../components/Field';
import { Table } from '../../components/TableWrap';
import { YearSelect } from '../../components/YearSelect';
import { useAction, useLoad } from '../../hooks';
import { defaultDataYear } from '../../year';

interface CampaignDocument {
  year: number;
  deadline: string | null;
  reminder_days: number[];
  set_by?: string;
  set_at?: string;
  reminders: { day: number; finess: string; name: string; sent_at: string; recipients: number }[];
}

const getCampaign = (year: number) => request<CampaignDocument>('GET', `/admin/campaign/${year}`);
const frenchDate = (iso: string) => new Date(`${iso}T12:00:00`).toLocaleDateString('fr-FR');

/** "30, 7, 1" → [30, 7, 1]; null when a part is not a whole number. */
function parseDays(text: string): number[] | null {
  const parts = text.split(/[,;\s]+/).filter(Boolean);
  if (parts.some((p) => !/^\d{1,3}$/.test(p))) return null;
  return parts.map(Number);
}

export function Campaign() {
  const [year, setYear] = useState(defaultDataYear());
  const campaign = useLoad(() => getCampaign(year), [year]);
  const [deadline, setDeadline] = useState('');
  const [days, setDays] = useState('');
  const [notice, setNotice] = useState<string | null>(null);
  const { busy, error, run } = useAction();
  const parsed = parseDays(days);

  useEffect(() => {
    setDeadline(campaign.data?.deadline ?? '');
    setDays((campaign.data?.reminder_days ?? []).join(', '));
  }, [campaign.data]);

  async function submit(ev: Event) {
    ev.preventDefault();
    if (!parsed) return;
    const saved = await run(() => request<CampaignDocument>('PUT', `/admin/campaign/${year}`, { deadline, reminder_days: parsed }));
    if (saved?.deadline) {
      setNotice(`Campagne ${year} enregistrée : date limite le ${frenchDate(saved.deadline)}.`);
      campaign.reload();
    }
  }

  return (
    <>
      <StatusMessage>{notice}</StatusMessage>
      <div class="toolbar">
        <YearSelect value={year} onValue={(y) => { setYear(y); setNotice(null); }} label="Année des données" />
      </div>
      {!campaign.data ? (
        campaign.error ? <ErrorAlert error={campaign.error} /> : <Loading />
      ) : (
        <>
          <form class="form card" onSubmit={submit} aria-labelledby="campagne">
            <h2 id="campagne">Campagne {year}</h2>
            <p class="muted">
              Date limite nationale d'envoi et de clôture des données {year}. Aux jours de relance choisis, les référents des
              établissements dont une période manque ou n'est pas clôturée reçoivent un courriel (une seule fois par jour de
              relance).
            </p>
            <ErrorAlert error={error} />
            <div class="field">
              <label for="date-limite">
                Date limite <span class="required">(obligatoire)</span>
              </label>
              <input id="date-limite" type="date" required value={deadline} min={`${year}-01-01`} onInput={(e) => setDeadline(e.currentTarget.value)} />
            </div>
            <Field
              label="Jours de relance avant la date limite"
              required
              inputMode="numeric"
              value={days}
              onValue={setDays}
              hint="Nombres de jours séparés par des virgules, par exemple « 30, 7, 1 » (0 : le jour même)."
            />
            {days !== '' && !parsed && (
              <p role="alert" class="alert alert-error">
                Indiquez des nombres entiers de jours, séparés par des virgules.
              </p>
            )}
            <div class="actions">
              <button type="submit" class="button" disabled={busy || !deadline || !parsed}>
                Enregistrer la campagne
              </button>
            </div>
            {campaign.data.set_at && (
              <p class="muted">
                Dernière modification par {campaign.data.set_by} le {new Date(campaign.data.set_at).toLocaleString('fr-FR')}.
              </p>
            )}
          </form>
          <section class="card" aria-labelledby="relances">
            <h2 id="relances">Relances envoyées</h2>
            {campaign.data.reminders.length === 0 ? (
              <p class="muted">Aucune relance envoyée pour la campagne {year}.</p>
            ) : (
              <Table
                label="Relances envoyées"
                class="compact"
                caption="Relances envoyées"
                captionHidden
                head={['Établissement', 'Relance', 'Envoyée le', { label: 'Destinataires', numeric: true }]}
              >
                {campaign.data.reminders.map((r) => (
                  <tr key={`${r.day}-${r.finess}`}>
                    <th scope="row">
                      {r.name} <span class="muted">{r.finess}</span>
                    </th>
                    <td>{r.day === 0 ? 'le jour même' : `J-${r.day}`}</td>
                    <td>{new Date(r.sent_at).toLocaleString('fr-FR')}</td>
                    <td class="num">{r.recipients}</td>
                  </tr>
                ))}
              </Table>
            )}
          </section>
        </>
      )}
    </>
  );
}
