import { useState } from 'preact/hooks';
import { ApiError, confirmAccount, resendConfirmationCode } from '../api';
import { EmailField, SubmitButton } from '../components/AccountFields';
import { ErrorAlert, StatusMessage } from '../components/Alert';
import { Field } from '../components/Field';
import { Page } from '../components/Page';
import { useAction } from '../hooks';
import { navigate, type Route } from '../router';

export function Confirm({ route }: { route: Route }) {
  const [email, setEmail] = useState(route.query.get('email') ?? '');
  const [code, setCode] = useState('');
  const { busy, error, run } = useAction();
  const resend = useAction();
  const [resent, setResent] = useState(false);
  const justCreated = route.query.get('nouveau') === '1';

  async function onResend() {
    const address = email.trim();
    if (!address) {
      resend.setError(new ApiError(0, 'ERR_VALIDATION', "Saisissez d'abord votre adresse e-mail."));
      return;
    }
    setResent(false);
    const done = await resend.run(async () => {
      await resendConfirmationCode({ email: address });
      return true;
    });
    if (done) setResent(true);
  }

  async function onSubmit(e: Event) {
    e.preventDefault();
    const address = email.trim();
    const done = await run(async () => {
      await confirmAccount({ email: address, code: code.trim() });
      return true;
    });
    if (done) navigate('/connexion', { email: address, confirme: '1' });
  }

  return (
    <Page title="Confirmer le compte" narrow>
      <StatusMessage>
        {resent
          ? "Si un compte attend sa confirmation à cette adresse, un nouveau code y est envoyé (un par minute au plus) : saisissez le dernier reçu."
          : justCreated && 'Votre compte est créé. Saisissez le code de confirmation reçu par e-mail.'}
      </StatusMessage>
      {!justCreated && <p class="lead">Saisissez le code de confirmation reçu par e-mail.</p>}
      <form class="form" onSubmit={onSubmit}>
        <ErrorAlert error={error} />
        <EmailField value={email} onValue={setEmail} autocomplete="email" />
        <Field
          label="Code de confirmation"
          value={code}
          onValue={setCode}
          required
          inputMode="numeric"
          autocomplete="one-time-code"
          hint="Le code vous a été envoyé par e-mail lors de la création du compte."
        />
        <SubmitButton busy={busy} label="Confirmer mon compte" working="Vérification…" />
      </form>
      <ErrorAlert error={resend.error} />
      <p class="form-links">
        Pas reçu de code, ou code expiré ?{' '}
        <button type="button" class="button button-secondary" onClick={onResend} disabled={resend.busy}>
          {resend.busy ? 'Envoi…' : 'Renvoyer le code'}
        </button>
      </p>
    </Page>
  );
}
