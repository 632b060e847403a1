// Dashboard section: WHO's AWaRe groups (Access, Watch, Reserve, not classified) as shares of the
// antibiotic DDD, against WHO's goal of at least 60 % Access, and the Access share over the years.
import { ErrorAlert, Loading } from '../../../components/Alert';
import { BarChart, TrendChart } from '../../../components/charts';
import { type Column, DataTable } from '../../../components/DataTable';
import { useLoad } from '../../../hooks';
import { AWARE_ORDER, awareLabel } from '../../../indicatorLabels';
import { type IndicatorRow, sectionBatch, yearsBetween } from '../../../indicators';
import { fmt, type ScopeProps, Section } from './shared';

/** WHO's goal when the API does not say it: at least 60 % of the antibiotic DDD from the Access group. */
const DEFAULT_GOAL = 60;
const TREND_YEARS = 5;
const PERCENT = '% des DDJ';

const rank = (r: IndicatorRow) => AWARE_ORDER.indexOf((r.aware ?? '') as (typeof AWARE_ORDER)[number]);

/** "58,3 % : objectif non atteint (1,7 point sous les 60 %)", in words. */
export function goalText(access: number | null | undefined, goal: number): string {
  if (access == null) return `Pas de consommation d'antibiotiques : part Accès non calculable.`;
  const gap = goal - access;
  return gap <= 0
    ? `Part Accès : ${fmt(access)} % — objectif atteint.`
    : `Part Accès : ${fmt(access)} % — objectif non atteint (${fmt(gap)} point${gap >= 2 ? 's' : ''} sous les ${goal} %).`;
}

export function AwareSection({ scope, year }: ScopeProps) {
  const data = useLoad(async () => {
    const b = sectionBatch(scope, year);
    const from = year - TREND_YEARS + 1;
    const [groups, trend] = await Promise.all([
      b.indicator('aware_share', { by: 'aware' }),
      b.trend('aware_share', { from }),
    ]);
    const points = yearsBetween(from, year).map((y) => ({ year: y, value: trend.rows.find((r) => r.year === y)?.value ?? null }));
    const first = points.findIndex((p) => p.value !== null);
    return {
      rows: [...groups.rows].sort((a, b) => rank(a) - rank(b)),
      goal: groups.goal?.min ?? DEFAULT_GOAL,
      rule: groups.rule_label ?? groups.rule,
      points: points.slice(Math.min(first < 0 ? points.length : first, points.length - 3)),
    };
  }, [scope, year]);
  const d = data.data;
  const access = d?.rows.find((r) => r.aware === 'access');
  const columns: Column<IndicatorRow>[] = [
    { label: 'Groupe AWaRe', value: (r) => awareLabel(r.aware), header: true },
    { label: PERCENT, value: (r) => r.value, numeric: true, digits: 1 },
    { label: 'DDJ du groupe', value: (r) => r.numerator ?? null, numeric: true, digits: 0 },
    { label: "DDJ d'antibiotiques", value: (r) => r.denominator ?? null, numeric: true, digits: 0 },
  ];
  return (
    <Section
      id="aware"
      title="Classification AWaRe de l'OMS"
      lead="Part des DDJ d'antibiotiques de chaque groupe de la classification AWaRe de l'OMS : Accès, À surveiller, Réserve (les antifongiques n'en font pas partie)."
    >
      <ErrorAlert error={data.error} />
      {data.loading && !d ? (
        <Loading />
      ) : (
        d && (
          <>
            <p class="aware-goal" data-figure="aware-goal">
              <strong>Objectif de l'OMS : au moins {d.goal} % des DDJ d'antibiotiques dans le groupe Accès.</strong>{' '}
              <span data-figure="aware-access">{goalText(access?.value, d.goal)}</span>
            </p>
            {d.rows.length === 0 ? (
              <p class="muted">Pas de consommation d'antibiotiques pour {year}.</p>
            ) : (
              <>
                <BarChart
                  title="Part de chaque groupe AWaRe"
                  unit={PERCENT}
                  bars={d.rows.map((r) => ({ label: awareLabel(r.aware), value: r.value, highlight: r.aware === 'access' }))}
                  reference={{ value: d.goal, label: 'Objectif OMS' }}
                />
                <DataTable
                  title={`Groupes AWaRe ${year}`}
                  tableClass="aware"
                  columns={columns}
                  rows={d.rows}
                  note={`Sans intervalle de confiance : les DDJ ne sont pas des effectifs. ${d.rule ?? ''}`}
                />
              </>
            )}
            <h3>Évolution de la part Accès</h3>
            <TrendChart
              title="Part des DDJ d'antibiotiques dans le groupe Accès"
              unit={PERCENT}
              points={d.points}
              reference={{ value: d.goal, label: 'Objectif OMS' }}
            />
          </>
        )
      )}
    </Section>
  );
}
