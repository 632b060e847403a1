import { useState } from 'preact/hooks';
import { resetPassword } from '../api';
import { ErrorAlert, StatusMessage } from '../components/Alert';
import { Field } from '../components/Field';
import { Page } from '../components/Page';
import { useAction } from '../hooks';
import { PASSWORD_HINT, passwordMismatch } from '../passwords';
import { navigate, type Route } from '../router';

export function ResetPassword({ route }: { route: Route }) {
  const [email, setEmail] = useState(route.query.get('email') ?? '');
  const [code, setCode] = useState('');
  const [password, setPassword] = useState('');
  const [password2, setPassword2] = useState('');
  const { busy, error, setError, run } = useAction();

  async function onSubmit(e: Event) {
    e.preventDefault();
    const mismatch = passwordMismatch(password, password2);
    if (mismatch) return setError(mismatch);
    const address = email.trim();
    const done = await run(async () => {
      await resetPassword({ email: address, code: code.trim(), new_password: password });
      return true;
    });
    if (done) navigate('/connexion', { email: address, reinitialise: '1' });
  }

  return (
    <Page title="Réinitialiser le mot de passe" narrow>
      <StatusMessage>
        {route.query.get('envoye') === '1' &&
          'Si un compte existe pour cette adresse, un code vous a été envoyé par e-mail.'}
      </StatusMessage>
      <form class="form" onSubmit={onSubmit}>
        <ErrorAlert error={error} />
        <Field label="Adresse e-mail" type="email" value={email} onValue={setEmail} required autocomplete="username" />
        <Field
          label="Code reçu par e-mail"
          value={code}
          onValue={setCode}
          required
          inputMode="numeric"
          autocomplete="one-time-code"
        />
        <Field
          label="Nouveau mot de passe"
          type="password"
          value={password}
          onValue={setPassword}
          required
          minLength={8}
          autocomplete="new-password"
          hint={PASSWORD_HINT}
        />
        <Field
          label="Confirmer le nouveau mot de passe"
          type="password"
          value={password2}
          onValue={setPassword2}
          required
          autocomplete="new-password"
        />
        <div class="actions">
          <button type="submit" class="button" disabled={busy}>
            {busy ? 'Enregistrement…' : 'Changer le mot de passe'}
          </button>
        </div>
      </form>
    </Page>
  );
}
