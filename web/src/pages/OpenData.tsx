// Open data: regional and national aggregates of closed data, without an account.
import { getRegions, type Region } from '../api';
import { ErrorAlert, Loading } from '../components/Alert';
import { BarChart } from '../components/charts';
import { type Column, DataTable } from '../components/DataTable';
import { SelectField } from '../components/Field';
import { Page } from '../components/Page';
import { formatNumber } from '../format';
import { useLoad } from '../hooks';
import { PHENOTYPE_AMONG, PHENOTYPE_SHORT, PHENOTYPES, phenotypeLabel } from '../indicatorLabels';
import { getOpenIndicator, type IndicatorRow, type Scope } from '../indicators';
import { CI_NOTE, ciColumns, ciText } from './indicators/sections/shared';
import { navigate, type Route } from '../router';
import { parseYear, yearOptions } from '../year';

interface Line {
  id: string;
  label: string;
  unit: string;
  digits: number;
  row?: IndicatorRow;
  headline?: boolean;
}

const SUPPRESSED = 'Secret statistique';

async function load(scope: Scope, year: number): Promise<Line[]> {
  const one = async (id: string, q: { phenotype?: string; specimen?: 'all' | 'blood' } = {}) => {
    try {
      return (await getOpenIndicator(id, { scope, year, ...q })).rows[0];
    } catch {
      return undefined;
    }
  };
  const [ddj, antifungal, access, ...phen] = await Promise.all([
    one('ddj_1000jh'),
    one('antifungal_ddj_1000jh'),
    one('aware_share'),
    ...PHENOTYPES.flatMap((p) => [one('pct_phenotype', { phenotype: p }), one('density_1000jh', { phenotype: p, specimen: 'all' }), one('density_1000jh', { phenotype: p, specimen: 'blood' })]),
  ]);
  const lines: Line[] = [
    { id: 'ddj_1000jh', label: "Consommation d'antibiotiques", unit: 'DDJ/1000 JH', digits: 1, row: ddj, headline: true },
    { id: 'antifungal_ddj_1000jh', label: "Consommation d'antifongiques", unit: 'DDJ/1000 JH', digits: 1, row: antifungal, headline: true },
    // Without `by`, the AWaRe share is the Access group's (WHO's goal: at least 60 %).
    { id: 'aware_share', label: "Antibiotiques du groupe AWaRe Accès de l'OMS (objectif : au moins 60 %)", unit: '% des DDJ', digits: 1, row: access },
  ];
  PHENOTYPES.forEach((p, i) => {
    const name = phenotypeLabel(p);
    lines.push(
      { id: `pct_${p}`, label: `${name} (parmi ${PHENOTYPE_AMONG[p]})`, unit: '%', digits: 1, row: phen[i * 3], headline: p === 'sarm' },
      { id: `density_${p}`, label: `${name} : densité d'incidence, tous prélèvements`, unit: '/1000 JH', digits: 2, row: phen[i * 3 + 1], headline: p === 'eblse' || p === 'epc' },
      { id: `density_${p}_blood`, label: `${name} : densité d'incidence, hémocultures`, unit: '/1000 JH', digits: 2, row: phen[i * 3 + 2], headline: p === 'sarm' },
    );
  });
  return lines;
}

const shown = (l: Line) =>
  !l.row ? '—' : l.row.suppressed || l.row.value === null ? <span class="nowrap">{SUPPRESSED}</span> : formatNumber(l.row.value, l.digits);

