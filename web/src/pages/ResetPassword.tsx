import { useState } from 'preact/hooks';
import { resetPassword } from '../api';
import { EmailField, NewPasswordFields, SubmitButton } from '../components/AccountFields';
import { ErrorAlert, StatusMessage } from '../components/Alert';
import { Field } from '../components/Field';
import { Page } from '../components/Page';
import { useNewPassword } from '../passwords';
import { navigate, type Route } from '../router';

export function ResetPassword({ route }: { route: Route }) {
  const [email, setEmail] = useState(route.query.get('email') ?? '');
  const [code, setCode] = useState('');
  const { busy, error, submit, fields } = useNewPassword();

  async function onSubmit(e: Event) {
    e.preventDefault();
    const address = email.trim();
    const done = await submit((password) => resetPassword({ email: address, code: code.trim(), new_password: password }));
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
        <EmailField value={email} onValue={setEmail} />
        <Field
          label="Code reçu par e-mail"
          value={code}
          onValue={setCode}
          required
          inputMode="numeric"
          autocomplete="one-time-code"
        />
        <NewPasswordFields label="Nouveau mot de passe" {...fields} />
        <SubmitButton busy={busy} label="Changer le mot de passe" working="Enregistrement…" />
      </form>
    </Page>
  );
}
