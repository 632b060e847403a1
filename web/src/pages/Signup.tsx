import { useState } from 'preact/hooks';
import { signup } from '../api';
import { NewPasswordFields, SubmitButton } from '../components/AccountFields';
import { ErrorAlert } from '../components/Alert';
import { Field } from '../components/Field';
import { Page } from '../components/Page';
import { navigate } from '../router';
import { useNewPassword } from '../passwords';

export function Signup() {
  const [firstName, setFirstName] = useState('');
  const [lastName, setLastName] = useState('');
  const [email, setEmail] = useState('');
  const { busy, error, submit, fields } = useNewPassword();

  async function onSubmit(e: Event) {
    e.preventDefault();
    const address = email.trim();
    const done = await submit((password) =>
      signup({ email: address, password, first_name: firstName.trim(), last_name: lastName.trim() }),
    );
    if (done) navigate('/confirmation', { email: address, nouveau: '1' });
  }

  return (
    <Page title="Créer un compte" narrow lead="Un code de confirmation vous sera envoyé par e-mail.">
      <form class="form" onSubmit={onSubmit}>
        <ErrorAlert error={error} />
        <div class="field-row">
          <Field label="Prénom" value={firstName} onValue={setFirstName} required autocomplete="given-name" />
          <Field label="Nom" value={lastName} onValue={setLastName} required autocomplete="family-name" />
        </div>
        <Field
          label="Adresse e-mail professionnelle"
          type="email"
          value={email}
          onValue={setEmail}
          required
          autocomplete="email"
        />
        <NewPasswordFields label="Mot de passe" {...fields} />
        <SubmitButton busy={busy} label="Créer mon compte" working="Création en cours…" />
        <p class="form-links">
          Déjà un compte ? <a href="#/connexion">Se connecter</a>
        </p>
      </form>
    </Page>
  );
}
