import { useEffect, useState } from 'preact/hooks';
import { type ApiError, toApiError } from './api';

/** Runs an async action, tracking "busy" and turning any failure into a readable ApiError. */
export function useAction() {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);

  async function run<T>(action: () => Promise<T>): Promise<T | undefined> {
    setBusy(true);
    setError(null);
    try {
      return await action();
    } catch (e) {
      setError(toApiError(e));
      return undefined;
    } finally {
      setBusy(false);
    }
  }

  return { busy, error, setError, run };
}

/** Whether two dependency lists name the same thing (as an effect compares them). */
const sameDeps = (a: unknown[], b: unknown[]) => a.length === b.length && a.every((v, i) => Object.is(v, b[i]));

/**
 * Loads data when the component mounts and whenever `deps` change; `reload()` loads again.
 *
 * An answer is only ever shown for the `deps` it was loaded for: from the render where they change (a filter,
 * another year), `data` is undefined and `loading` true until their own answer arrives, so that figures of the
 * previous filter never pass for the new one's. A `reload()` keeps the figures on screen meanwhile.
 */
export function useLoad<T>(load: () => Promise<T>, deps: unknown[]) {
  const [answer, setAnswer] = useState<{ deps: unknown[]; data?: T; error: ApiError | null } | null>(null);
  const [loading, setLoading] = useState(true);
  const [tick, setTick] = useState(0);

  useEffect(() => {
    let alive = true;
    const asked = deps;
    setLoading(true);
    setAnswer((a) => (a && a.error ? { ...a, error: null } : a));
    load()
      .then((d) => alive && setAnswer({ deps: asked, data: d, error: null }))
      .catch((e) => alive && setAnswer({ deps: asked, data: undefined, error: toApiError(e) }))
      .finally(() => alive && setLoading(false));
    return () => {
      alive = false;
    };
    // `load` is a fresh closure on each render: reload only when `deps` change.
  }, [...deps, tick]);

  const current = answer && sameDeps(answer.deps, deps) ? answer : null;
  return {
    data: current?.data,
    error: current?.error ?? null,
    loading: loading || current === null,
    reload: () => setTick((t) => t + 1),
  };
}
