import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import {
  ApiError,
  getEstablishments,
  getRegions,
  requestAccess,
  type AccessRequestResult,
  type Establishment,
  type Region,
} from '../api';
import { ErrorAlert, Loading } from '../components/Alert';
import { CharterText } from '../components/Charter';
import { Field, SelectField } from '../components/Field';
import { Page } from '../components/Page';
import { plural } from '../format';
import { useAction, useLoad } from '../hooks';
import { useUser } from '../user';

export function AccessRequest() {
  const { me, reloadMe } = useUser();
  const regions = useLoad<Region[]>(getRegions, []);
  const [region, setRegion] = useState('');
  const establishments = useLoad<Establishment[]>(
    () => (region ? getEstablishments(region) : Promise.resolve([])),
    [region],
  );
  const [filter, setFilter] = useState('');
  const [finess, setFiness] = useState('');
  const [charterNeeded, setCharterNeeded] = useState(false);
  const [result, setResult] = useState<AccessRequestResult | null>(null);
  const { busy, error, run } = useAction();

  const memberOf = new Set(me?.memberships.map((m) => m.finess) ?? []);
  const pendingFor = new Set(me?.pending_requests.map((r) => r.finess).filter(Boolean) ?? []);

  const visible = useMemo(() => {
    const words = filter.trim().toLowerCase().split(/\s+/).filter(Boolean);
    return (establishments.data ?? [])
      .filter((e) => words.every((w) => `${e.name} ${e.finess} ${e.category}`.toLowerCase().includes(w)))
      .sort((a, b) => a.name.localeCompare(b.name, 'fr'));
  }, [establishments.data, filter]);

  const chosen = establishments.data?.find((e) => e.finess === finess);

  function chooseRegion(code: string) {
    setRegion(code);
    setFiness('');
    setFilter('');
    setCharterNeeded(false);
  }

  async function submit(body: Parameters<typeof requestAccess>[1]) {
    const answer = await run(async () => {
      try {
        return await requestAccess(finess, body);
      } catch (e) {
        if (e instanceof ApiError && e.status === 400 && e.code === 'ERR_CHARTER_REQUIRED') {
          setCharterNeeded(true);
          return null;
        }
        throw e;
      }
    });
    if (answer) {
      setResult(answer);
      void reloadMe();
    }
  }

  if (result && chosen) return <Done result={result} establishment={chosen} />;

  return (
    <Page
      title="Demander l'accès à un établissement"
      lead="Choisissez la région puis l'établissement. Votre demande sera examinée par le référent de l'établissement."
    >
      <ErrorAlert error={regions.error ?? establishments.error} />
      {regions.loading && !regions.data ? (
        <Loading label="Chargement des régions…" />
      ) : (
        <form
          class="form card"
          onSubmit={(e) => {
            e.preventDefault();
            if (!charterNeeded) void submit({});
          }}
        >
          <SelectField
            label="Région"
            value={region}
            onValue={chooseRegion}
            placeholder="— Choisir une région —"
            required
            options={(regions.data ?? []).map((r) => ({ value: r.code, label: r.name }))}
          />
          {region && establishments.loading && <Loading label="Chargement des établissements…" />}
          {region && establishments.data && !establishments.loading && (
            <>
              <Field
                label="Filtrer les établissements"
                type="search"
                value={filter}
                onValue={setFilter}
                hint="Nom, numéro FINESS ou catégorie."
                autocomplete="off"
              />
              <SelectField
                label="Établissement"
                value={finess}
                onValue={(v) => {
                  setFiness(v);
                  setCharterNeeded(false);
                }}
                placeholder={`— ${plural(visible.length, 'établissement')} —`}
                required
                options={visible.map((e) => ({
                  value: e.finess,
                  label:
                    `${e.name} (${e.category}) — FINESS ${e.finess}` +
                    (memberOf.has(e.finess) ? ' — déjà membre' : pendingFor.has(e.finess) ? ' — demande en attente' : ''),
                  disabled: memberOf.has(e.finess) || pendingFor.has(e.finess),
                }))}
              />
            </>
          )}
          {!charterNeeded && (
            <div class="actions">
              <button type="submit" class="button" disabled={busy || !finess}>
                {busy ? 'Envoi…' : 'Envoyer la demande'}
              </button>
            </div>
          )}
          {!charterNeeded && <ErrorAlert error={error} />}
        </form>
      )}
      {charterNeeded && chosen && <CharterForm establishment={chosen} busy={busy} error={error} onSubmit={submit} />}
    </Page>
  );
}

interface CharterFormProps {
  establishment: Establishment;
  busy: boolean;
  error: ReturnType<typeof useAction>['error'];
  onSubmit: (body: { charter_accepted: true; direction_email: string; dpo_email?: string }) => void;
}

function CharterForm({ establishment, busy, error, onSubmit }: CharterFormProps) {
  const [accepted, setAccepted] = useState(false);
  const [direction, setDirection] = useState('');
  const [dpo, setDpo] = useState('');
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), []);

  return (
    <form
      class="form card"
      aria-labelledby="charte-intro"
      onSubmit={(e) => {
        e.preventDefault();
        onSubmit({ charter_accepted: true, direction_email: direction.trim(), dpo_email: dpo.trim() || undefined });
      }}
    >
      <h2 id="charte-intro" tabIndex={-1} ref={heading}>
        Vous êtes la première personne inscrite pour {establishment.name}
      </h2>
      <p>
        Vous deviendrez le <strong>référent</strong> de l'établissement. Lisez et acceptez la charte, puis indiquez
        l'adresse e-mail de la direction.
      </p>
      <CharterText />
      <div class="field checkbox">
        <input id="charte-ok" type="checkbox" checked={accepted} required onChange={(e) => setAccepted(e.currentTarget.checked)} />
        <label for="charte-ok">J'ai lu la charte d'utilisation et je l'accepte.</label>
      </div>
      <Field
        label="E-mail de la direction de l'établissement"
        type="email"
        value={direction}
        onValue={setDirection}
        required
        autocomplete="off"
      />
      <Field
        label="E-mail du délégué à la protection des données (DPO)"
        type="email"
        value={dpo}
        onValue={setDpo}
        autocomplete="off"
      />
      <ErrorAlert error={error} />
      <div class="actions">
        <button type="submit" class="button" disabled={busy || !accepted}>
          {busy ? 'Envoi…' : 'Accepter la charte et devenir référent'}
        </button>
      </div>
    </form>
  );
}

function Done({ result, establishment }: { result: AccessRequestResult; establishment: Establishment }) {
  const granted = result.status === 'granted';
  return (
    <Page title={granted ? 'Vous êtes référent' : 'Demande envoyée'}>
      <div role="status" class="alert alert-success">
        {granted ? (
          <p>
            Vous êtes désormais <strong>référent</strong> de {establishment.name}. Une lettre d'information a été
            envoyée à la direction de l'établissement.
          </p>
        ) : (
          <p>
            Votre demande d'accès à {establishment.name} a bien été transmise. Le référent de l'établissement va
            l'examiner ; vous la retrouverez dans « Mon espace » en attendant sa décision.
          </p>
        )}
      </div>
      <div class="actions">
        {granted && (
          <a class="button" href={`#/etablissements/${encodeURIComponent(establishment.finess)}`}>
            Ouvrir la page de l'établissement
          </a>
        )}
        <a class={granted ? 'button button-secondary' : 'button'} href="#/espace">
          Retour à mon espace
        </a>
      </div>
    </Page>
  );
}
