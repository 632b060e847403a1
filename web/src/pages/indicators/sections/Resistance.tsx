// Dashboard section: % R by species and antibiotic, with "effectif faible", filtered by specimen category and sector.
import type { ComponentChildren } from 'preact';
import { useId, useState } from 'preact/hooks';
import { ErrorAlert, Loading } from '../../../components/Alert';
import { ExportButtons } from '../../../components/DataTable';
import { Table } from '../../../components/TableWrap';
import { getReference, type ReferenceEntry } from '../../../data';
import { SECTOR_CODES, SPECIMEN_CHOICES } from '../../../generated/antibiogramColumns';
import { formatNumber } from '../../../format';
import { useLoad } from '../../../hooks';
import { flagLabel, sectorLabel } from '../../../indicatorLabels';
import { sectionBatch } from '../../../indicators';
import { ciSuffix, flagNote, fmt, type ScopeProps, Section } from './shared';

/** Clinical order of the antibiotics in the % R table (others follow by code). */
const ANTIBIOTIC_ORDER = [
  'AMX', 'AMP', 'AMC', 'PIP', 'TIC', 'TZP', 'TEM', 'FOX', 'CTX', 'CRO', 'CAZ', 'FEP', 'ETP', 'IPM', 'MEM', 'GEN', 'AMK', 'TOB',
  'CIP', 'OFX', 'LVX', 'MFX', 'SXT', 'FOS', 'NIT', 'OXA', 'VAN', 'TEC', 'LNZ', 'DAP', 'ERY', 'CLI', 'RIF', 'COL',
];
const abOrder = (code: string) => {
  const i = ANTIBIOTIC_ORDER.indexOf(code);
  return i < 0 ? 1000 : i;
};

function nameOf(list: ReferenceEntry[] | undefined, code: string | null | undefined): string {
  if (!code) return '—';
  return list?.find((r) => r.code === code)?.label ?? code;
}

export function ResistanceSection({ scope, year, minN = 30 }: ScopeProps & { minN?: number }) {
  const [specimen, setSpecimen] = useState('all');
  const [sector, setSector] = useState('all');
  const specimenId = useId();
  const sectorId = useId();
  const data = useLoad(async () => {
    const b = sectionBatch(scope, year);
    const filters = { specimen: specimen === 'all' ? undefined : specimen, sector: sector === 'all' ? undefined : sector };
    const [result, species, antibiotics] = await Promise.all([
      b.indicator('pct_r', filters),
      getReference('species').catch(() => []),
      getReference('antibiotic').catch(() => []),
    ]);
    return { rows: result.rows, species, antibiotics, rule: result.rule, ruleLabel: result.rule_label ?? result.rule, setting: result.dedup_setting };
  }, [scope, year, specimen, sector]);
  const specimenText = specimen === 'all' ? 'tous prélèvements' : (SPECIMEN_CHOICES.find((c) => c.code === specimen)?.label ?? specimen);
  const filtered = specimen !== 'all' || sector !== 'all';
  const subset = `${specimenText}, ${sector === 'all' ? 'tous secteurs' : sectorLabel(sector)}`;
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
        <p class="muted">
          {filtered ? `Aucune donnée pour ${year} dans cette sélection (${subset}).` : `Pas d'antibiogrammes pour ${year}.`}
        </p>
      ) : (
        <div class="data-table">
          <Table
            label={`Pourcentage de résistance par espèce et antibiotique ${year} (${subset})`}
            class="compact pct-r"
            describedBy={captionId}
            head={[
              'Espèce',
              { label: 'Isolats', numeric: true },
              ...codes.map((c) => ({ label: <abbr title={nameOf(d.antibiotics, c)}>{c}</abbr>, numeric: true })),
            ]}
          >
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
                      title={`${nameOf(d.species, s)} — ${nameOf(d.antibiotics, c)} : ${fmt(r.value)} % de R${ciSuffix(r)} sur ${formatNumber(r.n ?? 0)} isolats testés${r.flag ? ' (effectif faible)' : ''}`}
                      data-ci={r.ci_low != null ? `${r.ci_low}-${r.ci_high}` : undefined}
                    >
                      {fmt(r.value)}
                      {r.flag && <sup aria-label="effectif faible">*</sup>}
                    </td>
                  );
                })}
              </tr>
            ))}
          </Table>
          <div class="table-foot">
            <p class="muted" id={captionId}>
              % de souches résistantes (R) parmi les isolats dédoublonnés testés ({subset}) ; SFP compté comme non R. * {flagNote(minN)}{' '}
              « · » : non testé. L'intervalle de confiance à 95 % (Wilson) de chaque pourcentage s'affiche au survol et figure
              dans les exports.{' '}
              {d.ruleLabel && (
                <span data-rule={d.rule}>
                  Règle de dédoublonnage : {d.ruleLabel}
                  {d.setting ? ` (réglage national, version ${d.setting.version})` : ''}.
                </span>
              )}
            </p>
            <ExportButtons
              title={`Résistance par espèce et antibiotique ${year}${filtered ? ` (${subset})` : ''}`}
              header={['Espèce', 'Code espèce', 'Antibiotique', 'Code antibiotique', '% R', 'IC 95 % bas', 'IC 95 % haut', 'Isolats R', 'Isolats testés', 'Avertissement']}
              rows={d.rows.map((r) => [
                nameOf(d.species, r.species),
                r.species,
                nameOf(d.antibiotics, r.antibiotic),
                r.antibiotic,
                r.value,
                r.ci_low ?? null,
                r.ci_high ?? null,
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
      <div class="toolbar">
        <span class="inline-field">
          <label for={specimenId}>Prélèvement</label>
          <select id={specimenId} value={specimen} onChange={(e) => setSpecimen(e.currentTarget.value)}>
            <option value="all">Tous prélèvements</option>
            {SPECIMEN_CHOICES.map((c) => (
              <option key={c.code} value={c.code}>
                {c.label}
              </option>
            ))}
          </select>
        </span>
        <span class="inline-field">
          <label for={sectorId}>Secteur</label>
          <select id={sectorId} value={sector} onChange={(e) => setSector(e.currentTarget.value)}>
            <option value="all">Tous secteurs</option>
            {SECTOR_CODES.map((code) => (
              <option key={code} value={code}>
                {sectorLabel(code)}
              </option>
            ))}
          </select>
        </span>
      </div>
      <ErrorAlert error={data.error} />
      {data.loading && !d ? <Loading /> : body}
    </Section>
  );
}
