// Dashboard section: antibiotic and antifungal consumption by family, molecule, quarter, sector and route (and by unit for an establishment).
import { ErrorAlert, Loading } from '../../../components/Alert';
import { BarChart } from '../../../components/charts';
import { type Column, DataTable } from '../../../components/DataTable';
import { useLoad } from '../../../hooks';
import { familyLabel, routeLabel, sectorLabel } from '../../../indicatorLabels';
import { type IndicatorRow, sectionBatch, total } from '../../../indicators';
import { byPeriod, byValue, DDJ, ddjColumns, fmt, periodLabel, type ScopeProps, Section, withUnit } from './shared';
import { UnitBreakdown } from './UnitBreakdown';

/** Molecules drawn in the chart (all of them are in the table, paged). */
const TOP_MOLECULES = 10;
const moleculeName = (r: IndicatorRow) => r.label ?? r.molecule ?? '—';
/** The molecule's name (its heading), its ATC code, then the DDJ columns. */
function moleculeColumns(): Column<IndicatorRow>[] {
  const [name, ...figures] = ddjColumns('Molécule', moleculeName);
  return [name, { label: 'Code ATC', value: (r) => r.molecule ?? '' }, ...figures];
}

export function ConsumptionSection({ scope, year }: ScopeProps) {
  const data = useLoad(async () => {
    const b = sectionBatch(scope, year);
    const [all, family, molecule, period, sector, route, antifungal, antifungalFamily] = await Promise.all([
      b.indicator('ddj_1000jh'),
      b.indicator('ddj_1000jh', { by: 'family' }),
      b.indicator('ddj_1000jh', { by: 'molecule' }),
      b.indicator('ddj_1000jh', { by: 'period' }),
      b.indicator('ddj_1000jh', { by: 'sector' }),
      b.indicator('ddj_1000jh', { by: 'route' }),
      b.indicator('antifungal_ddj_1000jh'),
      b.indicator('antifungal_ddj_1000jh', { by: 'family' }),
    ]);
    return { all: total(all), family: family.rows.sort(byValue), molecule: molecule.rows.sort(byValue), period: period.rows.sort(byPeriod), sector: sector.rows.sort(byValue), route: route.rows, antifungal: total(antifungal), antifungalFamily: antifungalFamily.rows.sort(byValue), rule: all.rule_label ?? all.rule };
  }, [scope, year]);
  const d = data.data;
  return (
    <Section id="consommation" title="Consommation d'antibiotiques et d'antifongiques" lead={d?.rule}>
      <ErrorAlert error={data.error} />
      {data.loading && !d ? (
        <Loading />
      ) : (
        d && (
          <>
            <dl class="facts">
              <div>
                <dt>Antibiotiques</dt>
                <dd data-figure="ddj-total">{withUnit(d.all?.value, DDJ)}</dd>
              </div>
              <div>
                <dt>Antifongiques</dt>
                <dd>{withUnit(d.antifungal?.value, DDJ)}</dd>
              </div>
              <div>
                <dt>DDJ d'antibiotiques</dt>
                <dd>{fmt(d.all?.numerator, 0)}</dd>
              </div>
              <div>
                <dt>Journées d'hospitalisation</dt>
                <dd>{fmt(d.all?.denominator, 0)}</dd>
              </div>
            </dl>
            {!d.all ? (
              <p class="muted">Pas de consommation pour {year}.</p>
            ) : (
              <>
                <h3>Par famille d'antibiotiques</h3>
                <BarChart title="Consommation par famille" unit={DDJ} bars={d.family.map((r) => ({ label: familyLabel(r.family), value: r.value }))} />
                <DataTable title={`Consommation par famille ${year}`} columns={ddjColumns('Famille', (r) => familyLabel(r.family))} rows={d.family} />
                <h3>Par molécule</h3>
                <BarChart
                  title={`Les ${Math.min(TOP_MOLECULES, d.molecule.length)} molécules les plus consommées`}
                  unit={DDJ}
                  bars={d.molecule.slice(0, TOP_MOLECULES).map((r) => ({ label: moleculeName(r), value: r.value }))}
                />
                <DataTable
                  title={`Consommation par molécule ${year}`}
                  columns={moleculeColumns()}
                  rows={d.molecule}
                  pageSize={15}
                />
                {d.period.some((r) => r.period?.includes('-T')) && (
                  <>
                    <h3>Par trimestre</h3>
                    <BarChart title="Consommation par trimestre" unit={DDJ} bars={d.period.map((r) => ({ label: periodLabel(r.period), value: r.value }))} />
                    <DataTable title={`Consommation par trimestre ${year}`} columns={ddjColumns('Période', (r) => periodLabel(r.period))} rows={d.period} />
                    {d.period.some((r) => !r.period?.includes('-T')) && (
                      <p class="muted">Les établissements qui envoient leurs données une fois par an comptent dans la ligne « année entière ».</p>
                    )}
                  </>
                )}
                <h3>Par secteur d'activité</h3>
                <BarChart title="Consommation par secteur" unit={DDJ} bars={d.sector.map((r) => ({ label: sectorLabel(r.sector), value: r.value }))} />
                <DataTable title={`Consommation par secteur ${year}`} columns={ddjColumns('Secteur', (r) => sectorLabel(r.sector))} rows={d.sector} />
                <h3>Par voie d'administration</h3>
                <DataTable title={`Consommation par voie ${year}`} columns={ddjColumns('Voie', (r) => routeLabel(r.route))} rows={d.route} />
                {scope.startsWith('establishment:') && <UnitBreakdown scope={scope} year={year} />}
                <h3>Antifongiques par famille</h3>
                <DataTable
                  title={`Antifongiques par famille ${year}`}
                  columns={ddjColumns('Famille', (r) => familyLabel(r.family))}
                  rows={d.antifungalFamily}
                  empty="Pas de consommation d'antifongiques."
                />
              </>
            )}
          </>
        )
      )}
    </Section>
  );
}
