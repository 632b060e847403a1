import type { ComponentChildren } from 'preact';
import { formatNumber } from '../format';
import { columnLabel, EXCLUSION_LABELS, periodShort, PHENOTYPE_LABELS, SECTOR_LABELS } from '../labels';
import { Table } from './TableWrap';

type Summary = Record<string, unknown>;

const num = (v: unknown): number | undefined => (typeof v === 'number' ? v : undefined);
const obj = (v: unknown): Record<string, unknown> =>
  v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
const ddj = (v: unknown) => formatNumber(num(v), 1);

function Facts({ items }: { items: [string, ComponentChildren, boolean?][] }) {
  const shown = items.filter(([, , hide]) => !hide);
  return (
    <dl class="facts">
      {shown.map(([label, value]) => (
        <div key={label}>
          <dt>{label}</dt>
          <dd>{value}</dd>
        </div>
      ))}
    </dl>
  );
}

/** A two-column table of counts from a {key: number} object. */
function CountTable(props: {
  caption: string;
  keyHeading: string;
  valueHeading: string;
  values: Record<string, unknown>;
  labels?: Record<string, string>;
  format?: (v: unknown) => string;
  sort?: boolean;
  /** Leave out zero counts; says `empty` when nothing is left. */
  empty?: string;
}) {
  const { caption, keyHeading, valueHeading, values, labels, format = (v) => formatNumber(num(v)), sort, empty } = props;
  const entries = Object.entries(values).filter(([, v]) => !empty || num(v) !== 0);
  if (entries.length === 0) return empty ? <p>{empty}</p> : null;
  if (sort) entries.sort((a, b) => (num(b[1]) ?? 0) - (num(a[1]) ?? 0));
  return (
    <Table label={caption} class="compact" caption={caption} head={[keyHeading, { label: valueHeading, numeric: true }]}>
      {entries.map(([k, v]) => (
        <tr key={k}>
          <th scope="row" class={labels?.[k] ? undefined : 'mono'}>
            {labels?.[k] ?? k}
          </th>
          <td class="num">{format(v)}</td>
        </tr>
      ))}
    </Table>
  );
}

function Consumption({ s, period }: { s: Summary; period?: string }) {
  const scope = obj(s.ddd_by_scope);
  const unknown = Array.isArray(s.unknown_ucds) ? (s.unknown_ucds as string[]) : [];
  return (
    <>
      <Facts
        items={[
          ['DDJ au total', ddj(s.ddd_total)],
          importedPeriods(s, period),
          ['dont antibiotiques', ddj(scope.antibiotic), scope.antibiotic === undefined],
          ['dont antifongiques', ddj(scope.antifungal), scope.antifungal === undefined],
          ['Lignes hors surveillance', formatNumber(num(s.out_of_scope)), !num(s.out_of_scope)],
          ['Voies non systémiques', formatNumber(num(s.not_systemic)), !num(s.not_systemic)],
          ["Lignes d'UF non comptées", formatNumber(num(s.not_counted_uf)), !num(s.not_counted_uf)],
        ]}
      />
      {unknown.length > 0 && (
        <p>
          Codes UCD inconnus du référentiel : <span class="mono">{unknown.join(', ')}</span>
        </p>
      )}
      <CountTable
        caption="DDJ par code ATC"
        keyHeading="Code ATC"
        valueHeading="DDJ"
        values={obj(s.ddd_by_atc)}
        format={ddj}
        sort
      />
    </>
  );
}

/** The periods a year file holding quarters imported (each its own current data); nothing for a file of its own period. */
function importedPeriods(s: Summary, period?: string): [string, ComponentChildren, boolean] {
  const periods = Array.isArray(s.periods) ? (s.periods as string[]) : [];
  const own = periods.length === 0 || (periods.length === 1 && periods[0] === period);
  return ['Périodes importées (chacune comme sa propre période)', periods.map(periodShort).join(', '), own];
}

function PatientDays({ s, period }: { s: Summary; period?: string }) {
  return (
    <>
      <Facts
        items={[["Journées d'hospitalisation au total", formatNumber(num(s.patient_days_total))], importedPeriods(s, period)]}
      />
      <CountTable caption="Journées par UF" keyHeading="UF" valueHeading="Journées" values={obj(s.by_uf)} />
    </>
  );
}

function Resistance({ s }: { s: Summary }) {
  return (
    <>
      <Facts
        items={[
          ['Isolats lus', formatNumber(num(s.isolates_read))],
          ['Isolats gardés', formatNumber(num(s.isolates_kept)), s.isolates_kept === undefined],
          ['dont hémocultures', formatNumber(num(s.blood_isolates_kept)), s.blood_isolates_kept === undefined],
          ['Doublons écartés', formatNumber(num(s.duplicates)), s.duplicates === undefined],
          ["Colonnes d'antibiotiques", formatNumber(num(s.antibiotic_columns)), s.antibiotic_columns === undefined],
          ['Résultats « I » lus comme SFP', formatNumber(num(s.legacy_i)), !num(s.legacy_i)],
        ]}
      />
      {s.isolates_kept === undefined && (
        <p class="muted">Les isolats gardés et les phénotypes sont comptés après le dédoublonnage.</p>
      )}
      <div class="summary-tables">
        <CountTable
          caption="Isolats exclus"
          keyHeading="Motif"
          valueHeading="Isolats"
          values={obj(s.excluded)}
          labels={EXCLUSION_LABELS}
          empty="Aucun isolat exclu."

        />
        <CountTable
          caption="Phénotypes de résistance"
          keyHeading="Phénotype"
          valueHeading="Isolats"
          values={obj(s.phenotypes)}
          labels={PHENOTYPE_LABELS}
        />
      </div>
    </>
  );
}

function Structure({ s }: { s: Summary }) {
  return (
    <>
      <Facts items={[['UF', formatNumber(num(s.units))]]} />
      <CountTable caption="UF par secteur" keyHeading="Secteur" valueHeading="UF" values={obj(s.by_sector)} labels={SECTOR_LABELS} />
    </>
  );
}

function Beds({ s }: { s: Summary }) {
  return <Facts items={[['Lits au total', formatNumber(num(s.beds_total))], ['UF', formatNumber(num(s.units))]]} />;
}

/** Anything else: the summary's plain numbers and texts. */
function Generic({ s }: { s: Summary }) {
  const items = Object.entries(s).filter(([, v]) => typeof v === 'number' || typeof v === 'string');
  if (items.length === 0) return null;
  return <Facts items={items.map(([k, v]) => [columnLabel(k), typeof v === 'number' ? formatNumber(v) : String(v)])} />;
}

/** ``period``: the one the upload was declared for (a year file may have imported its quarters). */
export function ReportSummary({ type, summary, period }: { type: string; summary: Summary; period?: string }) {
  switch (type) {
    case 'consumption':
      return <Consumption s={summary} period={period} />;
    case 'patient_days':
      return <PatientDays s={summary} period={period} />;
    case 'resistance':
      return <Resistance s={summary} />;
    case 'structure':
      return <Structure s={summary} />;
    case 'beds':
      return <Beds s={summary} />;
    default:
      return <Generic s={summary} />;
  }
}
