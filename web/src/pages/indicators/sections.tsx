// The dashboard's sections, each loading its own indicators for one scope and year:
// the national-strategy panel, consumption, resistance, phenotypes, trends,
// benchmark (an establishment) and the establishments of a region or the nation.
import type { ComponentChildren } from 'preact';
import { useId, useState } from 'preact/hooks';
import { type Establishment, getEstablishments, getRegions } from '../../api';
import { ErrorAlert, Loading } from '../../components/Alert';
import { BarChart, PercentileBand, ScatterChart, TrendChart } from '../../components/charts';
import { type Column, ExportButtons, DataTable } from '../../components/DataTable';
import { TableWrap } from '../../components/TableWrap';
import { getReference, type ReferenceEntry } from '../../data';
import { formatNumber } from '../../format';
import { useLoad } from '../../hooks';
import {
  CATEGORY_LABELS,
  familyLabel,
  flagLabel,
  PHENOTYPE_AMONG,
  PHENOTYPE_SHORT,
  PHENOTYPES,
  phenotypeLabel,
  routeLabel,
  sectorLabel,
} from '../../indicatorLabels';
import {
  type Benchmark,
  getBenchmark,
  getIndicator,
  getOptionalIndicator,
  type IndicatorResult,
  type IndicatorRow,
  getTrend,
  type Scope,
  total,
  type TrendResult,
  yearsBetween,
} from '../../indicators';

export interface ScopeProps {
  scope: Scope;
  year: number;
}

// Non-breaking spaces: a unit never wraps inside a column heading.
const DDJ = 'DDJ/1000\u00a0JH';
const DENSITY = '/1000\u00a0JH';

export const fmt = (v: number | null | undefined, digits = 1) => formatNumber(v ?? null, digits);
/** "371,4 DDJ/1000 JH", or "—" alone when there is no value. */
const withUnit = (v: number | null | undefined, unit: string, digits = 1) => (v == null ? '—' : `${fmt(v, digits)} ${unit}`);

function Section({ id, title, children, lead }: { id: string; title: string; lead?: ComponentChildren; children: ComponentChildren }) {
  return (
    <section class="card dash-section" aria-labelledby={id}>
      <h2 id={id}>{title}</h2>
      {lead && <p class="muted">{lead}</p>}
      {children}
    </section>
  );
}

function Flag({ row }: { row?: IndicatorRow }) {
  if (!row?.flag) return null;
  return <span class="badge tone-todo flag">{flagLabel(row.flag)}</span>;
}

const flagNote = (min: number) =>
  `« effectif faible » : moins de ${min} isolats ou aucune donnée, pourcentage à interpréter avec prudence.`;

// ---------------------------------------------------------------- strategy panel

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

const digitsFor = (unit: string | undefined) => (unit && unit.includes('/1000 JH') && !unit.includes('DDJ') ? 2 : 1);

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
  const [ddj, broad, sarm, sarmBlood, eblse, epc, resistance] = await Promise.all([
    getIndicator('ddj_1000jh', { scope, year }),
    getOptionalIndicator('broad_spectrum_share', { scope, year }),
    getIndicator('pct_phenotype', { scope, year, phenotype: 'sarm' }),
    getIndicator('density_1000jh', { scope, year, phenotype: 'sarm', specimen: 'blood' }),
    getIndicator('density_1000jh', { scope, year, phenotype: 'eblse', specimen: 'all' }),
    getIndicator('density_1000jh', { scope, year, phenotype: 'epc', specimen: 'all' }),
    getIndicator('pct_r', { scope, year }),
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
    const panel = await getOptionalIndicator('strategy_panel', { scope, year });
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
                      ? 'Pas de données.'
                      : [t.hint, t.row.n != null ? `n = ${formatNumber(t.row.n)}` : null].filter(Boolean).join(' · ')}{' '}
                    <Flag row={t.row} />
                  </p>
                </li>
              ))}
            </ul>
            <ExportButtons
              title={`Stratégie nationale ${year}`}
              header={['Indicateur', 'Valeur', 'Unité', 'n', 'Avertissement']}
              rows={data.data.map((t) => [t.label, t.row?.value ?? null, t.unit, t.row?.n, flagLabel(t.row?.flag)])}
            />
          </>
        )
      )}
    </Section>
  );
}

