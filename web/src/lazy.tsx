import type { ComponentType } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { Loading } from './components/Alert';

/**
 * A screen whose code is loaded on first use (a separate chunk): the first page
 * only carries the screens every visitor needs.
 */
export function lazy<P extends object>(load: () => Promise<ComponentType<P>>): ComponentType<P> {
  let loaded: ComponentType<P> | null = null;
  let pending: Promise<ComponentType<P>> | null = null;
  return function LazyScreen(props: P) {
    const [component, setComponent] = useState<ComponentType<P> | null>(() => loaded);
    const [failed, setFailed] = useState(false);
    useEffect(() => {
      if (loaded) return;
      let alive = true;
      pending ??= load().then((c) => (loaded = c));
      pending
        .then((c) => alive && setComponent(() => c))
        .catch(() => {
          pending = null;
          if (alive) setFailed(true);
        });
      return () => {
        alive = false;
      };
    }, []);
    if (failed)
      return (
        <div role="alert" class="alert alert-error">
          <p>Cette page n'a pas pu être chargée. Vérifiez votre connexion puis rechargez la page.</p>
        </div>
      );
    const Component = component;
    return Component ? <Component {...props} /> : <Loading />;
  };
}
