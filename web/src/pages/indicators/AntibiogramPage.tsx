// The cumulative antibiogram of an establishment, a region or the nation (CLSI M39): species × antibiotic,
// % S / % SFP / % R with n and 95 % intervals, filtered by specimen category and sector, printable on A4 landscape.
import { findEstablishment, getRegions } from '../../api';
import { type Antibiogram, type AntibiogramRow, getAntibiogram, getAntibiogramChoices } from '../../antibiogram';
import { ErrorAlert, Loading } from '../../components/Alert';
import { ExportButtons } from '../../components/DataTable';
import { Page } from '../../components/Page';
import { YearSelect } from '../../components/YearSelect';
import { getReference, type ReferenceEntry } from '../../data';
import { formatNumber } from '../../format';
import { useLoad } from '../../hooks';
import { flagLabel, sectorLabel } from '../../indicatorLabels';
import type { Scope } from '../../indicators';
import { navigate, type Route } from '../../router';
import { parseYear } from '../../year';
import { fmt } from './sections/shared';

/** Clinical order of the antibiotics (others follow by code). */
const ANTIBIOTIC_ORDER = [
  'AMX', 'AMP', 'AMC', 'PIP', 'TIC', 'TZP', 'TEM', 'FOX', 'CTX', 'CRO', 'CAZ', 'FEP', 'ETP', 'IPM', 'MEM', 'GEN', 'AMK', 'TOB',
  'CIP', 'OFX', 'LVX', 'MFX', 'SXT', 'FOS', 'NIT', 'OXA', 'VAN', 'TEC', 'LNZ', 'DAP', 'ERY', 'CLI', 'RIF', 'COL',
];
const abOrder = (code: string) => {
  const i = ANTIBIOTIC_ORDER.indexOf(code);
  return i < 0 ? 1000 : i;
};

const nameOf = (list: ReferenceEntry[] | undefined, code: string) => list?.find((r) => r.code === code)?.label ?? code;
const pair = (ci: [number, number] | null | undefined) => (ci ? `${fmt(ci[0])}–${fmt(ci[1])}` : '—');
const rInterval = (r: AntibiogramRow) => (r.ci_low != null && r.ci_high != null ? pair([r.ci_low, r.ci_high]) : '—');

function parseScope(raw: string | null): Scope | null {
  if (raw === 'national') return 'national';
  if (raw && /^(establishment|region):[0-9A-Za-z]+$/.test(raw)) return raw as Scope;
  return null;
}

/** "CHU de Nantes (FINESS 440000990)", "Région Pays de la Loire", "France entière". */
async function scopeName(scope: Scope): Promise<string> {
  if (scope === 'national') return 'France entière';
  const [kind, code] = scope.split(':');
  if (kind === 'region') {
    const regions = await getRegions().catch(() => []);
    return `Région ${regions.find((r) => r.code === code)?.name ?? code}`;
  }
  const found = await findEstablishment(code).catch(() => undefined);
  return found ? `${found.name} (FINESS ${code})` : `Établissement ${code}`;
}

/** Where the dashboard of the scope is (the way back). */
function dashboardOf(scope: Scope, members: boolean): string {
  if (scope === 'national') return '#/indicateurs/national';
  const [kind, code] = scope.split(':');
  if (kind === 'region') return `#/indicateurs/regions/${code}`;
  return members ? `#/etablissements/${code}/indicateurs` : `#/indicateurs/etablissements/${code}`;
}

