import { Page } from '../components/Page';

export function Documentation() {
  return (
    <Page title="Documentation">
      <div class="prose">
        <p>La documentation sera publiée ici prochainement :</p>
        <ul>
          <li>guide de prise en main pour les référents, contributeurs et observateurs ;</li>
          <li>modèles de fichiers d'import (structure, lits, journées d'hospitalisation, consommations, résistances) ;</li>
          <li>définitions des indicateurs et règles de calcul.</li>
        </ul>
      </div>
    </Page>
  );
}
