import { useCallback, useEffect, useRef, useState } from 'react';

export interface Resource<T> {
  data: T | undefined;
  error: unknown;
  /** True while loading without data to show (first load, or after `deps` changed). */
  loading: boolean;
  /** Loads again. A silent reload keeps the current data on screen (polling, after an action). */
  reload: (options?: { silent?: boolean }) => Promise<void>;
}

interface State<T> {
  data?: T;
  error?: unknown;
  loading: boolean;
}

/**
 * Loads `load()` whenever `deps` change. Only the newest request may update the state, so a slow response for an
 * old page or filter never overwrites a newer one.
 */
export function useResource<T>(load: () => Promise<T>, deps: readonly unknown[]): Resource<T> {
  const [state, setState] = useState<State<T>>({ loading: true });
  const loadRef = useRef(load);
  loadRef.current = load;
  const generation = useRef(0);

  const run = useCallback(async (silent: boolean) => {
    const ticket = ++generation.current;
    if (!silent) {
      setState({ loading: true });
    }
    try {
      const data = await loadRef.current();
      if (ticket === generation.current) {
        setState({ data, loading: false });
      }
    } catch (error) {
      if (ticket === generation.current) {
        setState((previous) => ({ data: silent ? previous.data : undefined, error, loading: false }));
      }
    }
  }, []);

  useEffect(() => {
    void run(false);
    return () => {
      generation.current += 1;
    };
    // The caller's deps decide when to reload; `run` is stable.
  }, deps);

  const reload = useCallback((options?: { silent?: boolean }) => run(options?.silent ?? false), [run]);
  return { data: state.data, error: state.error, loading: state.loading, reload };
}
