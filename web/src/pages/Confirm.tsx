import { useState } from 'preact/hooks';
import { confirmAccount } from '../api';
import { ErrorAlert, StatusMessage } from '../components/Alert';
import { Field } from '../components/Field';
import { Page } from '../components/Page';
import { useAction } from '../hooks';
import { navigate, type Route } from '../router';

export function Confirm({ route }: { route: Route }) {
  const [email, setEmail] = useState(route.query.get('email') ?? '');
  const [code, setCode] = useState('');
  const { busy, error, run } = useAction();
  const justCreated = route.query.get('nouveau') === '1';

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
        {justCreated && 'Votre compte est créé. Saisissez le code de confirmation reçu par e-mail.'}
      </StatusMessage>
      {!justCreated && <p class="lead">Saisissez le code de confirmation reçu par e-mail.</p>}
      <form class="form" onSubmit={onSubmit}>
        <ErrorAlert error={error} />
        <Field label="Adresse e-mail" type="email" value={email} onValue={setEmail} required autocomplete="email" />
        <Field
          label="Code de confirmation"
          value={code}
          onValue={setCode}
          required
          inputMode="numeric"
          autocomplete="one-time-code"
          hint="Le code vous a été envoyé par e-mail lors de la création du compte."
        />
        <div class="actions">
          <button type="submit" class="button" disabled={busy}>
            {busy ? 'Vérification…' : 'Confirmer mon compte'}
          </button>
        </div>
      </form>
    </Page>
  );
}
