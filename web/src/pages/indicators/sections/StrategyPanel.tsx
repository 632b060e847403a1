// Dashboard section: the national strategy 2022-2025 panel (headline indicators as cards).
import { ErrorAlert, Loading } from '../../../components/Alert';
import { ExportButtons } from '../../../components/DataTable';
import { formatNumber } from '../../../format';
import { useLoad } from '../../../hooks';
import { flagLabel } from '../../../indicatorLabels';
import { type IndicatorResult, type IndicatorRow, type Scope, sectionBatch, total } from '../../../indicators';
import { ciText, DDJ, DENSITY, Flag, fmt, type ScopeProps, Section } from './shared';

interface Tile {
  id: string;
  label: string;
  unit: string;
  row?: IndicatorRow;
  digits: number;
  hint?: string;
}

function pctR(result: IndicatorResult, species: string, antibiotic: string): IndicatorRow | undefined {
  return result.rows.find((r) => r.species === species && r.antibiotic === antibiotic);
}

const digitsFor = (unit: string | null | undefined) => (unit && unit.includes('/1000 JH') && !unit.includes('DDJ') ? 2 : 1);

/** The panel's cards from `strategy_panel` (one row per indicator). */
function tilesFromPanel(rows: IndicatorRow[]): Tile[] {
  return rows.map((r, i) => ({
    id: r.indicator ?? `indicateur-${i}`,
    label: r.label ?? r.indicator ?? '—',
    unit: r.unit ?? '',
    row: r,
    digits: digitsFor(r.unit),
  }));
}

/** The same cards assembled from the individual indicators (an API without `strategy_panel`). */
async function tilesFromIndicators(scope: Scope, year: number): Promise<Tile[]> {
  const b = sectionBatch(scope, year);
  const [ddj, broad, sarm, sarmBlood, eblse, epc, resistance] = await Promise.all([
    b.indicator('ddj_1000jh'),
    b.optional('broad_spectrum_share'),
    b.indicator('pct_phenotype', { phenotype: 'sarm' }),
    b.indicator('density_1000jh', { phenotype: 'sarm', specimen: 'blood' }),
    b.indicator('density_1000jh', { phenotype: 'eblse', specimen: 'all' }),
    b.indicator('density_1000jh', { phenotype: 'epc', specimen: 'all' }),
    b.indicator('pct_r'),
  ]);
  const tiles: (Tile | null)[] = [
    { id: 'ddj_1000jh', label: "Consommation d'antibiotiques", unit: DDJ, row: total(ddj), digits: 1 },
    broad && { id: 'broad_spectrum_share', label: 'Part des antibiotiques à large spectre', unit: '%', row: total(broad), digits: 1 },
    { id: 'pct_sarm', label: 'SARM parmi les S. aureus', unit: '%', row: total(sarm), digits: 1 },
    { id: 'density_sarm_blood', label: 'Bactériémies à SARM', unit: DENSITY, row: total(sarmBlood), digits: 2 },
    { id: 'density_eblse', label: 'Densité d’incidence des EBLSE', unit: DENSITY, row: total(eblse), digits: 2 },
    { id: 'density_epc', label: 'Densité d’incidence des EPC', unit: DENSITY, row: total(epc), digits: 2 },
    {
      id: 'pct_c3g_ecoli',
      label: 'E. coli résistants aux C3G',
      unit: '%',
      row: pctR(resistance, 'ESCCOL', 'CTX'),
      digits: 1,
      hint: 'céfotaxime',
    },
    {
      id: 'pct_c3g_kpne',
      label: 'K. pneumoniae résistantes aux C3G',
      unit: '%',
      row: pctR(resistance, 'KLEPNE', 'CTX'),
      digits: 1,
      hint: 'céfotaxime',
    },
  ];
  return tiles.filter((t): t is Tile => t !== null);
}

/** National strategy 2022-2025 panel: the headline indicators as cards. */
export function StrategyPanel({ scope, year }: ScopeProps) {
  const data = useLoad(async () => {
    const panel = await sectionBatch(scope, year).optional('strategy_panel');
    return panel && panel.rows.length > 0 ? tilesFromPanel(panel.rows) : tilesFromIndicators(scope, year);
  }, [scope, year]);

  return (
    <Section id="strategie" title="Stratégie nationale 2022-2025" lead="Les indicateurs suivis par la stratégie nationale de prévention des infections et de l'antibiorésistance.">
      <ErrorAlert error={data.error} />
      {data.loading && !data.data ? (
        <Loading />
      ) : (
        data.data && (
          <>
            <ul class="tiles">
              {data.data.map((t) => (
                <li key={t.id} class="tile" data-indicator={t.id}>
                  <p class="tile-label">{t.label}</p>
                  <p class="tile-value">
                    {t.row && t.row.value != null ? fmt(t.row.value, t.digits) : '—'} <span class="tile-unit">{t.unit}</span>
                  </p>
                  <p class="tile-note">
                    {!t.row || t.row.value == null
                      ? 'Aucune donnée.'
                      : [t.hint, t.row.n != null ? `n = ${formatNumber(t.row.n)}` : null, ciText(t.row, t.digits) && `IC 95 % ${ciText(t.row, t.digits)}`]
                          .filter(Boolean)
                          .join(' · ')}{' '}
                    <Flag row={t.row} />
                  </p>
                </li>
              ))}
            </ul>
            <ExportButtons
              title={`Stratégie nationale ${year}`}
              header={['Indicateur', 'Valeur', 'IC 95 % bas', 'IC 95 % haut', 'Unité', 'n', 'Avertissement']}
              rows={data.data.map((t) => [t.label, t.row?.value ?? null, t.row?.ci_low ?? null, t.row?.ci_high ?? null, t.unit, t.row?.n, flagLabel(t.row?.flag)])}
            />
          </>
        )
      )}
    </Section>
  );
}
