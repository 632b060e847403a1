// The second factor (TOTP): the login's code step and the enrolment of an authenticator app.
import { logout, request, toTokens, type LoginResponse, type Me } from './api';
import { navigate } from './router';
import { setTokens } from './session';

const noAuth = { auth: false };

export interface TotpEnrolment {
  secret: string;
  secret_grouped: string;
  otpauth_uri: string;
}

/** Completes a login with the code of the authenticator app. */
export async function answerSecondFactor(body: { email: string; session: string; code: string }): Promise<void> {
  setTokens(toTokens(await request<LoginResponse>('POST', '/auth/second-factor', body, noAuth)));
}

/** A new secret for the session's user (the login's enrolment session, or the user's access token). */
export const startTotp = (session: string) => request<TotpEnrolment>('POST', '/auth/totp/setup', { session }, noAuth);

/** Turns the second factor on with a first code; every session is closed: the user logs in again. */
export const confirmTotp = (body: { session: string; code: string }) =>
  request<{ status: string; message: string }>('POST', '/auth/totp/confirm', body, noAuth);

/** GET /api/me's `mfa` (docs/api-extensions.md): the user's logins ask for a code; their profile requires it. */
export interface SecondFactorState {
  totp: boolean;
  required: boolean;
}

/** The second factor's state in an answer of GET /api/me (absent from an older server's answer). */
export const secondFactorOf = (me: Me): SecondFactorState | undefined => (me as Me & { mfa?: SecondFactorState }).mfa;

let enrolledNotice: string | null = null;

/** An enrolment closes every session: the server's message is kept for the login screen that follows. */
export function signOutAfterEnrolment(message: string, email: string): void {
  enrolledNotice = message;
  navigate('/connexion', { email });
  logout();
}

/** The message of the enrolment just made, once (null when there is none). */
export function takeEnrolledNotice(): string | null {
  const message = enrolledNotice;
  enrolledNotice = null;
  return message;
}
