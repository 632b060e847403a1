// Dashboards: an establishment's (its members' tab, or a regional / national
// profile's view), a region's and the nation's; and the page that lists them.
import { findEstablishment, getRegions, type Me } from '../../api';
import { ErrorAlert, Loading } from '../../components/Alert';
import { EstablishmentShell } from '../../components/EstablishmentShell';
import { Page } from '../../components/Page';
import { ReportsCard } from '../../components/ReportsCard';
import { YearSelect } from '../../components/YearSelect';
import { useLoad } from '../../hooks';
import { getPeriods, type Scope } from '../../indicators';
import { periodLabel } from '../../labels';
import { nationalShelf, regionShelf, type ReportShelf } from '../../reports';
import { navigate, type Route } from '../../router';
import { useUser } from '../../user';
import { parseYear } from '../../year';
import {
  AlertsSection,
  AntibiogramSection,
  AntifungalResistanceSection,
  AwareSection,
  BenchmarkSection,
  CarbapenemaseSection,
  CombinedSection,
  CompletenessSection,
  ConsumptionSection,
  EstablishmentsSection,
  PhenotypeQuarterSection,
  PhenotypeSection,
  RegionsSection,
  ResistanceSection,
  StrategyPanel,
  TrendSection,
} from './sections';

export { AntibiogramPage } from './AntibiogramPage';

/** The sections every dashboard ends with, after its own. */
const JUMPS_INDICATORS = [
  ['consommation', 'Consommation'],
  ['aware', 'AWaRe'],
  ['tendances', 'Évolution'],
  ['resistance', 'Résistance'],
  ['phenotypes', 'Phénotypes'],
  ['alertes', 'Alertes'],
  ['carbapenemases', 'Carbapénémases'],
  ['antibiogramme', 'Antibiogramme cumulé'],
] as const;

const JUMPS_ES = [['strategie', 'Stratégie nationale'], ['comparaison', 'Comparaison'], ...JUMPS_INDICATORS] as const;

const JUMPS_SCOPE = [
  ['synthese', 'Rapport de synthèse'],
  ['completude', 'Complétude'],
  ['strategie', 'Stratégie nationale'],
  ['etablissements', 'Établissements'],
  ...JUMPS_INDICATORS,
] as const;

/** The national dashboard's: its regions compared, before its establishments. */
const JUMPS_NATION = [...JUMPS_SCOPE.slice(0, 3), ['regions-comparees', 'Régions comparées'], ...JUMPS_SCOPE.slice(3)] as const;

function Jumps({ items }: { items: readonly (readonly [string, string])[] }) {
  return (
    <nav class="jumps" aria-label="Sections du tableau de bord">
      <ul>
        {items.map(([id, label]) => (
          <li key={id}>
            <a
              href={`#${id}`}
              onClick={(e) => {
                // Hash links are routes here: scroll to the section instead.
                e.preventDefault();
                document.getElementById(id)?.scrollIntoView({ behavior: 'smooth', block: 'start' });
              }}
            >
              {label}
            </a>
          </li>
        ))}
      </ul>
    </nav>
  );
}

/** Says when some periods of the year are still open (the figures are then provisional). */
function DraftNotice({ finess, year }: { finess: string; year: number }) {
  const periods = useLoad(() => getPeriods(finess, year).catch(() => []), [finess, year]);
  const open = (periods.data ?? []).filter((p) => p.status !== 'closed');
  if (!periods.data || periods.data.length === 0) return null;
  if (open.length === 0)
    return (
      <p class="alert alert-success" data-closed="true">
        Année {year} clôturée : ces indicateurs portent sur des données figées.
      </p>
    );
  return (
    <p class="alert alert-info">
      Données provisoires : {open.map((p) => periodLabel(p.period)).join(', ')} {open.length > 1 ? 'ne sont pas clôturées' : "n'est pas clôturée"}.
      Les analyses régionales et nationales ne reprennent que les périodes clôturées.
    </p>
  );
}

