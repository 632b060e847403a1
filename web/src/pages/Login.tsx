import { useState } from 'preact/hooks';
import { login } from '../api';
import { EmailField, SubmitButton } from '../components/AccountFields';
import { ErrorAlert, StatusMessage } from '../components/Alert';
import { Field } from '../components/Field';
import { Page } from '../components/Page';
import { useAction } from '../hooks';
import { href, navigate, safeReturnPath, type Route } from '../router';

function notice(query: URLSearchParams): string | null {
  if (query.get('confirme') === '1') return 'Votre compte est confirmé. Vous pouvez vous connecter.';
  if (query.get('reinitialise') === '1') return 'Votre mot de passe a été modifié. Vous pouvez vous connecter.';
  if (query.get('expire') === '1') return 'Votre session a expiré. Connectez-vous à nouveau.';
  if (query.get('retour')) return 'Connectez-vous pour accéder à cette page.';
  return null;
}

export function Login({ route }: { route: Route }) {
  const [email, setEmail] = useState(route.query.get('email') ?? '');
  const [password, setPassword] = useState('');
  const { busy, error, run } = useAction();

  async function onSubmit(e: Event) {
    e.preventDefault();
    const done = await run(async () => {
      await login({ email: email.trim(), password });
      return true;
    });
    if (done) navigate(safeReturnPath(route.query.get('retour')) ?? '/espace');
  }

  return (
    <Page title="Connexion" narrow>
      <StatusMessage>{notice(route.query)}</StatusMessage>
      <form class="form" onSubmit={onSubmit}>
        <ErrorAlert error={error} />
        <EmailField value={email} onValue={setEmail} />
        <Field
          label="Mot de passe"
          type="password"
          value={password}
          onValue={setPassword}
          required
          autocomplete="current-password"
        />
        <SubmitButton busy={busy} label="Se connecter" working="Connexion…" />
        <ul class="form-links">
          <li>
            <a href={href('/mot-de-passe-oublie', { email: email.trim() })}>Mot de passe oublié ?</a>
          </li>
          <li>
            <a href={href('/confirmation', { email: email.trim() })}>Confirmer mon compte avec un code</a>
          </li>
          <li>
            Pas encore de compte ? <a href="#/inscription">Créer un compte</a>
          </li>
        </ul>
      </form>
    </Page>
  );
}
