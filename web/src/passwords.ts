import { ApiError } from './api';

export const PASSWORD_HINT =
  'Au moins 8 caractères, avec des majuscules, des minuscules, des chiffres et un caractère spécial.';

/** Client-side check before sending: both password fields must match. */
export function passwordMismatch(password: string, confirmation: string): ApiError | null {
  return password === confirmation
    ? null
    : new ApiError(0, 'ERR_PASSWORD_MISMATCH', 'Les deux mots de passe saisis ne sont pas identiques.');
}
