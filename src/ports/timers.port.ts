// Timers come in through a port so coalesced edits and the poller loop run on a hand-driven
// scheduler in tests instead of real waits.

export interface Timers {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

/** Node's timers, unref'd so a pending edit never keeps a stopping process alive. */
export const realTimers: Timers = {
  setTimeout: (fn, ms) => {
    const handle = setTimeout(fn, ms);
    handle.unref();
    return handle;
  },
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

/** A scheduler that never fires by itself: tests run what is due with `runAll()`. */
export const manualTimers = (): Timers & { pending(): number; runAll(): void } => {
  const due = new Map<number, () => void>();
  let next = 0;
  return {
    setTimeout: (fn) => {
      next += 1;
      due.set(next, fn);
      return next;
    },
    clearTimeout: (handle) => void due.delete(handle as number),
    pending: () => due.size,
    runAll: () => {
      const fns = [...due.values()];
      due.clear();
      for (const fn of fns) fn();
    },
  };
};
