// Dashboard section: consumption × resistance scatter, one dot per establishment.
import { useState } from 'preact/hooks';
import type { Establishment } from '../../../api';
import { ErrorAlert, Loading } from '../../../components/Alert';
import { ScatterChart } from '../../../components/charts';
import { type Column, DataTable } from '../../../components/DataTable';
import { SelectField } from '../../../components/Field';
import { formatNumber } from '../../../format';
import { useLoad } from '../../../hooks';
import { flagLabel } from '../../../indicatorLabels';
import { type IndicatorRow, sectionBatch } from '../../../indicators';
import { ciColumns, DDJ, directory, Flag, flagNote, type ScopeProps, Section } from './shared';

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
  const data = useLoad(async () => {
    const result =
      (await sectionBatch(scope, year).optional('combined', { pair, by: 'establishment' })) ??
      (await sectionBatch(scope, year).optional('combined', { pair }));
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
    ...ciColumns<CombinedLine>('(%)', (l) => l.row),
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
      <SelectField label="Couple consommation – résistance" value={pair} onValue={(v) => setPair(v as typeof pair)} options={PAIRS} />
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
