import { useCallback, useEffect, useRef, useState } from 'preact/hooks';

export interface Loaded<T> {
  readonly data: T | undefined;
  readonly error: unknown;
  readonly loading: boolean;
  reload(): void;
}

/**
 * Loads data when `deps` change and, with `everyMs`, again after each load completes (no
 * overlapping requests); the previous data stays on screen while reloading.
 */
export function useLoad<T>(load: () => Promise<T>, deps: readonly unknown[], everyMs?: number): Loaded<T> {
  const [state, setState] = useState<{ data?: T; error?: unknown; loading: boolean }>({ loading: true });
  const [tick, setTick] = useState(0);
  const loadRef = useRef(load);
  loadRef.current = load;
  useEffect(() => {
    let alive = true;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const run = async () => {
      setState((s) => ({ ...s, loading: true }));
      try {
        const data = await loadRef.current();
        if (alive) setState({ data, error: undefined, loading: false });
      } catch (error) {
        if (alive) setState((s) => ({ data: s.data, error, loading: false }));
      }
      if (alive && everyMs) timer = setTimeout(run, everyMs);
    };
    void run();
    return () => {
      alive = false;
      if (timer) clearTimeout(timer);
    };
  }, [...deps, tick, everyMs]);
  const reload = useCallback(() => setTick((t) => t + 1), []);
  return { data: state.data, error: state.error, loading: state.loading, reload };
}

export interface Action {
  readonly busy: boolean;
  readonly error: unknown;
  readonly message: string | undefined;
  /** Runs `fn` (a text answer becomes the message); true when it succeeded. */
  run(fn: () => Promise<unknown>): Promise<boolean>;
  clear(): void;
}

/** Runs an action, keeping its busy flag, error and last message for the UI. */
export function useAction(): Action {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();
  const [message, setMessage] = useState<string | undefined>();
  const run = useCallback(async (fn: () => Promise<unknown>) => {
    setBusy(true);
    setError(undefined);
    setMessage(undefined);
    try {
      const m = await fn();
      setMessage(typeof m === 'string' && m !== '' ? m : undefined);
      return true;
    } catch (err) {
      setError(err);
      return false;
    } finally {
      setBusy(false);
    }
  }, []);
  const clear = useCallback(() => {
    setError(undefined);
    setMessage(undefined);
  }, []);
  return { busy, error, message, run, clear };
}

export interface Attempt {
  readonly action: Action;
  /** What the form's own check found wrong. */
  readonly problem: string | undefined;
  setProblem(p: string | undefined): void;
  /** Clears the problem and the action's outcome: call it when a new attempt starts or the form changes. */
  forget(): void;
}

/** A form's action with its own check's problem, so that only the current outcome is on screen. */
export function useAttempt(): Attempt {
  const action = useAction();
  const [problem, setProblem] = useState<string | undefined>();
  const { clear } = action;
  const forget = useCallback(() => {
    setProblem(undefined);
    clear();
  }, [clear]);
  return { action, problem, setProblem, forget };
}
