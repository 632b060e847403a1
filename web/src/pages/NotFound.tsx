import { Page } from '../components/Page';

export function NotFound() {
  return (
    <Page title="Page introuvable">
      <p>Cette adresse ne correspond à aucune page de ConsoRes.</p>
      <p>
        <a href="#/">Revenir à l'accueil</a>
      </p>
    </Page>
  );
}
