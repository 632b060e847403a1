// The national team remakes a year's standard reports and syntheses (API.md "Reports"): every report of
// the year or one scope; the request runs in a workflow of its own, followed here until it is done.
import { useState } from 'preact/hooks';
import { ErrorAlert, StatusMessage } from '../../components/Alert';
import { Field } from '../../components/Field';
import { formatDateTime, plural } from '../../format';
import { useAction } from '../../hooks';
import { type GenerationRequest, generateReports, getGeneration } from '../../reports';
import { defaultDataYear } from '../../year';
import { DataYearField } from './shared';

/** How often and how long the screen follows a running request (a national year takes minutes). */
const FOLLOW_EVERY_MS = 1500;
const FOLLOW_ATTEMPTS = 1200;

function outcome(found: GenerationRequest): string {
  if (found.status === 'running') return `Génération ${found.year} toujours en cours : revenez dans quelques minutes.`;
  if (found.status === 'failed') return found.failure ?? `Génération ${found.year} en échec : relancez-la.`;
  const made = plural(found.items.made, 'rapport produit', 'rapports produits');
  return found.items.failed
    ? `Génération ${found.year} terminée : ${made}, ${plural(found.items.failed, 'échec', 'échecs')} (détail ci-dessous).`
    : `Génération ${found.year} terminée : ${made}.`;
}

export function ReportGeneration() {
  const [year, setYear] = useState(defaultDataYear());
  const [scope, setScope] = useState('');
  const [shown, setShown] = useState<GenerationRequest | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const { busy, error, run } = useAction();

  async function launch(ev: Event) {
    ev.preventDefault();
    setNotice(null);
    const done = await run(async () => {
      let current = await generateReports(year, scope.trim() || undefined);
      setShown(current);
      setNotice(`Génération ${year} en cours : les rapports sont refaits sur les données clôturées…`);
      for (let attempt = 0; current.status === 'running' && attempt < FOLLOW_ATTEMPTS; attempt++) {
        await new Promise((resolve) => setTimeout(resolve, FOLLOW_EVERY_MS));
        current = await getGeneration(year, current.job_id);
        setShown(current);
      }
      return current;
    });
    if (done) setNotice(outcome(done));
  }

  return (
    <>
      <StatusMessage>{notice}</StatusMessage>
      <form class="form card" onSubmit={launch} aria-labelledby="regenerer-rapports">
        <h2 id="regenerer-rapports">Régénérer les rapports</h2>
        <p class="muted">
          Refait, sur les données clôturées, le rapport annuel de chaque établissement dont l'année est clôturée, la
          synthèse de chaque région et la synthèse nationale ; chaque rapport gagne une nouvelle version, les précédentes
          restent disponibles.
        </p>
        <ErrorAlert error={error} />
        <DataYearField year={year} onYear={setYear} />
        <Field
          label="Périmètre"
          value={scope}
          onValue={setScope}
          hint="Vide : tous les rapports de l'année. Sinon region:52, national ou establishment:440000990."
        />
        <button type="submit" class="button" disabled={busy} data-action="generate-reports">
          {busy ? 'Génération en cours…' : 'Régénérer les rapports'}
        </button>
      </form>
      {shown && <GenerationDetail item={shown} />}
    </>
  );
}

function GenerationDetail({ item }: { item: GenerationRequest }) {
  const status = { running: 'En cours', done: 'Terminée', failed: 'Échec' }[item.status];
  return (
    <section class="card" aria-labelledby="generation-detail" data-generation-status={item.status} aria-live="polite">
      <h2 id="generation-detail">
        Génération {item.year} du {formatDateTime(item.created_at)} : {status}
      </h2>
      <p>
        Périmètre : {item.scope ?? "tous les rapports de l'année"}.{' '}
        {item.items.planned !== null && `${plural(item.items.planned, 'rapport prévu', 'rapports prévus')}, `}
        {plural(item.items.made, 'produit', 'produits')}, {plural(item.items.failed, 'échec', 'échecs')}.
      </p>
      {item.failure && <p class="alert alert-error">{item.failure}</p>}
      {item.failures.length > 0 && (
        <ul class="failures">
          {item.failures.map((f) => (
            <li key={f.scope}>{f.message}</li>
          ))}
        </ul>
      )}
    </section>
  );
}
