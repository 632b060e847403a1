// One small fetch wrapper for the ConsoRes API (same origin, under /api),
// plus one typed function per endpoint used by the web client.
import { clearTokens, getTokens, setTokens, type Tokens } from './session';
import { navigate } from './router';

export const NETWORK_ERROR_MESSAGE = 'Le serveur ne répond pas. Réessayez dans un instant.';
const UNEXPECTED_MESSAGE = 'Une erreur inattendue est survenue. Réessayez ou rechargez la page.';

const STATUS_MESSAGES: Record<number, string> = {
  400: 'La demande est invalide.',
  401: 'Vous devez vous connecter.',
  403: "Vous n'avez pas les droits nécessaires pour cette action.",
  404: 'Élément introuvable.',
  409: "L'opération est impossible dans l'état actuel.",
  413: 'Le fichier est trop volumineux.',
  422: 'Les données envoyées ne peuvent pas être traitées.',
  502: NETWORK_ERROR_MESSAGE,
  503: NETWORK_ERROR_MESSAGE,
  504: NETWORK_ERROR_MESSAGE,
};

/** An error the user can read: `message` is always French and safe to display. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: unknown[] = [],
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export function toApiError(error: unknown): ApiError {
  return error instanceof ApiError ? error : new ApiError(0, 'ERR_CLIENT', UNEXPECTED_MESSAGE);
}

interface RequestOptions {
  /** Send the bearer token and handle 401 (default true). */
  auth?: boolean;
}