// ---------------------------------------------------------------- consumption

const ddjColumns = (label: string, dim: (r: IndicatorRow) => string): Column<IndicatorRow>[] => [
  { label, value: dim, header: true },
  { label: DDJ, value: (r) => r.value, numeric: true, digits: 1 },
  { label: 'DDJ', value: (r) => r.numerator, numeric: true, digits: 0 },
  { label: "Journées d'hospitalisation", value: (r) => r.denominator, numeric: true, digits: 0 },
];

const byValue = (a: IndicatorRow, b: IndicatorRow) => (b.value ?? 0) - (a.value ?? 0);

export function ConsumptionSection({ scope, year }: ScopeProps) {
  const data = useLoad(async () => {
    const [all, family, sector, route, antifungal, antifungalFamily] = await Promise.all([
      getIndicator('ddj_1000jh', { scope, year }),
      getIndicator('ddj_1000jh', { scope, year, by: 'family' }),
      getIndicator('ddj_1000jh', { scope, year, by: 'sector' }),
      getIndicator('ddj_1000jh', { scope, year, by: 'route' }),
      getIndicator('antifungal_ddj_1000jh', { scope, year }),
      getIndicator('antifungal_ddj_1000jh', { scope, year, by: 'family' }),
    ]);
    return { all: total(all), family: family.rows.sort(byValue), sector: sector.rows.sort(byValue), route: route.rows, antifungal: total(antifungal), antifungalFamily: antifungalFamily.rows.sort(byValue), rule: all.rule };
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

// ---------------------------------------------------------------- resistance

/** Clinical order of the antibiotics in the % R table (others follow by code). */
const ANTIBIOTIC_ORDER = [
  'AMX', 'AMP', 'AMC', 'PIP', 'TIC', 'TZP', 'TEM', 'FOX', 'CTX', 'CRO', 'CAZ', 'FEP', 'ETP', 'IPM', 'MEM', 'GEN', 'AMK', 'TOB',
  'CIP', 'OFX', 'LVX', 'MFX', 'SXT', 'FOS', 'NIT', 'OXA', 'VAN', 'TEC', 'LNZ', 'DAP', 'ERY', 'CLI', 'RIF', 'COL',
];
const abOrder = (code: string) => {
  const i = ANTIBIOTIC_ORDER.indexOf(code);
  return i < 0 ? 1000 : i;
};

function nameOf(list: ReferenceEntry[] | undefined, code: string | undefined): string {
  if (!code) return '—';
  return list?.find((r) => r.code === code)?.label ?? code;
}

export function ResistanceSection({ scope, year, minN = 30 }: ScopeProps & { minN?: number }) {
  const data = useLoad(async () => {
    const [result, species, antibiotics] = await Promise.all([
      getIndicator('pct_r', { scope, year }),
      getReference('species').catch(() => []),
      getReference('antibiotic').catch(() => []),
    ]);
    return { rows: result.rows, species, antibiotics, rule: result.rule };
  }, [scope, year]);
  const d = data.data;
  const captionId = useId();
  let body: ComponentChildren = null;
  if (d) {
    const codes = [...new Set(d.rows.map((r) => r.antibiotic ?? ''))].sort((a, b) => abOrder(a) - abOrder(b) || a.localeCompare(b));
    const tested = new Map<string, number>();
    for (const r of d.rows) tested.set(r.species ?? '', Math.max(tested.get(r.species ?? '') ?? 0, r.n ?? 0));
    const species = [...tested.keys()].sort((a, b) => (tested.get(b) ?? 0) - (tested.get(a) ?? 0));
    const cell = (s: string, a: string) => d.rows.find((r) => r.species === s && r.antibiotic === a);
    body =
      d.rows.length === 0 ? (
        <p class="muted">Pas d'antibiogrammes pour {year}.</p>
      ) : (
        <div class="data-table">
          <TableWrap label={`Pourcentage de résistance par espèce et antibiotique ${year}`}>
            <table class="compact pct-r" aria-describedby={captionId}>
              <thead>
                <tr>
                  <th scope="col">Espèce</th>
                  <th scope="col" class="num">
                    Isolats
                  </th>
                  {codes.map((c) => (
                    <th key={c} scope="col" class="num">
                      <abbr title={nameOf(d.antibiotics, c)}>{c}</abbr>
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {species.map((s) => (
                  <tr key={s}>
                    <th scope="row">
                      <em>{nameOf(d.species, s)}</em>
                    </th>
                    <td class="num">{formatNumber(tested.get(s) ?? 0)}</td>
                    {codes.map((c) => {
                      const r = cell(s, c);
                      if (!r) return <td key={c} class="num muted">·</td>;
                      const level = (r.value ?? 0) >= 50 ? 'r-high' : (r.value ?? 0) >= 20 ? 'r-mid' : (r.value ?? 0) > 0 ? 'r-low' : 'r-none';
                      return (
                        <td
                          key={c}
                          class={`num ${level}${r.flag ? ' small-n' : ''}`}
                          title={`${nameOf(d.species, s)} — ${nameOf(d.antibiotics, c)} : ${fmt(r.value)} % de R sur ${formatNumber(r.n ?? 0)} isolats testés${r.flag ? ' (effectif faible)' : ''}`}
                        >
                          {fmt(r.value)}
                          {r.flag && <sup aria-label="effectif faible">*</sup>}
                        </td>
                      );
                    })}
                  </tr>
                ))}
              </tbody>
            </table>
          </TableWrap>
          <div class="table-foot">
            <p class="muted" id={captionId}>
              % de souches résistantes (R) parmi les isolats dédoublonnés testés ; SFP compté comme non R. * {flagNote(minN)}{' '}
              « · » : non testé. {d.rule && `Règle de dédoublonnage : ${d.rule}.`}
            </p>
            <ExportButtons
              title={`Résistance par espèce et antibiotique ${year}`}
              header={['Espèce', 'Code espèce', 'Antibiotique', 'Code antibiotique', '% R', 'Isolats R', 'Isolats testés', 'Avertissement']}
              rows={d.rows.map((r) => [
                nameOf(d.species, r.species),
                r.species,
                nameOf(d.antibiotics, r.antibiotic),
                r.antibiotic,
                r.value,
                r.numerator,
                r.n,
                flagLabel(r.flag),
              ])}
            />
          </div>
        </div>
      );
  }
  return (
    <Section id="resistance" title="Résistance par espèce et antibiotique">
      <ErrorAlert error={data.error} />
      {data.loading && !d ? <Loading /> : body}
    </Section>
  );
}

// ---------------------------------------------------------------- phenotypes

interface PhenotypeLine {
  phenotype: string;
  pct?: IndicatorRow;
  all?: IndicatorRow;
  blood?: IndicatorRow;
}

export function PhenotypeSection({ scope, year }: ScopeProps) {
  const data = useLoad(
    () =>
      Promise.all(
        PHENOTYPES.map(async (phenotype): Promise<PhenotypeLine> => {
          const [pct, all, blood] = await Promise.all([
            getIndicator('pct_phenotype', { scope, year, phenotype }),
            getIndicator('density_1000jh', { scope, year, phenotype, specimen: 'all' }),
            getIndicator('density_1000jh', { scope, year, phenotype, specimen: 'blood' }),
          ]);
          return { phenotype, pct: total(pct), all: total(all), blood: total(blood) };
        }),
      ),
    [scope, year],
  );
  const columns: Column<PhenotypeLine>[] = [
    { label: 'Phénotype', value: (l) => phenotypeLabel(l.phenotype), header: true },
    { label: 'Parmi', value: (l) => PHENOTYPE_AMONG[l.phenotype] },
    { label: '%', value: (l) => l.pct?.value ?? null, numeric: true, digits: 1 },
    { label: 'Isolats', value: (l) => l.pct?.numerator ?? l.all?.numerator, numeric: true, digits: 0 },
    { label: 'Isolats testés', value: (l) => l.pct?.n, numeric: true, digits: 0 },
    { label: `Densité (${DENSITY})`, value: (l) => l.all?.value ?? null, numeric: true, digits: 2 },
    { label: `Densité hémocultures (${DENSITY})`, value: (l) => l.blood?.value ?? null, numeric: true, digits: 2 },
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
              bars={data.data.filter((l) => l.pct).map((l) => ({ label: PHENOTYPE_SHORT[l.phenotype], value: l.pct?.value ?? null, faint: !!l.pct?.flag }))}
            />
            <DataTable wrapHeaders title={`Phénotypes de résistance ${year}`} columns={columns} rows={data.data} note={flagNote(30)} />
          </>
        )
      )}
    </Section>
  );
}

// ---------------------------------------------------------------- trends

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
    const range = { scope, from: year - TREND_YEARS + 1, to: year };
    const [ddj, sarm, eblse] = await Promise.all([
      getTrend('ddj_1000jh', range),
      getTrend('pct_phenotype', { ...range, phenotype: 'sarm' }),
      getTrend('density_1000jh', { ...range, phenotype: 'eblse', specimen: 'all' }),
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
    { label: `Densité EBLSE (${DENSITY})`, value: (l) => l.eblse?.value ?? null, numeric: true, digits: 2 },
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
            <DataTable title={`Évolution ${data.data[0]?.year}-${year}`} columns={columns} rows={data.data} />
          </>
        )
      )}
    </Section>
  );
}