export function EstablishmentDashboard({ finess, year }: { finess: string; year: number }) {
  const scope: Scope = `establishment:${finess}`;
  return (
    <div class="dashboard">
      <DraftNotice finess={finess} year={year} />
      <Jumps items={JUMPS_ES} />
      <StrategyPanel scope={scope} year={year} />
      <BenchmarkSection finess={finess} year={year} />
      <ConsumptionSection scope={scope} year={year} />
      <AwareSection scope={scope} year={year} />
      <TrendSection scope={scope} year={year} />
      <ResistanceSection scope={scope} year={year} />
      <PhenotypeSection scope={scope} year={year} />
      <PhenotypeQuarterSection scope={scope} year={year} />
      <AntifungalResistanceSection scope={scope} year={year} />
      <AlertsSection scope={scope} year={year} />
      <CarbapenemaseSection scope={scope} year={year} />
      <AntibiogramSection scope={scope} year={year} />
      <CombinedSection scope={scope} year={year} finess={finess} />
    </div>
  );
}

/** The members' tab. */
export function DashboardPage({ finess, route }: { finess: string; route: Route }) {
  const year = parseYear(route.query.get('annee'));
  return (
    <EstablishmentShell
      finess={finess}
      tab="indicateurs"
      title="Tableau de bord"
      lead="Les indicateurs de l'établissement : consommation, résistance, phénotypes, position parmi les établissements comparables."
    >
      {() => (
        <>
          <div class="toolbar">
            <YearSelect value={year} onValue={(y) => navigate(`/etablissements/${finess}/indicateurs`, { annee: String(y) })} />
          </div>
          <EstablishmentDashboard finess={finess} year={year} />
        </>
      )}
    </EstablishmentShell>
  );
}

// ---------------------------------------------------------------- profiles

const canSeeNation = (me: Me) => me.profiles.some((p) => p.type === 'national' || p.type === 'admin');
const regionsOf = (me: Me) => me.profiles.filter((p) => p.type === 'regional' && p.region).map((p) => p.region as string);

const regionList = getRegions;

function NeedsProfile() {
  return (
    <div role="alert" class="alert alert-error">
      <p>Ces indicateurs sont réservés aux profils régionaux et nationaux. Les membres d'un établissement trouvent son tableau de bord dans « Mon espace ».</p>
    </div>
  );
}

export function IndicatorsHome() {
  const { me, meError } = useUser();
  const regions = useLoad(regionList, []);
  if (!me) return <Page title="Indicateurs">{meError ? <ErrorAlert error={meError} /> : <Loading />}</Page>;
  const mine = regionsOf(me);
  const nation = canSeeNation(me);
  const visible = (regions.data ?? []).filter((r) => nation || mine.includes(r.code));
  return (
    <Page title="Indicateurs" lead="Les tableaux de bord régionaux et national, sur les données clôturées.">
      {!nation && mine.length === 0 && <NeedsProfile />}
      {me.memberships.length > 0 && (
        <section class="card" aria-labelledby="mes-es">
          <h2 id="mes-es">Mes établissements</h2>
          <ul class="plain-list">
            {me.memberships.map((m) => (
              <li key={m.finess}>
                <a href={`#/etablissements/${encodeURIComponent(m.finess)}/indicateurs`}>{m.name}</a>
              </li>
            ))}
          </ul>
        </section>
      )}
      {nation && (
        <section class="card" aria-labelledby="nation">
          <h2 id="nation">France entière</h2>
          <a class="button" href="#/indicateurs/national">
            Ouvrir le tableau de bord national
          </a>
        </section>
      )}
      {visible.length > 0 && (
        <section class="card" aria-labelledby="regions">
          <h2 id="regions">{nation ? 'Régions' : 'Ma région'}</h2>
          <ErrorAlert error={regions.error} />
          <ul class="region-list">
            {visible.map((r) => (
              <li key={r.code}>
                <a href={`#/indicateurs/regions/${r.code}`}>{r.name}</a>
              </li>
            ))}
          </ul>
        </section>
      )}
    </Page>
  );
}