async function send(method: string, path: string, body: unknown, auth: boolean, accept = 'application/json'): Promise<Response> {
  const headers: Record<string, string> = { Accept: accept };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  const tokens = auth ? getTokens() : null;
  if (tokens) headers.Authorization = `Bearer ${tokens.id_token}`;
  try {
    return await fetch(`/api${path}`, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch {
    throw new ApiError(0, 'ERR_NETWORK', NETWORK_ERROR_MESSAGE);
  }
}

async function readJson(response: Response): Promise<unknown> {
  const text = await response.text().catch(() => '');
  if (!text) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

async function toError(response: Response): Promise<ApiError> {
  const body = (await readJson(response)) as { code?: unknown; message?: unknown; details?: unknown } | undefined;
  const code = typeof body?.code === 'string' ? body.code : `HTTP_${response.status}`;
  // Only the API's own errors (code ERR_…) carry a French message meant for users;
  // anything else (gateway page, framework default) gets a message of ours.
  const message =
    code.startsWith('ERR_') && typeof body?.message === 'string' && body.message
      ? body.message
      : STATUS_MESSAGES[response.status] ??
        (response.status >= 500 ? 'Le serveur a rencontré une erreur. Réessayez dans un instant.' : UNEXPECTED_MESSAGE);
  const details = Array.isArray(body?.details) ? body.details : [];
  return new ApiError(response.status, code, message, details);
}

/** ``true``: new tokens; ``false``: the refresh token was refused (the session is over); ``null``: the server
 * could not be asked (network, overload): the session stands, the request fails. */
type Refreshed = boolean | null;
let refreshing: Promise<Refreshed> | null = null;

/** Exchanges the refresh token for new tokens; shared by concurrent callers. */
function refreshTokens(): Promise<Refreshed> {
  const tokens = getTokens();
  if (!tokens?.refresh_token) return Promise.resolve(false);
  refreshing ??= (async () => {
    try {
      const response = await send('POST', '/auth/refresh', { refresh_token: tokens.refresh_token }, false);
      // Logged out, or in again (perhaps as someone else), meanwhile, in this tab or another: never put the old
      // session back; the request is sent again with the session there is now, if any.
      if (getTokens()?.refresh_token !== tokens.refresh_token) return getTokens() !== null;
      if (response.status === 400 || response.status === 401) return false;
      if (!response.ok) return null;
      const fresh = (await readJson(response)) as Partial<LoginResponse> | undefined;
      if (!fresh?.id_token) return null;
      setTokens(toTokens({ ...tokens, ...fresh } as LoginResponse));
      return true;
    } catch {
      return null;
    } finally {
      refreshing = null;
    }
  })();
  return refreshing;
}

function unavailable(): ApiError {
  return new ApiError(0, 'ERR_UNAVAILABLE', 'Le serveur est momentanément injoignable : réessayez dans un instant.');
}

function sessionExpired(): ApiError {
  clearTokens();
  const back = window.location.hash.replace(/^#/, '').split('?')[0];
  navigate('/connexion', { expire: '1', retour: back.startsWith('/connexion') ? undefined : back });
  return new ApiError(401, 'ERR_SESSION_EXPIRED', 'Votre session a expiré. Connectez-vous à nouveau.');
}

/** Sends a request with the bearer token, refreshing it once on 401; the raw response, ok or not. */
async function authorizedSend(
  method: string,
  path: string,
  body: unknown,
  auth: boolean,
  accept?: string,
): Promise<Response> {
  const tokens = auth ? getTokens() : null;
  let refreshed: Refreshed | undefined;
  // Refresh ahead of time when the id token is about to expire.
  if (tokens && tokens.expires_at - Date.now() < 30_000) refreshed = await refreshTokens();

  let response = await send(method, path, body, auth, accept);
  if (response.status === 401 && auth && getTokens()) {
    // On 401, try the refresh token once, then send the request again.
    if (refreshed === undefined) refreshed = await refreshTokens();
    if (refreshed === null) throw unavailable();
    if (!refreshed) throw sessionExpired();
    response = await send(method, path, body, auth, accept);
    if (response.status === 401) throw sessionExpired();
  }
  return response;
}

const changeListeners: (() => void)[] = [];

/** Called after each change the server accepted (any method but GET): answers kept in memory may be stale. */
export function onServerChange(listener: () => void): void {
  changeListeners.push(listener);
}

export async function request<T>(method: string, path: string, body?: unknown, options: RequestOptions = {}): Promise<T> {
  const response = await authorizedSend(method, path, body, options.auth ?? true);
  if (!response.ok) throw await toError(response);
  if (method !== 'GET') changeListeners.forEach((listener) => listener());
  return (await readJson(response)) as T;
}

// ---------------------------------------------------------------- types

// The answers' shapes are the OpenAPI document's (generated/api.ts, from the server's response models).
import type * as Contract from './generated/api';

/** The answer of an operation, by '<METHOD> <path>' as the OpenAPI document names it. */
export type Answer<K extends keyof Contract.Answers> = Contract.Answers[K];

export type LoginResponse = Contract.Tokens;
export type Status = Contract.Status;
export type GrantedRole = Exclude<Status, 'referent'>;
export type Membership = Contract.MyMembership;
export type Profile = Contract.ProfileView;
export type MyPendingRequest = Contract.AccessRequestView;
export type Me = Contract.Me;
export type Region = Contract.Region;
export type Establishment = Contract.Establishment;
export type AccessRequestResult = Answer<'POST /api/establishments/{finess}/access-requests'>;
export type PendingAccessRequest = Contract.RequestWithRequester;
export type Member = Contract.Member;
/** The password rule as the server applies it (GET /api/auth/password-rule): stated once, on the server. */
export type PasswordRule = Contract.PasswordRule;

export interface CharterAcceptance {
  charter_accepted: true;
  direction_email: string;
  dpo_email?: string;
}

// ---------------------------------------------------------------- accounts

export function toTokens(r: LoginResponse): Tokens {
  return {
    id_token: r.id_token,
    access_token: r.access_token,
    refresh_token: r.refresh_token,
    expires_at: Date.now() + (r.expires_in || 3600) * 1000,
  };
}

const noAuth = { auth: false };

export const signup = (body: Contract.SignUp) =>
  request<Answer<'POST /api/auth/signup'>>('POST', '/auth/signup', body, noAuth);

export const confirmAccount = (body: Contract.Confirm) =>
  request<Answer<'POST /api/auth/confirm'>>('POST', '/auth/confirm', body, noAuth);

/** What a login with the right password still asks (docs/api-extensions.md, "Second factor"). */
export interface SecondFactorChallenge {
  challenge: 'SOFTWARE_TOKEN_MFA' | 'MFA_SETUP';
  session: string;
  message: string;
}

/** Logged in (null), or the second factor's step still to do. */
export async function login(body: { email: string; password: string }): Promise<SecondFactorChallenge | null> {
  const response = await request<LoginResponse | SecondFactorChallenge>('POST', '/auth/login', body, noAuth);
  if ('challenge' in response) return response;
  setTokens(toTokens(response));
  return null;
}

export function logout(): void {
  clearTokens();
}

export const resendConfirmationCode = (body: Contract.EmailOnly) =>
  request<Answer<'POST /api/auth/resend-code'>>('POST', '/auth/resend-code', body, noAuth);

let passwordRuleOnce: Promise<PasswordRule> | null = null;
export function getPasswordRule(): Promise<PasswordRule> {
  passwordRuleOnce ??= request<PasswordRule>('GET', '/auth/password-rule', undefined, noAuth).catch((error: unknown) => {
    passwordRuleOnce = null; // asked again next time
    throw error;
  });
  return passwordRuleOnce;
}

export const forgotPassword = (body: Contract.EmailOnly) =>
  request<Answer<'POST /api/auth/forgot-password'>>('POST', '/auth/forgot-password', body, noAuth);

export const resetPassword = (body: Contract.ResetPassword) =>
  request<Answer<'POST /api/auth/reset-password'>>('POST', '/auth/reset-password', body, noAuth);

export const getMe = () => request<Me>('GET', '/me');

// ---------------------------------------------------------------- directory

/** The directory's answers, asked once by path (a change through the API forgets them). */
const directoryCache = new Map<string, Promise<unknown>>();
onServerChange(() => directoryCache.clear());

function directoryGet<T>(path: string): Promise<T> {
  let answer = directoryCache.get(path) as Promise<T> | undefined;
  if (!answer) {
    answer = request<T>('GET', path, undefined, noAuth);
    directoryCache.set(path, answer);
    answer.catch(() => directoryCache.delete(path));
  }
  return answer;
}

export const getRegions = () => directoryGet<Region[]>('/regions');

/** The establishments of a region, or of every region without one (a single request for the nation). */
export const getEstablishments = (region?: string) =>
  directoryGet<Establishment[]>(region ? `/establishments?region=${encodeURIComponent(region)}` : '/establishments');

/** An establishment of the directory (undefined when unknown). */
export const findEstablishment = async (finess: string) => (await getEstablishments()).find((e) => e.finess === finess);

// ---------------------------------------------------------------- access

export const est = (finess: string) => `/establishments/${encodeURIComponent(finess)}`;

export const requestAccess = (finess: string, body: CharterAcceptance | Record<string, never> = {}) =>
  request<AccessRequestResult>('POST', `${est(finess)}/access-requests`, body);

export const getPendingAccessRequests = (finess: string) =>
  request<PendingAccessRequest[]>('GET', `${est(finess)}/access-requests?status=pending`);

export const decideAccessRequest = (
  finess: string,
  requestId: string,
  body: { decision: 'accept'; role: GrantedRole } | { decision: 'refuse' },
) =>
  request<Answer<'POST /api/establishments/{finess}/access-requests/{request_id}/decision'>>(
    'POST',
    `${est(finess)}/access-requests/${encodeURIComponent(requestId)}/decision`,
    body,
  );

export const getMembers = (finess: string) => request<Member[]>('GET', `${est(finess)}/members`);

export const changeMemberRole = (finess: string, email: string, role: GrantedRole) =>
  request<Answer<'PATCH /api/establishments/{finess}/members/{email}'>>(
    'PATCH',
    `${est(finess)}/members/${encodeURIComponent(email)}`,
    { role },
  );

export const handOverReferent = (finess: string, email: string) =>
  request<Answer<'POST /api/establishments/{finess}/referent'>>('POST', `${est(finess)}/referent`, { email });
