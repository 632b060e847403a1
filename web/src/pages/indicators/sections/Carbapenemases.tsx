// Dashboard section: EPC (carbapenemase-producing Enterobacterales) by carbapenemase type.
import { ErrorAlert, Loading } from '../../../components/Alert';
import { BarChart } from '../../../components/charts';
import { type Column, DataTable } from '../../../components/DataTable';
import { useLoad } from '../../../hooks';
import { type IndicatorRow, sectionBatch } from '../../../indicators';
import { CI_NOTE, ciColumns, fmt, type ScopeProps, Section } from './shared';

/** The type's name as the laboratories write it; "autre" and "non précisé" spelled out. */
const typeLabel = (type: string | null | undefined) =>
  type === 'autre' ? 'Autre carbapénémase' : type === 'non précisé' ? 'Type non précisé' : (type ?? '—');

export function CarbapenemaseSection({ scope, year }: ScopeProps) {
  const data = useLoad(() => sectionBatch(scope, year).indicator('carbapenemase'), [scope, year]);
  const rows = [...(data.data?.rows ?? [])].sort((a, b) => (b.numerator ?? 0) - (a.numerator ?? 0));
  const epc = rows[0]?.n ?? 0;
  const columns: Column<IndicatorRow>[] = [
    { label: 'Type de carbapénémase', value: (r) => typeLabel(r.carbapenemase), header: true },
    { label: 'EPC', value: (r) => r.numerator ?? null, numeric: true, digits: 0 },
    { label: '% des EPC', value: (r) => r.value, numeric: true, digits: 1 },
    ...ciColumns<IndicatorRow>('', (r) => r),
  ];
  return (
    <Section
      id="carbapenemases"
      title="EPC par type de carbapénémase"
      lead="Entérobactéries productrices de carbapénémase (isolats dédoublonnés, tous prélèvements) selon le type de carbapénémase indiqué par le laboratoire, et part de chaque type parmi les EPC."
    >
      <ErrorAlert error={data.error} />
      {data.loading && !data.data ? (
        <Loading />
      ) : (
        data.data && (
          <>
            <BarChart
              title="EPC par type de carbapénémase"
              unit="% des EPC"
              bars={rows.map((r) => ({ label: typeLabel(r.carbapenemase), value: r.value, faint: !!r.flag, low: r.ci_low, high: r.ci_high }))}
            />
            <DataTable
              title={`EPC par type de carbapénémase ${year}`}
              tableClass="carbapenemases"
              columns={columns}
              rows={rows}
              empty={`Aucune EPC parmi les isolats dédoublonnés de ${year}.`}
              note={`${fmt(epc, 0)} EPC au total${epc < 30 ? ' : effectif faible, parts à interpréter avec prudence' : ''}. ${CI_NOTE}`}
            />
          </>
        )
      )}
    </Section>
  );
}
