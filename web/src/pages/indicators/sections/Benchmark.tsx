// Dashboard section: an establishment's position among comparable establishments (percentile bands).
import { ErrorAlert, Loading } from '../../../components/Alert';
import { PercentileBand } from '../../../components/charts';
import { formatNumber } from '../../../format';
import { useLoad } from '../../../hooks';
import { CATEGORY_LABELS } from '../../../indicatorLabels';
import { type Benchmark, sectionBatch } from '../../../indicators';
import { ciSuffix, DDJ, DENSITY, fmt, Section } from './shared';

function position(b: Benchmark): string {
  const p = b.percentiles;
  if (!p || b.value === null) return '';
  const v = b.value;
  if (v < p.p10) return 'en dessous du 10e percentile';
  if (v < p.p25) return 'entre le 10e et le 25e percentile';
  if (v < p.p50) return 'entre le 25e percentile et la médiane';
  if (v === p.p50) return 'à la médiane';
  if (v <= p.p75) return 'entre la médiane et le 75e percentile';
  if (v <= p.p90) return 'entre le 75e et le 90e percentile';
  return 'au-dessus du 90e percentile';
}

const BENCHMARKS = [
  { id: 'ddj_1000jh', label: "Consommation d'antibiotiques", unit: DDJ, digits: 1, extra: {} },
  { id: 'pct_phenotype', label: 'SARM parmi les S. aureus', unit: '%', digits: 1, extra: { phenotype: 'sarm' } },
  { id: 'density_1000jh', label: "Densité d'incidence des EBLSE", unit: DENSITY, digits: 2, extra: { phenotype: 'eblse', specimen: 'all' } },
] as const;

export function BenchmarkSection({ finess, year }: { finess: string; year: number }) {
  const data = useLoad(() => {
    const batch = sectionBatch(`establishment:${finess}`, year);
    return Promise.all(
      BENCHMARKS.map(async (b) => {
        try {
          return { ...b, result: await batch.benchmark(b.id, b.extra) };
        } catch {
          return { ...b, result: null };
        }
      }),
    );
  }, [finess, year],
  );
  return (
    <Section
      id="comparaison"
      title="Position parmi les établissements comparables"
      lead="Votre valeur face à la distribution des établissements de la même catégorie (données clôturées de la même année)."
    >
      <ErrorAlert error={data.error} />
      {data.loading && !data.data ? (
        <Loading />
      ) : (
        data.data?.map((b) => (
          <div class="benchmark" key={b.id + b.label} data-benchmark={b.id}>
            <h3>{b.label}</h3>
            {b.result?.suppressed ? (
              <p class="muted" data-suppressed>
                {b.result.value !== null && (
                  <>
                    <strong>
                      {fmt(b.result.value, b.digits)} {b.unit}
                    </strong>
                    {ciSuffix(b.result, b.digits)}
                    .{' '}
                  </>
                )}
                {b.result.suppressed}
              </p>
            ) : !b.result || !b.result.percentiles || b.result.n_establishments === 0 ? (
              <p class="muted">Pas encore de comparaison possible (aucune donnée clôturée comparable).</p>
            ) : (
              <>
                <p>
                  {b.result.value === null ? (
                    'Pas de valeur pour votre établissement cette année.'
                  ) : (
                    <>
                      <strong>
                        {fmt(b.result.value, b.digits)} {b.unit}
                      </strong>
                      {ciSuffix(b.result, b.digits)}
                      , {position(b.result)} des{' '}
                    </>
                  )}
                  {formatNumber(b.result.n_establishments)} établissement{b.result.n_establishments > 1 ? 's' : ''} de la catégorie «{' '}
                  {CATEGORY_LABELS[b.result.category] ?? b.result.category} ».
                  {b.result.n_establishments < 5 && (
                    <span class="muted"> Moins de 5 établissements comparables : comparaison indicative.</span>
                  )}
                </p>
                <PercentileBand value={b.result.value} percentiles={b.result.percentiles} unit={b.unit} label="Votre établissement" digits={b.digits} />
              </>
            )}
          </div>
        ))
      )}
    </Section>
  );
}
