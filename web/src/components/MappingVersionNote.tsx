import { getMappingChanges } from '../data';
import { useLoad } from '../hooks';
import { establishmentHref } from './EstablishmentShell';

/**
 * Which version of its laboratory's mappings an antibiogram import used, and whether
 * the mappings changed since (DOMAIN.md §10.3: the import keeps its result until its
 * file is sent again).
 */
export function MappingVersionNote({ finess, labId, used }: { finess: string; labId: string; used: number }) {
  const current = useLoad(() => getMappingChanges(labId), [labId]);
  const newer = current.data && current.data.version > used ? current.data.version : null;
  return (
    <div class={`mapping-version${newer ? ' tone-box-todo' : ''}`}>
      <p>
        Correspondances du laboratoire utilisées : version {used}.{' '}
        <a href={establishmentHref(finess, `/laboratoires/${encodeURIComponent(labId)}`)}>Voir les correspondances</a>
      </p>
      {newer && (
        <p role="status">
          Les correspondances ont changé depuis cet import (version {newer}) : ses résultats restent ceux de la version{' '}
          {used}. Pour appliquer les nouvelles correspondances à cette période, renvoyez son fichier d'antibiogrammes.
        </p>
      )}
    </div>
  );
}