// ---------------------------------------------------------------- benchmark

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
  const data = useLoad(
    () =>
      Promise.all(
        BENCHMARKS.map(async (b) => {
          try {
            return { ...b, result: await getBenchmark(b.id, finess, year, b.extra) };
          } catch {
            return { ...b, result: null };
          }
        }),
      ),
    [finess, year],
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
            {!b.result || !b.result.percentiles || b.result.n_establishments === 0 ? (
              <p class="muted">Pas encore de comparaison possible (aucune donnée clôturée comparable).</p>
            ) : b.result.n_establishments === 1 ? (
              <p>
                {b.result.value !== null && (
                  <>
                    <strong>
                      {fmt(b.result.value, b.digits)} {b.unit}
                    </strong>
                    .{' '}
                  </>
                )}
                <span class="muted">
                  Seul établissement de la catégorie « {CATEGORY_LABELS[b.result.category] ?? b.result.category} » avec des
                  données clôturées cette année : la comparaison sera possible quand d'autres auront clôturé.
                </span>
              </p>
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

// ---------------------------------------------------------------- establishments of a region / the nation

interface EsLine {
  finess: string;
  name: string;
  category: string;
  region: string;
  ddj?: IndicatorRow;
  antifungal?: IndicatorRow;
  sarm?: IndicatorRow;
  sarmBlood?: IndicatorRow;
  eblse?: IndicatorRow;
  epc?: IndicatorRow;
}

async function directory(scope: Scope): Promise<Establishment[]> {
  if (scope.startsWith('region:')) return getEstablishments(scope.slice('region:'.length));
  const regions = await getRegions();
  const lists = await Promise.all(regions.map((r) => getEstablishments(r.code).catch(() => [] as Establishment[])));
  return lists.flat();
}

export function EstablishmentsSection({ scope, year, regionNames }: ScopeProps & { regionNames?: Record<string, string> }) {
  const data = useLoad(async () => {
    const q = { scope, year, by: 'establishment' };
    const [names, ddj, antifungal, sarm, sarmBlood, eblse, epc, aggregate] = await Promise.all([
      directory(scope),
      getIndicator('ddj_1000jh', q),
      getIndicator('antifungal_ddj_1000jh', q),
      getIndicator('pct_phenotype', { ...q, phenotype: 'sarm' }),
      getIndicator('density_1000jh', { ...q, phenotype: 'sarm', specimen: 'blood' }),
      getIndicator('density_1000jh', { ...q, phenotype: 'eblse', specimen: 'all' }),
      getIndicator('density_1000jh', { ...q, phenotype: 'epc', specimen: 'all' }),
      getIndicator('ddj_1000jh', { scope, year }),
    ]);
    const pick = (r: IndicatorResult, f: string) => r.rows.find((x) => x.establishment === f);
    const ids = new Set([ddj, antifungal, sarm, sarmBlood, eblse, epc].flatMap((r) => r.rows.map((x) => x.establishment ?? '')));
    const lines: EsLine[] = [...ids]
      .filter(Boolean)
      .map((f) => {
        const e = names.find((n) => n.finess === f);
        return {
          finess: f,
          name: e?.name ?? f,
          category: e?.category ?? '',
          region: e?.region ?? '',
          ddj: pick(ddj, f),
          antifungal: pick(antifungal, f),
          sarm: pick(sarm, f),
          sarmBlood: pick(sarmBlood, f),
          eblse: pick(eblse, f),
          epc: pick(epc, f),
        };
      })
      .sort((a, b) => a.name.localeCompare(b.name, 'fr'));
    const reporting = new Set(lines.map((l) => l.finess));
    const silent = scope.startsWith('region:') ? names.filter((n) => !reporting.has(n.finess)) : [];
    return { lines, aggregate: total(aggregate), silent };
  }, [scope, year]);
  const d = data.data;
  const columns: Column<EsLine>[] = [
    {
      label: 'Établissement',
      value: (l) => l.name,
      header: true,
      render: (l) => <a href={`#/indicateurs/etablissements/${encodeURIComponent(l.finess)}?annee=${year}`}>{l.name}</a>,
    },
    { label: 'FINESS', value: (l) => l.finess, csvOnly: true },
    { label: 'Catégorie', value: (l) => l.category },
    ...(regionNames ? [{ label: 'Région', value: (l: EsLine) => regionNames[l.region] ?? l.region }] : []),
    { label: `Antibiotiques (${DDJ})`, value: (l) => l.ddj?.value ?? null, numeric: true, digits: 1 },
    { label: `Antifongiques (${DDJ})`, value: (l) => l.antifungal?.value ?? null, numeric: true, digits: 1 },
    {
      label: '% SARM',
      value: (l) => l.sarm?.value ?? null,
      numeric: true,
      render: (l) => (
        <>
          {fmt(l.sarm?.value)}
          {l.sarm?.flag && <sup title="effectif faible">*</sup>}
        </>
      ),
    },
    { label: `Bactériémies SARM (${DENSITY})`, value: (l) => l.sarmBlood?.value ?? null, numeric: true, digits: 2 },
    { label: `EBLSE (${DENSITY})`, value: (l) => l.eblse?.value ?? null, numeric: true, digits: 2 },
    { label: `EPC (${DENSITY})`, value: (l) => l.epc?.value ?? null, numeric: true, digits: 2 },
  ];
  return (
    <Section id="etablissements" title="Chaque établissement" lead="Données clôturées uniquement ; cliquez sur un établissement pour ouvrir son tableau de bord.">
      <ErrorAlert error={data.error} />
      {data.loading && !d ? (
        <Loading />
      ) : (
        d && (
          <>
            <BarChart
              title="Consommation d'antibiotiques par établissement"
              unit={DDJ}
              bars={d.lines.filter((l) => l.ddj).map((l) => ({ label: l.name, value: l.ddj?.value ?? null }))}
              reference={d.aggregate?.value != null ? { value: d.aggregate.value, label: 'Ensemble' } : undefined}
            />
            <DataTable wrapHeaders title={`Indicateurs par établissement ${year}`} columns={columns} rows={d.lines} note={`* ${flagNote(30)}`} empty={`Aucun établissement n'a de données clôturées pour ${year}.`} />
            {d.silent.length > 0 && (
              <p class="muted">
                Sans données clôturées pour {year} : {d.silent.map((s) => s.name).join(', ')}.
              </p>
            )}
          </>
        )
      )}
    </Section>
  );
}

// ---------------------------------------------------------------- consumption by UF / service / pole

const UNIT_LEVELS = [
  { value: 'uf', label: 'Unité fonctionnelle (UF)', column: 'UF' },
  { value: 'service', label: 'Service', column: 'Service' },
  { value: 'pole', label: 'Pôle', column: 'Pôle' },
] as const;

type UnitLevel = (typeof UNIT_LEVELS)[number]['value'];

const unitOf = (r: IndicatorRow, level: UnitLevel) => {
  const code = r[level] ?? '';
  if (!code) return 'Non renseigné';
  return r.label && r.label !== code ? `${code} — ${r.label}` : code;
};

/** An establishment's consumption by its own units (nothing when the API does not offer it). */
export function UnitBreakdown({ scope, year }: ScopeProps) {
  const [level, setLevel] = useState<UnitLevel>('uf');
  const id = useId();
  const data = useLoad(() => getOptionalIndicator('ddj_1000jh', { scope, year, by: level }), [scope, year, level]);
  if (data.data === null && level === 'uf') return null; // not offered by the API
  const chosen = UNIT_LEVELS.find((l) => l.value === level) ?? UNIT_LEVELS[0];
  const rows = [...(data.data?.rows ?? [])].sort(byValue);
  return (
    <div class="unit-breakdown" data-breakdown="units">
      <h3>Par unité, service ou pôle</h3>
      <div class="field field-inline">
        <label for={id}>Détail par</label>
        <select id={id} value={level} onChange={(e) => setLevel(e.currentTarget.value as UnitLevel)}>
          {UNIT_LEVELS.map((l) => (
            <option key={l.value} value={l.value}>
              {l.label}
            </option>
          ))}
        </select>
      </div>
      <ErrorAlert error={data.error} />
      {data.loading && !data.data ? (
        <Loading />
      ) : data.data === null ? (
        <p class="muted">Ce détail n'est pas encore disponible.</p>
      ) : (
        <>
          {rows.length > 0 && rows.length <= 25 && (
            <BarChart
              title={`Consommation par ${chosen.column.toLowerCase()}`}
              unit={DDJ}
              bars={rows.filter((r) => r.value != null).map((r) => ({ label: unitOf(r, level), value: r.value }))}
            />
          )}
          <DataTable
            title={`Consommation par ${chosen.label.toLowerCase()} ${year}`}
            columns={ddjColumns(chosen.column, (r) => unitOf(r, level))}
            rows={rows}
            empty="Pas de consommation rattachée à ce niveau."
          />
        </>
      )}
    </div>
  );
}

// ---------------------------------------------------------------- combined consumption × resistance

const PAIRS = [
  { value: 'c3g', label: 'Céphalosporines de 3e génération et E. coli / K. pneumoniae résistants aux C3G', consumption: 'Consommation de C3G', resistance: '% de résistance aux C3G' },
  { value: 'carbapenems', label: 'Carbapénèmes et résistance aux carbapénèmes', consumption: 'Consommation de carbapénèmes', resistance: '% de résistance aux carbapénèmes' },
  { value: 'fq', label: 'Fluoroquinolones et entérobactéries résistantes aux fluoroquinolones', consumption: 'Consommation de fluoroquinolones', resistance: '% de résistance aux fluoroquinolones' },
  { value: 'anti_sarm', label: 'Antibiotiques anti-SARM et SARM parmi les S. aureus', consumption: 'Consommation d’anti-SARM', resistance: '% de SARM' },
] as const;

interface CombinedLine {
  key: string;
  name: string;
  own: boolean;
  row: IndicatorRow;
}

/**
 * Consumption of an antibiotic family against the matching resistance, one dot per
 * establishment: comparable establishments (anonymous) around the establishment the page
 * is about, or every establishment of a region / the nation. Nothing when the API lacks it.
 */
export function CombinedSection({ scope, year, finess }: ScopeProps & { finess?: string }) {
  const [pair, setPair] = useState<(typeof PAIRS)[number]['value']>('c3g');
  const id = useId();
  const data = useLoad(async () => {
    const result =
      (await getOptionalIndicator('combined', { scope, year, pair, by: 'establishment' })) ??
      (await getOptionalIndicator('combined', { scope, year, pair }));
    if (!result) return null;
    // Names of a region's / the nation's establishments (an establishment's comparables stay anonymous).
    const known = finess ? [] : await directory(scope).catch(() => [] as Establishment[]);
    return { ...result, names: Object.fromEntries(known.map((e) => [e.finess, e.name])) };
  }, [scope, year, pair]);
  if (data.data === null) return null; // not offered by the API
  const names = data.data?.names;
  const chosen = PAIRS.find((p) => p.value === pair) ?? PAIRS[0];
  let others = 0;
  const described = data.data?.pair;
  const unplotted = (data.data?.rows ?? []).filter((r) => r.consumption == null || r.resistance == null).length;
  const lines: CombinedLine[] = (data.data?.rows ?? [])
    .filter((r) => r.consumption != null && r.resistance != null)
    .sort((a, b) => (a.consumption ?? 0) - (b.consumption ?? 0))
    .map((r, i) => {
      const own = !!finess && (r.establishment === finess || (!r.establishment && (data.data?.rows.length ?? 0) === 1));
      const name = own
        ? 'Votre établissement'
        : finess
          ? `Établissement comparable ${++others}`
          : (names?.[r.establishment ?? ''] ?? r.establishment ?? `Établissement ${i + 1}`);
      return { key: r.establishment ?? String(i), name, own, row: r };
    });
  const columns: Column<CombinedLine>[] = [
    { label: 'Établissement', value: (l) => l.name, header: true, render: (l) => (l.own ? <strong>{l.name}</strong> : l.name) },
    ...(finess ? [] : [{ label: 'FINESS', value: (l: CombinedLine) => l.row.establishment ?? '', csvOnly: true }]),
    { label: `${chosen.consumption} (${DDJ})`, value: (l) => l.row.consumption ?? null, numeric: true, digits: 1 },
    { label: chosen.resistance, value: (l) => l.row.resistance ?? null, numeric: true, digits: 1 },
    { label: 'Isolats testés', value: (l) => l.row.n, numeric: true, digits: 0 },
    ...(lines.some((l) => l.row.flag)
      ? [{ label: 'Avertissement', value: (l: CombinedLine) => flagLabel(l.row.flag), render: (l: CombinedLine) => <Flag row={l.row} /> }]
      : []),
  ];
  return (
    <Section
      id="combine"
      title="Consommation et résistance"
      lead={
        finess
          ? 'La consommation d’une famille d’antibiotiques face à la résistance correspondante : votre établissement parmi les établissements comparables (anonymes).'
          : 'La consommation d’une famille d’antibiotiques face à la résistance correspondante, un point par établissement.'
      }
    >
      <div class="field">
        <label for={id}>Couple consommation – résistance</label>
        <select id={id} value={pair} onChange={(e) => setPair(e.currentTarget.value as typeof pair)}>
          {PAIRS.map((p) => (
            <option key={p.value} value={p.value}>
              {p.label}
            </option>
          ))}
        </select>
      </div>
      {described?.consumption && described.resistance && (
        <p class="muted">
          Consommation : {described.consumption.toLowerCase()} ; résistance : {described.resistance}.
        </p>
      )}
      <ErrorAlert error={data.error} />
      {data.loading && !data.data ? (
        <Loading />
      ) : lines.length === 0 ? (
        <p class="muted">Pas encore de données pour ce couple en {year}.</p>
      ) : (
        <>
          <ScatterChart
            title={chosen.label}
            xLabel={`${chosen.consumption} (${DDJ})`}
            yLabel={chosen.resistance}
            points={lines.map((l) => ({ label: l.name, x: l.row.consumption ?? 0, y: l.row.resistance ?? 0, highlight: l.own, faint: !!l.row.flag }))}
          />
          {unplotted > 0 && (
            <p class="muted">
              {unplotted > 1 ? `${formatNumber(unplotted)} établissements n'apparaissent pas` : "Un établissement n'apparaît pas"} : aucun
              isolat testé pour calculer la résistance.
            </p>
          )}
          {finess && lines.every((l) => l.own) && (
            <p class="muted">Les établissements comparables apparaîtront ici quand ils auront clôturé leurs données de {year}.</p>
          )}
          <DataTable
            wrapHeaders
            title={`Consommation et résistance ${chosen.value} ${year}`}
            columns={columns}
            rows={lines}
            rowClass={(l) => (l.own ? 'row-highlight' : undefined)}
            note={lines.some((l) => l.row.flag) ? flagNote(30) : undefined}
          />
        </>
      )}
    </Section>
  );
}
