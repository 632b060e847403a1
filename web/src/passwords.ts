import { useEffect, useState } from 'preact/hooks';
import { ApiError, getPasswordRule, type PasswordRule } from './api';
import { useAction } from './hooks';

/** The server's password rule, once read (null until then, or if it cannot be read: the server still says it). */
export function usePasswordRule(): PasswordRule | null {
  const [rule, setRule] = useState<PasswordRule | null>(null);
  useEffect(() => {
    let alive = true;
    getPasswordRule().then((found) => alive && setRule(found), () => undefined);
    return () => {
      alive = false;
    };
  }, []);
  return rule;
}

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
