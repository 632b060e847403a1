// Dashboard section: the year's alerts on rare phenotypes, counted by phenotype and status, with a link to the
// « Alertes » screen; the EPC's carbapenemase types are the next section's (the `carbapenemase` indicator).
import { countAlerts } from '../../../alerts';
import { ErrorAlert, Loading } from '../../../components/Alert';
import { type Column, DataTable } from '../../../components/DataTable';
import { useLoad } from '../../../hooks';
import { href } from '../../../router';
import { useUser } from '../../../user';
import { type ScopeProps, Section } from './shared';

interface KindCount {
  kind: string;
  label: string;
  count: number;
}

export function AlertsSection({ scope, year }: ScopeProps) {
  const { me } = useUser();
  // The nation's alerts are the national team's (a regional team sees its region's on its own dashboard).
  const national = !!me?.profiles.some((p) => p.type === 'national' || p.type === 'admin');
  const shown = scope !== 'national' || national;
  const data = useLoad(() => (shown ? countAlerts(scope, year) : Promise.resolve(null)), [scope, year, shown]);
  if (!shown) return null;
  const columns: Column<KindCount>[] = [
    { label: 'Phénotype', value: (r) => r.label, header: true },
    { label: 'Alertes', value: (r) => r.count, numeric: true, digits: 0 },
  ];
  const open = (data.data?.by_status.nouvelle ?? 0) as number;
  return (
    <Section
      id="alertes"
      title="Alertes"
      lead="Isolats retenus après dédoublonnage présentant un phénotype rare ou émergent, relevés à l'import (données provisoires comprises). Les EPC par type de carbapénémase sont détaillées dans la section suivante."
    >
      <ErrorAlert error={data.error} />
      {data.loading && !data.data ? (
        <Loading />
      ) : (
        data.data && (
          <>
            <DataTable
              title={`Alertes ${year}`}
              tableClass="alert-counts"
              columns={columns}
              rows={data.data.by_kind}
              empty="Aucune alerte."
              note={`${data.data.total} alerte${data.data.total > 1 ? 's' : ''} en ${year}, dont ${open} nouvelle${open > 1 ? 's' : ''} (ni vue${open > 1 ? 's' : ''} ni traitée${open > 1 ? 's' : ''}).`}
            />
            <p>
              <a href={href('/alertes', { scope, annee: String(year) })}>Voir et suivre les alertes</a>
            </p>
          </>
        )
      )}
    </Section>
  );
}
