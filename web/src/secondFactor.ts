// The second factor (TOTP): the login's code step and the enrolment of an authenticator app.
import { request, toTokens, type LoginResponse } from './api';
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
