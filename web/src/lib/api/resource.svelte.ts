/**
 * Loads data for a component and keeps loading/error/data as reactive state. The loader
 * runs again whenever the reactive values it reads change (region, period, metric …);
 * an older answer arriving late is ignored, and the previous data stays visible while the
 * next loads (charts redraw instead of blinking). Returning undefined means "nothing to
 * load" (e.g. a required choice is missing). Only the reactive values read synchronously
 * by the loader (before its first await) are tracked.
 */
export interface Resource<T> {
  readonly loading: boolean;
  readonly error: Error | undefined;
  readonly data: T | undefined;
  /** Loads again with the same inputs. */
  reload(): void;
}

export function resource<T>(load: (signal: AbortSignal) => Promise<T> | undefined): Resource<T> {
  let loading = $state(true);
  let error: Error | undefined = $state(undefined);
  let data: T | undefined = $state.raw(undefined);
  let attempt = $state(0);

  $effect(() => {
    void attempt;
    const controller = new AbortController();
    const pending = load(controller.signal);
    if (!pending) {
      loading = false;
      error = undefined;
      data = undefined;
      return;
    }
    loading = true;
    pending.then(
      (value) => {
        if (controller.signal.aborted) return;
        data = value;
        error = undefined;
        loading = false;
      },
      (e: unknown) => {
        if (controller.signal.aborted) return;
        error = e instanceof Error ? e : new Error(String(e));
        data = undefined;
        loading = false;
      },
    );
    return () => controller.abort();
  });

  return {
    get loading() {
      return loading;
    },
    get error() {
      return error;
    },
    get data() {
      return data;
    },
    reload() {
      attempt++;
    },
  };
}
