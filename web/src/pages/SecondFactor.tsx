import { useEffect, useState } from 'preact/hooks';
import type { SecondFactorChallenge } from '../api';
import { SubmitButton } from '../components/AccountFields';
import { ErrorAlert, StatusMessage } from '../components/Alert';
import { Field } from '../components/Field';
import { useAction } from '../hooks';
import { answerSecondFactor, confirmTotp, startTotp, type TotpEnrolment } from '../secondFactor';

function CodeField({ value, onValue }: { value: string; onValue: (v: string) => void }) {
  return (
    <Field
      label="Code à 6 chiffres de votre application d'authentification"
      value={value}
      onValue={onValue}
      required
      autocomplete="one-time-code"
      inputMode="numeric"
    />
  );
}

/** The login's second step: the code of the authenticator app. */
export function CodeStep({ email, challenge, onDone }: { email: string; challenge: SecondFactorChallenge; onDone: () => void }) {
  const [code, setCode] = useState('');
  const { busy, error, run } = useAction();

  async function onSubmit(e: Event) {
    e.preventDefault();
    const done = await run(async () => {
      await answerSecondFactor({ email, session: challenge.session, code: code.replace(/\s/g, '') });
      return true;
    });
    if (done) onDone();
  }

  return (
    <form class="form" onSubmit={onSubmit} aria-label="Double authentification">
      <StatusMessage>{challenge.message}</StatusMessage>
      <ErrorAlert error={error} />
      <CodeField value={code} onValue={setCode} />
      <SubmitButton busy={busy} label="Valider le code" working="Vérification…" />
    </form>
  );
}

/** Sets up an authenticator app: the secret as text (grouped for typing) and as an otpauth:// link. */
export function EnrolStep({ session, message, onDone }: { session: string; message?: string; onDone: (notice: string) => void }) {
  const [enrolment, setEnrolment] = useState<TotpEnrolment | null>(null);
  const [code, setCode] = useState('');
  const start = useAction();
  const confirm = useAction();

  useEffect(() => {
    void start.run(async () => {
      setEnrolment(await startTotp(session));
      return true;
    });
  }, [session]);

  async function onSubmit(e: Event) {
    e.preventDefault();
    let notice = '';
    const done = await confirm.run(async () => {
      notice = (await confirmTotp({ session, code: code.replace(/\s/g, '') })).message;
      return true;
    });
    if (done) onDone(notice);
  }

  return (
    <form class="form" onSubmit={onSubmit} aria-label="Configurer la double authentification">
      <StatusMessage>{message ?? null}</StatusMessage>
      <ErrorAlert error={start.error ?? confirm.error} />
      {enrolment && (
        <>
          <p>
            Dans votre application d'authentification, ajoutez un compte avec cette clé secrète (saisie manuelle, type
            « basé sur l'heure »)&nbsp;:
          </p>
          <p>
            <code class="totp-secret" data-secret={enrolment.secret}>
              {enrolment.secret_grouped}
            </code>
          </p>
          <p>
            Ou, depuis cet appareil : <a href={enrolment.otpauth_uri}>ouvrir dans l'application d'authentification</a>
          </p>
          <details>
            <summary>Adresse otpauth:// (à copier)</summary>
            <code class="totp-uri">{enrolment.otpauth_uri}</code>
          </details>
          <p>Saisissez ensuite le code à 6 chiffres qu'elle affiche pour confirmer.</p>
          <CodeField value={code} onValue={setCode} />
          <SubmitButton busy={confirm.busy} label="Activer la double authentification" working="Activation…" />
        </>
      )}
    </form>
  );
}
