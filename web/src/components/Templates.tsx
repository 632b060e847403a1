import { FILE_TYPES, templateUrl } from '../data';
import { FILE_TYPE_LABELS } from '../labels';

/** Links to the import templates (public XLSX files with an instructions sheet). */
export function Templates() {
  return (
    <aside class="card templates" aria-labelledby="modeles">
      <h2 id="modeles">Modèles de fichiers</h2>
      <p class="hint">Chaque modèle contient une feuille d'instructions et des listes de choix.</p>
      <ul class="plain-list">
        {FILE_TYPES.map((t) => (
          <li key={t}>
            <a href={templateUrl(t)} download={`modele-${t}.xlsx`}>
              {FILE_TYPE_LABELS[t]}
              <span class="muted"> (XLSX)</span>
            </a>
          </li>
        ))}
      </ul>
    </aside>
  );
}
