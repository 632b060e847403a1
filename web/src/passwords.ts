import { useState } from 'preact/hooks';
import { ApiError } from './api';
import { useAction } from './hooks';

export const PASSWORD_HINT =
  'Au moins 8 caractères, avec des majuscules, des minuscules, des chiffres et un caractère spécial.';

/** Client-side check before sending: both password fields must match. */
export function passwordMismatch(password: string, confirmation: string): ApiError | null {
  return password === confirmation
    ? null
    : new ApiError(0, 'ERR_PASSWORD_MISMATCH', 'Les deux mots de passe saisis ne sont pas identiques.');
}

/** A form choosing a new password: its two entries, and sending once they match. */
export function useNewPassword() {
  const [password, setPassword] = useState('');
  const [confirmation, setConfirmation] = useState('');
  const { busy, error, setError, run } = useAction();

  /** Sends the new password once both entries match; true when it was accepted. */
  async function submit(send: (password: string) => Promise<unknown>): Promise<boolean> {
    const mismatch = passwordMismatch(password, confirmation);
    if (mismatch) {
      setError(mismatch);
      return false;
    }
    const done = await run(async () => {
      await send(password);
      return true;
    });
    return done === true;
  }

  return { busy, error, submit, fields: { password, onPassword: setPassword, confirmation, onConfirmation: setConfirmation } };
}
