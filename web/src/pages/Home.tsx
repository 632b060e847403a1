import { Page } from '../components/Page';
import { useUser } from '../user';

export function Home() {
  const { loggedIn } = useUser();
  return (
    <Page title="Bienvenue sur ConsoRes" lead="Surveiller ensemble la consommation d'antibiotiques et la résistance bactérienne.">
      <div class="prose">
        <p>
          ConsoRes est la plateforme sur laquelle les établissements de santé français déclarent, chaque trimestre ou
          chaque année, leurs consommations d'antibiotiques et d'antifongiques et les résistances bactériennes
          observées par leur laboratoire.
        </p>
        <p>
          Les fichiers déposés sont contrôlés puis harmonisés ; les identifiants des patients sont pseudonymisés dès
          l'import. Chaque établissement vérifie ses données, clôture ses périodes et suit ses indicateurs.
        </p>
        <p>
          En retour, chaque établissement se compare aux établissements de même catégorie, les équipes régionales et
          nationale suivent les tendances, et les données agrégées nourrissent la surveillance européenne.
        </p>
      </div>
      <div class="actions">
        {loggedIn ? (
          <a class="button" href="#/espace">
            Aller à mon espace
          </a>
        ) : (
          <>
            <a class="button" href="#/connexion">
              Se connecter
            </a>
            <a class="button button-secondary" href="#/inscription">
              Créer un compte
            </a>
          </>
        )}
      </div>
    </Page>
  );
}
