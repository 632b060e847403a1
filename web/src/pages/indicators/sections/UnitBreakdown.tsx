// Consumption of an establishment by UF, service or pole (part of the consumption section).
import { useState } from 'preact/hooks';
import { ErrorAlert, Loading } from '../../../components/Alert';
import { BarChart } from '../../../components/charts';
import { DataTable } from '../../../components/DataTable';
import { SelectField } from '../../../components/Field';
import { useLoad } from '../../../hooks';
import { getOptionalIndicator, type IndicatorRow } from '../../../indicators';
import { byValue, DDJ, ddjColumns, type ScopeProps } from './shared';

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
  const data = useLoad(() => getOptionalIndicator('ddj_1000jh', { scope, year, by: level }), [scope, year, level]);
  if (data.data === null && level === 'uf') return null; // not offered by the API
  const chosen = UNIT_LEVELS.find((l) => l.value === level) ?? UNIT_LEVELS[0];
  const rows = [...(data.data?.rows ?? [])].sort(byValue);
  return (
    <div class="unit-breakdown" data-breakdown="units">
      <h3>Par unité, service ou pôle</h3>
      <SelectField inline label="Détail par" value={level} onValue={(v) => setLevel(v as UnitLevel)} options={UNIT_LEVELS} />
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
