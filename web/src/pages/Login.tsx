import { useState } from 'preact/hooks';
import { login, type SecondFactorChallenge } from '../api';
import { EmailField, SubmitButton } from '../components/AccountFields';
import { ErrorAlert, StatusMessage } from '../components/Alert';
import { Field } from '../components/Field';
import { Page } from '../components/Page';
import { useAction } from '../hooks';
import { href, navigate, safeReturnPath, type Route } from '../router';
import { takeEnrolledNotice } from '../secondFactor';
import { CodeStep, EnrolStep } from './SecondFactor';

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
  const [challenge, setChallenge] = useState<SecondFactorChallenge | null>(null);
  const [enrolled, setEnrolled] = useState<string | null>(takeEnrolledNotice);
  const { busy, error, run } = useAction();
  const loggedIn = () => navigate(safeReturnPath(route.query.get('retour')) ?? '/espace');

  async function onSubmit(e: Event) {
    e.preventDefault();
    const step = await run(async () => ({ next: await login({ email: email.trim(), password }) }));
    if (!step) return;
    if (step.next) setChallenge(step.next);
    else loggedIn();
  }

  if (challenge?.challenge === 'SOFTWARE_TOKEN_MFA') {
    return (
      <Page title="Connexion : double authentification" narrow>
        <CodeStep email={email.trim()} challenge={challenge} onDone={loggedIn} />
      </Page>
    );
  }
  if (challenge?.challenge === 'MFA_SETUP') {
    return (
      <Page title="Configurer la double authentification" narrow>
        <EnrolStep
          session={challenge.session}
          message={challenge.message}
          onDone={(message) => {
            setChallenge(null);
            setPassword('');
            setEnrolled(message);
          }}
        />
      </Page>
    );
  }

  return (
    <Page title="Connexion" narrow>
      <StatusMessage>{enrolled ?? notice(route.query)}</StatusMessage>
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
