import { useState } from 'preact/hooks';
import { forgotPassword } from '../api';
import { EmailField, SubmitButton } from '../components/AccountFields';
import { ErrorAlert } from '../components/Alert';
import { Page } from '../components/Page';
import { useAction } from '../hooks';
import { navigate, type Route } from '../router';

export function ForgotPassword({ route }: { route: Route }) {
  const [email, setEmail] = useState(route.query.get('email') ?? '');
  const { busy, error, run } = useAction();

  async function onSubmit(e: Event) {
    e.preventDefault();
    const address = email.trim();
    const done = await run(async () => {
      await forgotPassword({ email: address });
      return true;
    });
    if (done) navigate('/reinitialisation', { email: address, envoye: '1' });
  }

  return (
    <Page
      title="Mot de passe oublié"
      narrow
      lead="Indiquez votre adresse e-mail : vous recevrez un code pour choisir un nouveau mot de passe."
    >
      <form class="form" onSubmit={onSubmit}>
        <ErrorAlert error={error} />
        <EmailField value={email} onValue={setEmail} autocomplete="email" />
        <SubmitButton busy={busy} label="Recevoir un code" working="Envoi…" />
        <p class="form-links">
          <a href="#/reinitialisation">J'ai déjà un code</a>
        </p>
      </form>
    </Page>
  );
}