export function OpenData({ route }: { route: Route }) {
  const year = parseYear(route.query.get('annee'));
  const area = route.query.get('zone') ?? 'national';
  const scope: Scope = area === 'national' ? 'national' : `region:${area.replace(/^region:/, '')}`;
  const regions = useLoad<Region[]>(getRegions, []);
  const data = useLoad(() => load(scope, year), [scope, year]);
  const place = area === 'national' ? 'France entière' : (regions.data?.find((r) => `region:${r.code}` === scope)?.name ?? 'Région');

  const columns: Column<Line>[] = [
    { label: 'Indicateur', value: (l) => l.label, header: true },
    { label: 'Valeur', value: (l) => (l.row?.suppressed ? SUPPRESSED : (l.row?.value ?? null)), numeric: true, render: shown },
    ...ciColumns<Line>('', (l) => (l.row?.suppressed ? undefined : l.row), 2),
    { label: 'Unité', value: (l) => l.unit, render: (l) => <span class="nowrap">{l.unit}</span> },
    { label: 'Établissements', value: (l) => l.row?.establishments, numeric: true, digits: 0 },
    { label: 'Effectif (n)', value: (l) => l.row?.n, numeric: true, digits: 0 },
  ];
  const pcts = (data.data ?? []).filter((l) => l.id.startsWith('pct_') && l.row && !l.row.suppressed && l.row.value !== null);
  const go = (q: { annee?: string; zone?: string }) => navigate('/donnees-ouvertes', { annee: String(year), zone: area, ...q });

  return (
    <Page
      title="Données ouvertes"
      lead="Les indicateurs agrégés, régionaux et nationaux, calculés sur les données clôturées des établissements. Accessibles sans compte."
    >
      <form class="toolbar" onSubmit={(e) => e.preventDefault()} aria-label="Choix de la zone et de l'année">
        <SelectField
          label="Zone"
          value={area}
          onValue={(zone) => go({ zone })}
          options={[{ value: 'national', label: 'France entière' }, ...(regions.data ?? []).map((r) => ({ value: `region:${r.code}`, label: r.name }))]}
        />
        <SelectField label="Année" value={String(year)} onValue={(annee) => go({ annee })} options={yearOptions().map((y) => ({ value: String(y), label: String(y) }))} />
      </form>
      <ErrorAlert error={data.error} />
      {data.loading && !data.data ? (
        <Loading />
      ) : (
        data.data && (
          <>
            <section class="card" aria-labelledby="essentiel">
              <h2 id="essentiel">
                L'essentiel — {place}, {year}
              </h2>
              <ul class="tiles">
                {data.data
                  .filter((l) => l.headline)
                  .map((l) => (
                    <li key={l.id} class="tile" data-indicator={l.id}>
                      <p class="tile-label">{l.label}</p>
                      {l.row?.suppressed || l.row?.value === null ? (
                        <p class="tile-value tile-suppressed">Secret statistique</p>
                      ) : (
                        <p class="tile-value">
                          {shown(l)} {l.row && <span class="tile-unit">{l.unit}</span>}
                        </p>
                      )}
                      <p class="tile-note">
                        {l.row?.establishments != null && `${formatNumber(l.row.establishments)} établissement${l.row.establishments > 1 ? 's' : ''}`}
                        {ciText(l.row, l.digits) && ` · IC 95 % ${ciText(l.row, l.digits)}`}
                      </p>
                    </li>
                  ))}
              </ul>
            </section>
            <section class="card" aria-labelledby="phenotypes-ouverts">
              <h2 id="phenotypes-ouverts">Phénotypes de résistance</h2>
              {pcts.length === 0 && (
                <p class="muted">Toutes les valeurs sont sous secret statistique pour cette zone et cette année.</p>
              )}
              <BarChart
                title="Pourcentage des phénotypes"
                unit="% du groupe d'espèces"
                bars={pcts.map((l) => ({ label: PHENOTYPE_SHORT[l.id.slice(4)] ?? l.id, value: l.row?.value ?? null, low: l.row?.ci_low, high: l.row?.ci_high }))}
              />
            </section>
            <section class="card" aria-labelledby="tous">
              <h2 id="tous">Tous les indicateurs</h2>
              <DataTable
                title={`Données ouvertes ${place} ${year}`}
                columns={columns}
                rows={data.data}
                note={`« Secret statistique » : valeur calculée sur moins de 3 établissements ou moins de 10 isolats, non publiée. ${CI_NOTE}`}
              />
            </section>
          </>
        )
      )}
    </Page>
  );
}
