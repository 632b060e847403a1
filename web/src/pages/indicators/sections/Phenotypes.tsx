// Dashboard section: resistance phenotypes, their percentage and incidence densities.
import { ErrorAlert, Loading } from '../../../components/Alert';
import { BarChart } from '../../../components/charts';
import { type Column, DataTable } from '../../../components/DataTable';
import { useLoad } from '../../../hooks';
import { flagLabel, PHENOTYPE_AMONG, PHENOTYPE_SHORT, PHENOTYPES, phenotypeLabel } from '../../../indicatorLabels';
import { type IndicatorRow, sectionBatch, total } from '../../../indicators';
import { CI_NOTE, ciColumns, DENSITY, Flag, flagNote, type ScopeProps, Section } from './shared';

interface PhenotypeLine {
  phenotype: string;
  pct?: IndicatorRow;
  all?: IndicatorRow;
  blood?: IndicatorRow;
}

export function PhenotypeSection({ scope, year }: ScopeProps) {
  const data = useLoad(
    () => {
      const b = sectionBatch(scope, year);
      return Promise.all(
        PHENOTYPES.map(async (phenotype): Promise<PhenotypeLine> => {
          const [pct, all, blood] = await Promise.all([
            b.indicator('pct_phenotype', { phenotype }),
            b.indicator('density_1000jh', { phenotype, specimen: 'all' }),
            b.indicator('density_1000jh', { phenotype, specimen: 'blood' }),
          ]);
          return { phenotype, pct: total(pct), all: total(all), blood: total(blood) };
        }),
      );
    },
    [scope, year],
  );
  const columns: Column<PhenotypeLine>[] = [
    { label: 'Phénotype', value: (l) => phenotypeLabel(l.phenotype), header: true },
    { label: 'Parmi', value: (l) => PHENOTYPE_AMONG[l.phenotype] },
    { label: '%', value: (l) => l.pct?.value ?? null, numeric: true, digits: 1 },
    ...ciColumns<PhenotypeLine>('(%)', (l) => l.pct),
    { label: 'Isolats', value: (l) => l.pct?.numerator ?? l.all?.numerator, numeric: true, digits: 0 },
    { label: 'Isolats testés', value: (l) => l.pct?.n, numeric: true, digits: 0 },
    { label: `Densité (${DENSITY})`, value: (l) => l.all?.value ?? null, numeric: true, digits: 2 },
    ...ciColumns<PhenotypeLine>('densité', (l) => l.all, 2),
    { label: `Densité hémocultures (${DENSITY})`, value: (l) => l.blood?.value ?? null, numeric: true, digits: 2 },
    ...ciColumns<PhenotypeLine>('densité hémocultures', (l) => l.blood, 2),
    ...(data.data?.some((l) => l.pct?.flag)
      ? [{ label: 'Avertissement', value: (l: PhenotypeLine) => flagLabel(l.pct?.flag), render: (l: PhenotypeLine) => <Flag row={l.pct} /> }]
      : []),
  ];
  return (
    <Section
      id="phenotypes"
      title="Phénotypes de résistance"
      lead="Pourcentage du phénotype parmi les isolats de son groupe, et densité d'incidence des isolats pour 1000 journées d'hospitalisation."
    >
      <ErrorAlert error={data.error} />
      {data.loading && !data.data ? (
        <Loading />
      ) : (
        data.data && (
          <>
            <BarChart
              title="Pourcentage des phénotypes"
              unit="% parmi les isolats de l'espèce ou du groupe (colonne « Parmi »)"
              bars={data.data
                .filter((l) => l.pct)
                .map((l) => ({ label: PHENOTYPE_SHORT[l.phenotype], value: l.pct?.value ?? null, faint: !!l.pct?.flag, low: l.pct?.ci_low, high: l.pct?.ci_high }))}
            />
            <DataTable wrapHeaders title={`Phénotypes de résistance ${year}`} columns={columns} rows={data.data} note={`${flagNote(30)} ${CI_NOTE}`} />
          </>
        )
      )}
    </Section>
  );
}
