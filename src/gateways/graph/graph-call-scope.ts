import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * Limits that apply to every Graph call made within one unit of work (a sync run), whatever part of
 * the gateway makes it: the signal that aborts a call in flight (a cancel, a time limit, a
 * shutdown), and a budget for the total time spent waiting for Graph's throttling across all the
 * unit's requests, on top of the per-request bound.
 */
export interface GraphCallScope {
  signal?: AbortSignal;
  throttle?: {
    limitMs: number;
    waitedMs: number;
    /** Set when a request gave up because its next wait would cross `limitMs`. */
    exhausted: boolean;
  };
}

const storage = new AsyncLocalStorage<GraphCallScope>();

/** Runs `work` with `scope` applying to every Graph call it makes, however deep. */
export function withGraphCallScope<T>(scope: GraphCallScope, work: () => Promise<T>): Promise<T> {
  return storage.run(scope, work);
}

export function currentGraphCallScope(): GraphCallScope | undefined {
  return storage.getStore();
}
