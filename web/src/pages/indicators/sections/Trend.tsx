// Dashboard section: evolution over five years (consumption, % SARM, EBLSE density).
import { ErrorAlert, Loading } from '../../../components/Alert';
import { TrendChart } from '../../../components/charts';
import { type Column, DataTable } from '../../../components/DataTable';
import { useLoad } from '../../../hooks';
import { type IndicatorRow, sectionBatch, type TrendResult, yearsBetween } from '../../../indicators';
import { CI_NOTE, ciColumns, DDJ, DENSITY, type ScopeProps, Section } from './shared';

interface TrendLine {
  year: number;
  ddj?: IndicatorRow;
  sarm?: IndicatorRow;
  eblse?: IndicatorRow;
}

const TREND_YEARS = 5;

/** Five years up to the selected one, from the trend endpoint (year by year if the API lacks it). */
export function TrendSection({ scope, year }: ScopeProps) {
  const data = useLoad(async () => {
    const b = sectionBatch(scope, year);
    const range = { from: year - TREND_YEARS + 1, to: year };
    const [ddj, sarm, eblse] = await Promise.all([
      b.trend('ddj_1000jh', range),
      b.trend('pct_phenotype', { ...range, phenotype: 'sarm' }),
      b.trend('density_1000jh', { ...range, phenotype: 'eblse', specimen: 'all' }),
    ]);
    const at = (t: TrendResult, y: number) => {
      const row = t.rows.find((r) => r.year === y);
      return row && row.value !== null ? row : undefined;
    };
    const lines = yearsBetween(range.from, range.to).map(
      (y): TrendLine => ({ year: y, ddj: at(ddj, y), sarm: at(sarm, y), eblse: at(eblse, y) }),
    );
    // Drop the leading years without data, keeping at least three years.
    const first = lines.findIndex((l) => l.ddj || l.sarm || l.eblse);
    return lines.slice(Math.min(first < 0 ? lines.length : first, lines.length - 3));
  }, [scope, year]);
  const columns: Column<TrendLine>[] = [
    { label: 'Année', value: (l) => String(l.year), header: true },
    { label: `Antibiotiques (${DDJ})`, value: (l) => l.ddj?.value ?? null, numeric: true, digits: 1 },
    { label: '% SARM', value: (l) => l.sarm?.value ?? null, numeric: true, digits: 1 },
    ...ciColumns<TrendLine>('% SARM', (l) => l.sarm),
    { label: `Densité EBLSE (${DENSITY})`, value: (l) => l.eblse?.value ?? null, numeric: true, digits: 2 },
    ...ciColumns<TrendLine>('EBLSE', (l) => l.eblse, 2),
  ];
  return (
    <Section id="tendances" title="Évolution sur plusieurs années" lead="Seules les années avec des données apparaissent chiffrées.">
      <ErrorAlert error={data.error} />
      {data.loading && !data.data ? (
        <Loading />
      ) : (
        data.data && (
          <>
            <TrendChart title="Consommation d'antibiotiques" unit={DDJ} points={data.data.map((l) => ({ year: l.year, value: l.ddj?.value ?? null }))} />
            <TrendChart
              title="Densité d'incidence des EBLSE"
              unit={DENSITY}
              digits={2}
              points={data.data.map((l) => ({ year: l.year, value: l.eblse?.value ?? null, low: l.eblse?.ci_low, high: l.eblse?.ci_high }))}
            />
            <DataTable title={`Évolution ${data.data[0]?.year}-${year}`} columns={columns} rows={data.data} note={CI_NOTE} />
          </>
        )
      )}
    </Section>
  );
}