export function RegionPage({ code, route }: { code: string; route: Route }) {
  const { me } = useUser();
  const year = parseYear(route.query.get('annee'));
  const regions = useLoad(regionList, []);
  const name = regions.data?.find((r) => r.code === code)?.name ?? `Région ${code}`;
  const allowed = !me || canSeeNation(me) || regionsOf(me).includes(code);
  return (
    <Page
      title={`Tableau de bord régional — ${name}`}
      context={
        <>
          <a href="#/indicateurs">Indicateurs</a> › <span>{name}</span>
        </>
      }
      lead="Agrégat de la région et chaque établissement, sur les périodes clôturées."
    >
      {!allowed ? (
        <NeedsProfile />
      ) : (
        <>
          <div class="toolbar">
            <YearSelect value={year} onValue={(y) => navigate(`/indicateurs/regions/${code}`, { annee: String(y) })} />
          </div>
          <Jumps items={JUMPS_SCOPE} />
          <SynthesisCard shelf={regionShelf(code)} year={year} />
          <CompletenessSection scope={`region:${code}`} year={year} />
          <StrategyPanel scope={`region:${code}`} year={year} />
          <EstablishmentsSection scope={`region:${code}`} year={year} />
          <ConsumptionSection scope={`region:${code}`} year={year} />
          <AwareSection scope={`region:${code}`} year={year} />
          <TrendSection scope={`region:${code}`} year={year} />
          <ResistanceSection scope={`region:${code}`} year={year} />
          <PhenotypeSection scope={`region:${code}`} year={year} />
          <PhenotypeQuarterSection scope={`region:${code}`} year={year} />
          <AntifungalResistanceSection scope={`region:${code}`} year={year} />
          <AlertsSection scope={`region:${code}`} year={year} />
          <CarbapenemaseSection scope={`region:${code}`} year={year} />
          <AntibiogramSection scope={`region:${code}`} year={year} />
          <CombinedSection scope={`region:${code}`} year={year} />
        </>
      )}
    </Page>
  );
}

export function NationalPage({ route }: { route: Route }) {
  const { me } = useUser();
  const year = parseYear(route.query.get('annee'));
  const regions = useLoad(regionList, []);
  const names = Object.fromEntries((regions.data ?? []).map((r) => [r.code, r.name]));
  return (
    <Page
      title="Tableau de bord national"
      context={
        <>
          <a href="#/indicateurs">Indicateurs</a> › <span>France entière</span>
        </>
      }
      lead="Agrégat national et chaque établissement, sur les périodes clôturées."
    >
      {me && !canSeeNation(me) ? (
        <NeedsProfile />
      ) : (
        <>
          <div class="toolbar">
            <YearSelect value={year} onValue={(y) => navigate('/indicateurs/national', { annee: String(y) })} />
          </div>
          <Jumps items={JUMPS_NATION} />
          <SynthesisCard shelf={nationalShelf} year={year} />
          <CompletenessSection scope="national" year={year} />
          <StrategyPanel scope="national" year={year} />
          <RegionsSection year={year} regions={regions.data ?? []} />
          <EstablishmentsSection scope="national" year={year} regionNames={names} />
          <ConsumptionSection scope="national" year={year} />
          <AwareSection scope="national" year={year} />
          <TrendSection scope="national" year={year} />
          <ResistanceSection scope="national" year={year} />
          <PhenotypeSection scope="national" year={year} />
          <PhenotypeQuarterSection scope="national" year={year} />
          <AntifungalResistanceSection scope="national" year={year} />
          <AlertsSection scope="national" year={year} />
          <CarbapenemaseSection scope="national" year={year} />
          <AntibiogramSection scope="national" year={year} />
          <CombinedSection scope="national" year={year} />
        </>
      )}
    </Page>
  );
}

/** The scope's synthesis report of the dashboard's year (every version kept), downloadable as PDF. */
function SynthesisCard({ shelf, year }: { shelf: ReportShelf; year: number }) {
  return (
    <ReportsCard
      shelf={shelf}
      year={year}
      title="Rapport de synthèse"
      id="synthese"
      empty={`Pas encore de rapport de synthèse pour ${year} : il est produit par l'équipe nationale (Administration › Rapports) sur les données clôturées.`}
    />
  );
}

/** An establishment's dashboard seen by a regional or national profile (no membership). */
export function ProfileEstablishmentPage({ finess, route }: { finess: string; route: Route }) {
  const year = parseYear(route.query.get('annee'));
  const found = useLoad(() => findEstablishment(finess), [finess]);
  const es = found.data;
  const title = es ? `Tableau de bord — ${es.name}` : 'Tableau de bord';
  return (
    <Page
      title={title}
      context={
        <>
          <a href="#/indicateurs">Indicateurs</a>
          {es && (
            <>
              {' › '}
              <a href={`#/indicateurs/regions/${es.region}`}>Région</a> › <span>{es.name}</span>
            </>
          )}
        </>
      }
      lead={es ? `FINESS ${es.finess} — catégorie ${es.category}.` : undefined}
    >
      <div class="toolbar">
        <YearSelect value={year} onValue={(y) => navigate(`/indicateurs/etablissements/${finess}`, { annee: String(y) })} />
      </div>
      <EstablishmentDashboard finess={finess} year={year} />
    </Page>
  );
}
