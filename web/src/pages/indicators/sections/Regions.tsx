// Dashboard section (national): the regions side by side, one indicator at a time — each region's total
// with its 95 % interval against the nation's, as bars, as a tile map and as a table (one request).
import { useId, useState } from 'preact/hooks';
import type { Region } from '../../../api';
import { ErrorAlert, Loading } from '../../../components/Alert';
import { BarChart } from '../../../components/charts';
import { type Column, DataTable } from '../../../components/DataTable';
import { RegionMap } from '../../../components/RegionMap';
import { useLoad } from '../../../hooks';
import { type IndicatorRow, sectionBatch, total } from '../../../indicators';
import { CI_NOTE, ciColumns, ciSuffix, DDJ, DENSITY, Flag, fmt, Section } from './shared';

interface Choice {
  key: string;
  label: string;
  unit: string;
  digits: number;
  id: string;
  options: Record<string, string>;
  /** What the count column counts. */
  counted: string;
}

/** The indicators the regions are compared on (each a single total per region). */
export const REGION_CHOICES: readonly Choice[] = [
  { key: 'ddj', label: "Consommation d'antibiotiques", unit: DDJ, digits: 1, id: 'ddj_1000jh', options: {}, counted: 'Lignes de consommation' },
  { key: 'access', label: 'Part des antibiotiques Accès (Access, AWaRe)', unit: '% des DDJ', digits: 1, id: 'aware_share', options: {},
    counted: 'Lignes de consommation' },
  { key: 'sarm', label: 'SARM parmi les S. aureus', unit: '%', digits: 1, id: 'pct_phenotype', options: { phenotype: 'sarm' },
    counted: 'S. aureus testés' },
  { key: 'c3g', label: 'Entérobactéries résistantes aux C3G', unit: '%', digits: 1, id: 'pct_phenotype',
    options: { phenotype: 'c3g_r' }, counted: 'Entérobactéries testées' },
  { key: 'epc', label: "Densité d'incidence des EPC", unit: DENSITY, digits: 2, id: 'density_1000jh',
    options: { phenotype: 'epc', specimen: 'all' }, counted: 'Isolats' },
];

interface RegionLine {
  region: Region;
  row?: IndicatorRow;
}

export function RegionsSection({ year, regions }: { year: number; regions: Region[] }) {
  const [key, setKey] = useState(REGION_CHOICES[0].key);
  const chosen = REGION_CHOICES.find((c) => c.key === key) ?? REGION_CHOICES[0];
  const selectId = useId();
  const data = useLoad(async () => {
    if (!regions.length) return null;
    const b = sectionBatch('national', year);
    const [nation, lines] = await Promise.all([
      b.indicator(chosen.id, chosen.options),
      Promise.all(
        regions.map(async (region): Promise<RegionLine> => ({
          region,
          row: total(await b.indicator(chosen.id, { ...chosen.options, scope: `region:${region.code}` })),
        })),
      ),
    ]);
    return { nation: total(nation), lines };
  }, [year, key, regions.map((r) => r.code).join()]);
  const d = data.data;
  const ranked = d ? [...d.lines].sort((a, b) => (b.row?.value ?? -Infinity) - (a.row?.value ?? -Infinity)) : [];
  const withValue = ranked.filter((l) => l.row?.value != null);
  const columns: Column<RegionLine>[] = [
    { label: 'Région', value: (l) => l.region.name, header: true,
      render: (l) => <a href={`#/indicateurs/regions/${l.region.code}?annee=${year}`}>{l.region.name}</a> },
    { label: chosen.unit, value: (l) => l.row?.value ?? null, numeric: true, digits: chosen.digits },
    ...ciColumns<RegionLine>('', (l) => l.row, chosen.digits),
    { label: chosen.counted, value: (l) => l.row?.n ?? null, numeric: true, digits: 0 },
    { label: 'Avertissement', value: (l) => (l.row?.value == null ? 'aucune donnée' : l.row?.flag ?? ''),
      render: (l) => (l.row?.value == null ? <span class="badge tone-none flag">aucune donnée</span> : <Flag row={l.row} />) },
  ];
  return (
    <Section
      id="regions-comparees"
      title="Régions comparées"
      lead="Chaque région sur ses périodes clôturées, avec son intervalle de confiance, face à la France entière."
    >
      <div class="toolbar">
        <span class="inline-field">
          <label for={selectId}>Indicateur</label>
          <select id={selectId} value={key} onChange={(e) => setKey(e.currentTarget.value)}>
            {REGION_CHOICES.map((c) => (
              <option key={c.key} value={c.key}>
                {c.label}
              </option>
            ))}
          </select>
        </span>
      </div>
      <ErrorAlert error={data.error} />
      {data.loading && !d ? (
        <Loading />
      ) : (
        d && (
          <>
            <div class="region-compare">
              {withValue.length > 0 ? (
                <BarChart
                  title={`${chosen.label}, par région`}
                  unit={chosen.unit}
                  digits={chosen.digits}
                  bars={withValue.map((l) => ({ label: l.region.name, value: l.row?.value ?? null, low: l.row?.ci_low, high: l.row?.ci_high,
                    faint: Boolean(l.row?.flag) }))}
                  reference={d.nation?.value != null ? { label: 'France', value: d.nation.value } : undefined}
                />
              ) : (
                <p class="muted">Aucune région n'a de donnée clôturée pour {year}.</p>
              )}
              <RegionMap
                title={chosen.label}
                unit={chosen.unit}
                digits={chosen.digits}
                names={Object.fromEntries(d.lines.map((l) => [l.region.code, l.region.name]))}
                values={Object.fromEntries(d.lines.map((l) => [l.region.code, l.row?.value ?? null]))}
              />
            </div>
            <p class="muted">
              France entière : {d.nation?.value == null ? 'aucune donnée' : `${fmt(d.nation.value, chosen.digits)} ${chosen.unit}${ciSuffix(d.nation, chosen.digits)}`}.
              {' '}
              {CI_NOTE}
            </p>
            <DataTable title={`${chosen.label} par région, ${year}`} columns={columns} rows={ranked} />
          </>
        )
      )}
    </Section>
  );
}
