import { useEffect, useState } from 'preact/hooks';
import { getSettings, putSettings, type Periodicity } from '../data';
import { useAction, useLoad } from '../hooks';
import { PERIODICITY_LABELS } from '../labels';
import { defaultDataYear } from '../year';
import { ErrorAlert, Loading, StatusMessage } from './Alert';
import type { Rights } from './EstablishmentShell';
import { SelectField } from './Field';
import { YearSelect } from './YearSelect';

const OPTIONS = (Object.keys(PERIODICITY_LABELS) as Periodicity[]).map((p) => ({ value: p, label: PERIODICITY_LABELS[p] }));

/** The year's periodicities: consumption with patient-days, and resistance. */
export function SettingsForm({ rights }: { rights: Rights }) {
  const { finess } = rights;
  const [year, setYear] = useState(defaultDataYear());
  const settings = useLoad(() => getSettings(finess, year), [finess, year]);
  const [consumption, setConsumption] = useState<Periodicity>('quarter');
  const [resistance, setResistance] = useState<Periodicity>('quarter');
  const [notice, setNotice] = useState<string | null>(null);
  const { busy, error, setError, run } = useAction();
  const canEdit = rights.upload;

  useEffect(() => {
    setConsumption(settings.data?.consumption_periodicity ?? 'quarter');
    setResistance(settings.data?.resistance_periodicity ?? 'quarter');
    setNotice(null);
    setError(null);
  }, [settings.data]);

  async function submit(e: Event) {
    e.preventDefault();
    const saved = await run(() =>
      putSettings(finess, year, { consumption_periodicity: consumption, resistance_periodicity: resistance }),
    );
    if (saved) {
      setNotice(`Périodicités ${year} enregistrées.`);
      settings.reload();
    }
  }

  const unset = settings.data && !settings.data.consumption_periodicity && !settings.data.resistance_periodicity;

  return (
    <section class="card" aria-labelledby="periodicites">
      <h2 id="periodicites">Périodicités</h2>
      <p class="hint">
        Les consommations et les journées d'hospitalisation partagent une périodicité ; les résistances peuvent en avoir
        une autre. Elle ne change plus une fois des fichiers déposés pour l'année.
      </p>
      <div class="toolbar">
        <YearSelect value={year} onValue={setYear} />
      </div>
      <ErrorAlert error={settings.error ?? error} />
      <StatusMessage>{notice}</StatusMessage>
      {settings.loading ? (
        <Loading />
      ) : (
        <form class="form" onSubmit={submit}>
          {unset && <p class="muted">Pas encore choisies pour {year} : le premier fichier déposé les fixe.</p>}
          <div class="field-row">
            <SelectField
              label="Consommations et journées"
              value={consumption}
              onValue={(v) => setConsumption(v as Periodicity)}
              options={OPTIONS}
              disabled={!canEdit}
            />
            <SelectField
              label="Résistances"
              value={resistance}
              onValue={(v) => setResistance(v as Periodicity)}
              options={OPTIONS}
              disabled={!canEdit}
            />
          </div>
          {canEdit && (
            <div class="actions">
              <button type="submit" class="button" disabled={busy}>
                Enregistrer les périodicités {year}
              </button>
            </div>
          )}
        </form>
      )}
    </section>
  );
}
