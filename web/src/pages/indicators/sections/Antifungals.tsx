// Dashboard section: resistance of the priority fungi to fluconazole, the echinocandins and the azoles (DOMAIN.md §10.10).
import { ErrorAlert, Loading } from '../../../components/Alert';
import { type Column, DataTable } from '../../../components/DataTable';
import { getReference } from '../../../data';
import { useLoad } from '../../../hooks';
import { type IndicatorRow, sectionBatch } from '../../../indicators';
import { CI_NOTE, ciColumns, Flag, flagNote, type ScopeProps, Section } from './shared';

const CLASS_LABELS: Record<string, string> = {
  fluconazole: 'Fluconazole',
  echinocandines: 'Échinocandines',
  azoles: 'Azolés (itraconazole, voriconazole, posaconazole, isavuconazole)',
};
const CLASS_ORDER = ['fluconazole', 'echinocandines', 'azoles'];

export function AntifungalResistanceSection({ scope, year }: ScopeProps) {
  const data = useLoad(async () => {
    const b = sectionBatch(scope, year);
    const [result, species] = await Promise.all([
      b.indicator('antifungal_r'),
      getReference('species').catch(() => []),
    ]);
    const names = new Map(species.map((s) => [s.code, s.label]));
    const rows = [...result.rows].sort(
      (a, b) =>
        CLASS_ORDER.indexOf(a.antifungal_class ?? '') - CLASS_ORDER.indexOf(b.antifungal_class ?? '') ||
        (names.get(a.species ?? '') ?? '').localeCompare(names.get(b.species ?? '') ?? '', 'fr'),
    );
    return { rows, names };
  }, [scope, year]);
  const names = data.data?.names;
  const columns: Column<IndicatorRow>[] = [
    { label: 'Espèce', value: (r) => names?.get(r.species ?? '') ?? r.species ?? '—', header: true, render: (r) => <em>{names?.get(r.species ?? '') ?? r.species}</em> },
    { label: 'Antifongiques', value: (r) => CLASS_LABELS[r.antifungal_class ?? ''] ?? r.antifungal_class ?? '—' },
    { label: 'Isolats testés', value: (r) => r.n ?? null, numeric: true, digits: 0 },
    { label: 'Résistants', value: (r) => r.numerator ?? null, numeric: true, digits: 0 },
    { label: '% R', value: (r) => r.value, numeric: true, digits: 1 },
    ...ciColumns<IndicatorRow>('', (r) => r),
    { label: 'Avertissement', value: () => '', screenOnly: true, render: (r) => <Flag row={r} /> },
  ];
  return (
    <Section
      id="antifongiques"
      title="Résistance aux antifongiques"
      lead="Champignons prioritaires (isolats dédoublonnés) : résistance au fluconazole et aux échinocandines des levures du genre Candida au sens clinique (dont N. glabratus, P. kudriavzevii et C. auris), aux azolés d'Aspergillus fumigatus. Un isolat est résistant à une famille quand il est R à au moins un de ses antifongiques testés (EUCAST ; I compté comme SFP, non résistant)."
    >
      <ErrorAlert error={data.error} />
      {data.loading && !data.data ? (
        <Loading />
      ) : (
        data.data && (
          <DataTable
            title={`Résistance aux antifongiques ${year}`}
            tableClass="antifungal-resistance"
            columns={columns}
            rows={data.data.rows}
            empty={`Aucun champignon prioritaire testé aux antifongiques parmi les isolats dédoublonnés de ${year}.`}
            note={`${flagNote(30)} ${CI_NOTE}`}
          />
        )
      )}
    </Section>
  );
}