export function AntibiogramPage({ route }: { route: Route }) {
  const scope = parseScope(route.query.get('perimetre'));
  const year = parseYear(route.query.get('annee'));
  const specimen = route.query.get('prelevement') ?? 'all';
  const sector = route.query.get('secteur') ?? 'all';
  const go = (changes: Record<string, string>) =>
    navigate('/indicateurs/antibiogramme', {
      perimetre: scope ?? undefined,
      annee: String(year),
      prelevement: specimen === 'all' ? undefined : specimen,
      secteur: sector === 'all' ? undefined : sector,
      ...changes,
    });
  const choices = useLoad(getAntibiogramChoices, []);
  const name = useLoad(() => (scope ? scopeName(scope) : Promise.resolve('')), [scope]);
  const data = useLoad(async () => {
    if (!scope) return null;
    const [result, species, antibiotics] = await Promise.all([
      getAntibiogram({ scope, year, specimen, sector }),
      getReference('species').catch(() => []),
      getReference('antibiotic').catch(() => []),
    ]);
    return { result, species, antibiotics };
  }, [scope, year, specimen, sector]);

  if (!scope)
    return (
      <Page title="Antibiogramme cumulé">
        <p role="alert" class="alert alert-error">
          Périmètre manquant : ouvrez l'antibiogramme cumulé depuis un tableau de bord.
        </p>
      </Page>
    );

  const specimenLabel =
    specimen === 'all' ? 'Tous prélèvements (hors dépistage)' : (choices.data?.specimens.find((s) => s.code === specimen)?.label ?? specimen);
  const sectorText = sector === 'all' ? 'Tous secteurs' : sectorLabel(sector);
  const d = data.data;
  return (
    <Page
      title="Antibiogramme cumulé"
      documentTitle={`Antibiogramme cumulé ${year}${name.data ? ` — ${name.data}` : ''}`}
      context={
        <>
          <a href="#/indicateurs">Indicateurs</a> › <a href={dashboardOf(scope, scope.startsWith('establishment:'))}>Tableau de bord</a> ›{' '}
          <span>Antibiogramme cumulé</span>
        </>
      }
      lead="Sensibilité des espèces aux antibiotiques, pour guider l'antibiothérapie probabiliste : premier isolat par patient, par espèce et par an (CLSI M39)."
    >
      <div class="toolbar no-print" role="group" aria-label="Filtres de l'antibiogramme">
        <YearSelect value={year} onValue={(y) => go({ annee: String(y) })} />
        <span class="inline-field">
          <label for="ab-specimen">Prélèvement</label>
          <select id="ab-specimen" value={specimen} onChange={(e) => go({ prelevement: e.currentTarget.value === 'all' ? '' : e.currentTarget.value })}>
            <option value="all">Tous prélèvements</option>
            {(choices.data?.specimens ?? []).map((s) => (
              <option key={s.code} value={s.code}>
                {s.label}
              </option>
            ))}
          </select>
        </span>
        <span class="inline-field">
          <label for="ab-sector">Secteur</label>
          <select id="ab-sector" value={sector} onChange={(e) => go({ secteur: e.currentTarget.value === 'all' ? '' : e.currentTarget.value })}>
            <option value="all">Tous secteurs</option>
            {(choices.data?.sectors ?? []).map((s) => (
              <option key={s} value={s}>
                {sectorLabel(s)}
              </option>
            ))}
          </select>
        </span>
        <button type="button" class="button" onClick={() => window.print()}>
          Imprimer
        </button>
      </div>
      <div class="antibiogram-sheet">
        <p class="antibiogram-scope">
          <strong>{name.data ?? ''}</strong> — année {year} — {specimenLabel} — {sectorText}
        </p>
        <ErrorAlert error={data.error ?? choices.error} />
        {data.loading && !d ? <Loading /> : d && <AntibiogramTable result={d.result} species={d.species} antibiotics={d.antibiotics} />}
      </div>
    </Page>
  );
}

