// Dashboard section: each establishment of a region or of the nation, with its headline indicators.
import { ErrorAlert, Loading } from '../../../components/Alert';
import { type Column, DataTable } from '../../../components/DataTable';
import { useLoad } from '../../../hooks';
import { type IndicatorResult, type IndicatorRow, sectionBatch, total } from '../../../indicators';
import { useUser } from '../../../user';
import { RANKING_PAGE_SIZE, RankingChart } from './Ranking';
import { ciColumns, ciText, DDJ, DENSITY, directory, flagNote, fmt, type ScopeProps, Section } from './shared';

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

export function EstablishmentsSection({ scope, year, regionNames }: ScopeProps & { regionNames?: Record<string, string> }) {
  const { me } = useUser();
  const data = useLoad(async () => {
    const b = sectionBatch(scope, year);
    const q = { by: 'establishment' };
    const [names, ddj, antifungal, sarm, sarmBlood, eblse, epc, aggregate] = await Promise.all([
      directory(scope),
      b.indicator('ddj_1000jh', q),
      b.indicator('antifungal_ddj_1000jh', q),
      b.indicator('pct_phenotype', { ...q, phenotype: 'sarm' }),
      b.indicator('density_1000jh', { ...q, phenotype: 'sarm', specimen: 'blood' }),
      b.indicator('density_1000jh', { ...q, phenotype: 'eblse', specimen: 'all' }),
      b.indicator('density_1000jh', { ...q, phenotype: 'epc', specimen: 'all' }),
      b.indicator('ddj_1000jh'),
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
          <span title={ciText(l.sarm) ? `IC 95 % ${ciText(l.sarm)}` : undefined}>{fmt(l.sarm?.value)}</span>
          {l.sarm?.flag && <sup title="effectif faible">*</sup>}
        </>
      ),
    },
    ...ciColumns<EsLine>('% SARM', (l) => l.sarm, 1, true),
    { label: `Bactériémies SARM (${DENSITY})`, value: (l) => l.sarmBlood?.value ?? null, numeric: true, digits: 2 },
    ...ciColumns<EsLine>('bactériémies SARM', (l) => l.sarmBlood, 2, true),
    { label: `EBLSE (${DENSITY})`, value: (l) => l.eblse?.value ?? null, numeric: true, digits: 2 },
    ...ciColumns<EsLine>('EBLSE', (l) => l.eblse, 2, true),
    { label: `EPC (${DENSITY})`, value: (l) => l.epc?.value ?? null, numeric: true, digits: 2 },
    ...ciColumns<EsLine>('EPC', (l) => l.epc, 2, true),
  ];
  return (
    <Section id="etablissements" title="Chaque établissement" lead="Données clôturées uniquement ; classement par valeur, 25 établissements par page ; cliquez sur un établissement du tableau pour ouvrir son tableau de bord.">
      <ErrorAlert error={data.error} />
      {data.loading && !d ? (
        <Loading />
      ) : (
        d && (
          <>
            <RankingChart
              title="Consommation d'antibiotiques par établissement"
              unit={DDJ}
              rows={d.lines.filter((l) => l.ddj).map((l) => ({ finess: l.finess, name: l.name, value: l.ddj?.value ?? null }))}
              own={me?.memberships.map((m) => m.finess)}
              reference={d.aggregate?.value != null ? { value: d.aggregate.value, label: 'Ensemble' } : undefined}
            />
            <DataTable pageSize={RANKING_PAGE_SIZE} wrapHeaders title={`Indicateurs par établissement ${year}`} columns={columns} rows={d.lines} note={`* ${flagNote(30)}`} empty={`Aucun établissement n'a de données clôturées pour ${year}.`} />
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
