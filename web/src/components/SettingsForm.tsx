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

/** The year's settings: its periodicities (consumption with patient-days, and resistance), and
 * whether its consumption files cover antifungals (DOMAIN.md §10.5), each saved on its own. */
export function SettingsForm({ rights }: { rights: Rights }) {
  const { finess } = rights;
  const [year, setYear] = useState(defaultDataYear());
  const settings = useLoad(() => getSettings(finess, year), [finess, year]);
  const [consumption, setConsumption] = useState<Periodicity>('quarter');
  const [resistance, setResistance] = useState<Periodicity>('quarter');
  const [antifungals, setAntifungals] = useState(true);
  const [notice, setNotice] = useState<string | null>(null);
  const { busy, error, setError, run } = useAction();
  const canEdit = rights.upload;

  useEffect(() => {
    setConsumption(settings.data?.consumption_periodicity ?? 'quarter');
    setResistance(settings.data?.resistance_periodicity ?? 'quarter');
    setAntifungals(settings.data?.antifungals_reported ?? true);
  }, [settings.data]);

  useEffect(() => {
    // Another year: the last save's notice (kept over the reload that follows a save) no longer applies.
    setNotice(null);
    setError(null);
  }, [year]);

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

  async function submitAntifungals(e: Event) {
    e.preventDefault();
    const saved = await run(() => putSettings(finess, year, { antifungals_reported: antifungals }));
    if (saved) {
      setNotice(
        antifungals
          ? `${year} : vos consommations couvrent les antifongiques ; l'établissement compte dans leurs indicateurs.`
          : `${year} : vos consommations ne couvrent pas les antifongiques ; l'établissement sort de leurs indicateurs.`,
      );
      settings.reload();
    }
  }

  const unset = settings.data && !settings.data.consumption_periodicity && !settings.data.resistance_periodicity;

  return (
    <section class="card" aria-labelledby="periodicites">
      <h2 id="periodicites">Réglages de l'année</h2>
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
      {!settings.loading && (
        <form class="form" onSubmit={submitAntifungals} aria-labelledby="antifongiques-titre">
          <h3 id="antifongiques-titre">Antifongiques</h3>
          <div class="field checkbox">
            <input
              id="antifongiques"
              type="checkbox"
              checked={antifungals}
              disabled={!canEdit}
              aria-describedby="antifongiques-aide"
              onChange={(e) => setAntifungals(e.currentTarget.checked)}
            />
            <label for="antifongiques">Nos fichiers de consommation couvrent les antifongiques (J02)</label>
          </div>
          <p class="hint" id="antifongiques-aide">
            Cochée tant que vous n'avez rien déclaré pour {year}. Décochez-la si vos fichiers de {year} ne comptent pas les
            antifongiques : l'établissement sort alors des indicateurs d'antifongiques (numérateur et dénominateur), au lieu
            d'y compter pour zéro.
          </p>
          {canEdit && (
            <div class="actions">
              <button type="submit" class="button" disabled={busy}>
                Enregistrer la couverture des antifongiques {year}
              </button>
            </div>
          )}
        </form>
      )}
    </section>
  );
}
