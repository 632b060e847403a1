// Dashboard section: the quarterly view of resistance — each phenotype's percentage and incidence density quarter by quarter, where the antibiograms arrive by quarter.
import { ErrorAlert, Loading } from '../../../components/Alert';
import { BarChart } from '../../../components/charts';
import { type Column, DataTable } from '../../../components/DataTable';
import { useLoad } from '../../../hooks';
import { PHENOTYPE_AMONG, PHENOTYPE_SHORT, PHENOTYPES, phenotypeLabel } from '../../../indicatorLabels';
import { type IndicatorRow, sectionBatch } from '../../../indicators';
import { CI_NOTE, ciSuffix, DENSITY, fmt, periodLabel, periodOrder, type ScopeProps, Section } from './shared';

/** The phenotypes drawn in the chart: the headline figures (all of them are in the tables). */
const CHARTED = ['sarm', 'eblse'];

interface QuarterLine {
  phenotype: string;
  /** By period (2025-T1…, or 2025 for the establishments that send once a year). */
  pct: Record<string, IndicatorRow>;
  density: Record<string, IndicatorRow>;
}

const byPeriodKey = (rows: IndicatorRow[]) => Object.fromEntries(rows.filter((r) => r.period).map((r) => [r.period as string, r]));

/** What a period's figure counts: the isolates tested (a percentage), or the cases (a density). */
interface Counted {
  /** Under the value on screen ("n = 45", "cas 3"). */
  short: string;
  /** Its column in the exports. */
  label: string;
  count: (r: IndicatorRow) => number | null | undefined;
}
const TESTED: Counted = { short: 'n =', label: 'Isolats testés', count: (r) => r.n };
const CASES: Counted = { short: 'cas', label: 'Cas', count: (r) => r.numerator };

/** A period's figure in a cell: its value, and under it what it counts. */
function Figure({ row, digits, counted }: { row?: IndicatorRow; digits: number; counted: Counted }) {
  if (!row || row.value == null) return <span class="value">—</span>;
  return (
    <span title={`${fmt(row.value, digits)}${ciSuffix(row, digits)}`}>
      <span class="value">{fmt(row.value, digits)}</span>
      <br />
      <small class="muted nowrap">
        {counted.short} {fmt(counted.count(row), 0)}
      </small>
    </span>
  );
}

/** One column a period on screen; in the exports, also its count and its 95 % interval. */
function periodColumns(periods: string[], pick: (l: QuarterLine) => Record<string, IndicatorRow>, digits: number, counted: Counted): Column<QuarterLine>[] {
  return periods.flatMap((p): Column<QuarterLine>[] => [
    { label: periodLabel(p), value: (l) => pick(l)[p]?.value ?? null, numeric: true, digits, render: (l) => <Figure row={pick(l)[p]} digits={digits} counted={counted} /> },
    { label: `${counted.label} ${periodLabel(p)}`, value: (l) => (pick(l)[p] ? (counted.count(pick(l)[p]) ?? null) : null), csvOnly: true },
    { label: `IC 95 % bas ${periodLabel(p)}`, value: (l) => pick(l)[p]?.ci_low ?? null, csvOnly: true },
    { label: `IC 95 % haut ${periodLabel(p)}`, value: (l) => pick(l)[p]?.ci_high ?? null, csvOnly: true },
  ]);
}

export function PhenotypeQuarterSection({ scope, year }: ScopeProps) {
  const data = useLoad(async () => {
    const b = sectionBatch(scope, year);
    const answers = await Promise.all(
      PHENOTYPES.map((phenotype) =>
        Promise.all([b.indicator('pct_phenotype', { phenotype, by: 'period' }), b.indicator('density_1000jh', { phenotype, specimen: 'all', by: 'period' })]),
      ),
    );
    const lines: QuarterLine[] = answers.map(([pct, density], i) => ({ phenotype: PHENOTYPES[i], pct: byPeriodKey(pct.rows), density: byPeriodKey(density.rows) }));
    const periods = [...new Set(lines.flatMap((l) => [...Object.keys(l.pct), ...Object.keys(l.density)]))].sort(periodOrder);
    return { lines, periods, rule: answers[0]?.[0].rule_label ?? answers[0]?.[0].rule };
  }, [scope, year]);
  const d = data.data;
  const quarterly = d?.periods.some((p) => p.includes('-T'));
  const shown = d?.lines.filter((l) => d.periods.some((p) => l.pct[p] || l.density[p])) ?? [];
  return (
    <Section
      id="phenotypes-trimestre"
      title="Phénotypes de résistance par trimestre"
      lead="Pourcentage de chaque phénotype et densité d'incidence pour 1000 journées d'hospitalisation, trimestre par trimestre, là où les antibiogrammes arrivent par trimestre."
    >
      <ErrorAlert error={data.error} />
      {data.loading && !d ? (
        <Loading />
      ) : (
        d &&
        (!quarterly ? (
          <p class="muted">Aucune donnée par trimestre : les antibiogrammes de {year} arrivent une fois par an.</p>
        ) : (
          <>
            <BarChart
              title="Pourcentage de SARM et d'EBLSE par trimestre"
              unit="% parmi les isolats de l'espèce ou du groupe"
              bars={d.lines
                .filter((l) => CHARTED.includes(l.phenotype))
                .flatMap((l) =>
                  d.periods
                    .filter((p) => l.pct[p])
                    .map((p) => ({ label: `${PHENOTYPE_SHORT[l.phenotype]}, ${periodLabel(p)}`, value: l.pct[p].value ?? null, faint: !!l.pct[p].flag, low: l.pct[p].ci_low, high: l.pct[p].ci_high })),
                )}
            />
            <DataTable
              wrapHeaders
              title={`Pourcentage des phénotypes par trimestre ${year}`}
              columns={[
                {
                  label: 'Phénotype',
                  value: (l) => phenotypeLabel(l.phenotype),
                  header: true,
                  render: (l) => (
                    <>
                      {phenotypeLabel(l.phenotype)}
                      <br />
                      <small class="muted">parmi {PHENOTYPE_AMONG[l.phenotype]}</small>
                    </>
                  ),
                },
                { label: 'Parmi', value: (l) => PHENOTYPE_AMONG[l.phenotype], csvOnly: true },
                ...periodColumns(d.periods, (l) => l.pct, 1, TESTED),
              ]}
              rows={shown}
              note={`Sous chaque pourcentage, le nombre d'isolats testés (moins de 30 : à interpréter avec prudence). ${CI_NOTE}`}
            />
            <DataTable
              wrapHeaders
              title={`Densité d'incidence par trimestre (${DENSITY}) ${year}`}
              columns={[{ label: 'Phénotype', value: (l) => phenotypeLabel(l.phenotype), header: true }, ...periodColumns(d.periods, (l) => l.density, 2, CASES)]}
              rows={shown}
              note="Chaque trimestre : ses cas sur ses propres journées d'hospitalisation ; un trimestre sans journées d'hospitalisation n'a pas de densité, ni un établissement qui envoie ses antibiogrammes et ses journées à des rythmes différents (l'un par trimestre, l'autre par an)."
            />
            <p class="muted">
              Chaque trimestre est dédoublonné à part ({d.rule}) : un isolat gardé au 1er trimestre et revu au 2e compte dans chacun, alors que l'année ne le
              compte qu'une fois.
              {d.periods.some((p) => !p.includes('-T')) && ' Les établissements qui envoient leurs antibiogrammes une fois par an comptent dans la colonne « Année entière ».'}
            </p>
          </>
        ))
      )}
    </Section>
  );
}
