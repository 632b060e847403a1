import type { ComponentChildren } from 'preact';
import type { ApiError } from '../api';

function detailText(detail: unknown): string | null {
  if (typeof detail === 'string') return detail;
  if (detail && typeof detail === 'object' && 'message' in detail) {
    const message = (detail as { message: unknown }).message;
    return typeof message === 'string' ? message : null;
  }
  return null;
}

/**
 * Error region. The container is always rendered so that screen readers
 * announce the message when it appears.
 */
export function ErrorAlert({ error }: { error: ApiError | null | undefined }) {
  const details = (error?.details ?? []).map(detailText).filter((d): d is string => !!d);
  return (
    <div role="alert" class={error ? 'alert alert-error' : 'alert-empty'}>
      {error && (
        <>
          <p>{error.message}</p>
          {details.length > 0 && (
            <ul>
              {details.map((d, i) => (
                <li key={i}>{d}</li>
              ))}
            </ul>
          )}
        </>
      )}
    </div>
  );
}

/** Polite status region for confirmations ("Votre compte est confirmé…"). */
export function StatusMessage({ children }: { children?: ComponentChildren }) {
  return (
    <div role="status" class={children ? 'alert alert-success' : 'alert-empty'}>
      {children}
    </div>
  );
}

export function Loading({ label = 'Chargement…' }: { label?: string }) {
  return (
    <p class="loading" role="status">
      {label}
    </p>
  );
}