function AntibiogramTable({ result, species, antibiotics }: { result: Antibiogram; species: ReferenceEntry[]; antibiotics: ReferenceEntry[] }) {
  const bySpecies = new Map<string, AntibiogramRow[]>();
  for (const r of result.rows) bySpecies.set(r.species, [...(bySpecies.get(r.species) ?? []), r]);
  const ordered = [...bySpecies.entries()].sort((a, b) => b[1][0].isolates - a[1][0].isolates || a[0].localeCompare(b[0]));
  const title = `Antibiogramme cumulé ${result.year}`;
  return (
    <>
      {ordered.length === 0 ? (
        <p class="muted">
          Aucune espèce n'atteint {result.min_isolates} premiers isolats pour {result.year} avec ces filtres : l'antibiogramme cumulé
          n'est pas présenté (CLSI M39).
        </p>
      ) : (
        <div class="table-wrap antibiogram-wrap" role="region" aria-label={title} tabIndex={0}>
          <table class="compact antibiogram-table">
            <caption class="sr-only">{title}</caption>
            <thead>
              <tr>
                <th scope="col">Antibiotique</th>
                <th scope="col" class="num">n testés</th>
                <th scope="col" class="num">% S</th>
                <th scope="col" class="num">IC 95 % S</th>
                <th scope="col" class="num">% SFP</th>
                <th scope="col" class="num">IC 95 % SFP</th>
                <th scope="col" class="num">% R</th>
                <th scope="col" class="num">IC 95 % R</th>
              </tr>
            </thead>
            {ordered.map(([code, rows]) => (
              <tbody key={code} class="antibiogram-species">
                <tr class="species-heading">
                  <th scope="colgroup" colSpan={8}>
                    <em>{nameOf(species, code)}</em> — {formatNumber(rows[0].isolates)} premiers isolats
                  </th>
                </tr>
                {[...rows]
                  .sort((a, b) => abOrder(a.antibiotic) - abOrder(b.antibiotic) || a.antibiotic.localeCompare(b.antibiotic))
                  .map((r) => (
                    <tr key={r.antibiotic} class={r.flag ? 'small-n' : undefined} data-species={code} data-antibiotic={r.antibiotic}>
                      <th scope="row">
                        {nameOf(antibiotics, r.antibiotic)} <span class="muted">({r.antibiotic})</span>
                      </th>
                      <td class="num">
                        {formatNumber(r.n)}
                        {r.flag && <sup aria-label="effectif faible">*</sup>}
                      </td>
                      <td class="num">{fmt(r.pct_s)}</td>
                      <td class="num ci">{pair(r.pct_s_ci)}</td>
                      <td class="num">{fmt(r.pct_sfp)}</td>
                      <td class="num ci">{pair(r.pct_sfp_ci)}</td>
                      <td class="num">{fmt(r.pct_r)}</td>
                      <td class="num ci">{rInterval(r)}</td>
                    </tr>
                  ))}
              </tbody>
            ))}
          </table>
        </div>
      )}
      {result.species_below_min.length > 0 && (
        <p class="antibiogram-left-out">
          Espèces non présentées (moins de {result.min_isolates} premiers isolats) :{' '}
          {result.species_below_min.map((s) => `${nameOf(species, s.species)} (${formatNumber(s.isolates)})`).join(', ')}.
        </p>
      )}
      <p class="muted antibiogram-notes">
        Premier isolat par patient, par espèce et par an (CLSI M39), quel que soit son antibiotype ; prélèvements de dépistage exclus ;
        avec un filtre, le premier isolat est choisi parmi les prélèvements ou le secteur retenus. S : sensible ; SFP : sensible à forte
        posologie (ancien « I ») ; R : résistant. IC 95 % : intervalle de confiance à 95 % de Wilson. * {flagLabel('effectif_faible')} :
        moins de 30 isolats testés, pourcentages à interpréter avec prudence. <span data-rule={result.rule}>Règle : {result.rule_label ?? result.rule}.</span>
      </p>
      <div class="no-print">
        <ExportButtons
          title={title}
          header={['Espèce', 'Code espèce', 'Antibiotique', 'Code antibiotique', 'Isolats testés', '% S', 'IC 95 % S bas', 'IC 95 % S haut',
            '% SFP', 'IC 95 % SFP bas', 'IC 95 % SFP haut', '% R', 'IC 95 % R bas', 'IC 95 % R haut', 'Premiers isolats', 'Avertissement']}
          rows={result.rows.map((r) => [nameOf(species, r.species), r.species, nameOf(antibiotics, r.antibiotic), r.antibiotic, r.n,
            r.pct_s, r.pct_s_ci?.[0] ?? null, r.pct_s_ci?.[1] ?? null, r.pct_sfp, r.pct_sfp_ci?.[0] ?? null, r.pct_sfp_ci?.[1] ?? null,
            r.pct_r, r.ci_low, r.ci_high, r.isolates, flagLabel(r.flag)])}
        />
      </div>
    </>
  );
}
