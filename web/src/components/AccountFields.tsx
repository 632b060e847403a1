// What the account pages (login, sign-up, confirmation, password reset) share: the e-mail field, the new
// password with its confirmation, and the submit button that says it is working.
import { usePasswordRule } from '../passwords';
import { Field } from './Field';

interface EmailProps {
  value: string;
  onValue: (v: string) => void;
  /** ``username`` where a password goes with it (login, reset), ``email`` elsewhere. */
  autocomplete?: 'username' | 'email';
}

export function EmailField({ value, onValue, autocomplete = 'username' }: EmailProps) {
  return <Field label="Adresse e-mail" type="email" value={value} onValue={onValue} required autocomplete={autocomplete} />;
}

interface NewPasswordProps {
  label: string;
  password: string;
  onPassword: (v: string) => void;
  confirmation: string;
  onConfirmation: (v: string) => void;
}

/** A new password and its confirmation (checked by ``useNewPassword`` before sending). */
export function NewPasswordFields({ label, password, onPassword, confirmation, onConfirmation }: NewPasswordProps) {
  const rule = usePasswordRule();
  return (
    <>
      <Field
        label={label}
        type="password"
        value={password}
        onValue={onPassword}
        required
        minLength={rule?.min_length}
        autocomplete="new-password"
        hint={rule?.text ?? 'La règle du mot de passe est en cours de chargement…'}
      />
      <Field
        label={`Confirmer le ${label.toLowerCase()}`}
        type="password"
        value={confirmation}
        onValue={onConfirmation}
        required
        autocomplete="new-password"
      />
    </>
  );
}

export function SubmitButton({ busy, label, working }: { busy: boolean; label: string; working: string }) {
  return (
    <div class="actions">
      <button type="submit" class="button" disabled={busy}>
        {busy ? working : label}
      </button>
    </div>
  );
}
