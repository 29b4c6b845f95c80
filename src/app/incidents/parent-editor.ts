// Coalesces edits of incident parent messages: the first change edits at once, later changes within
// `intervalMs` collapse into one trailing edit, so an alert storm makes at most one chat.update per
// incident per interval. An edit renders the incident as stored at that moment and is skipped when
// the message would not change.

import type { Clock } from '../../ports/clock.port.ts';
import type { Timers } from '../../ports/timers.port.ts';

export interface ParentEditor {
  request(incidentId: string): void;
  /** Runs scheduled edits now and waits for running ones (tests, shutdown). */
  flush(): Promise<void>;
  stop(): void;
}

interface EditState {
  lastAt: number | null;
  timer: unknown;
  running: Promise<void> | null;
}

export const createParentEditor = (deps: {
  clock: Clock;
  timers: Timers;
  intervalMs: number;
  /** Renders and sends one edit; resolves whatever the outcome (it logs failures itself). */
  edit: (incidentId: string) => Promise<void>;
}): ParentEditor => {
  const states = new Map<string, EditState>();
  const stateOf = (id: string): EditState => {
    let s = states.get(id);
    if (!s) {
      s = { lastAt: null, timer: null, running: null };
      states.set(id, s);
    }
    return s;
  };
  const run = async (id: string): Promise<void> => {
    const s = stateOf(id);
    s.timer = null;
    if (s.running) await s.running;
    s.lastAt = deps.clock.now().getTime();
    const running = deps.edit(id).finally(() => {
      if (s.running === running) s.running = null;
    });
    s.running = running;
    await running;
  };
  const schedule = (id: string, s: EditState, ms: number): void => {
    s.timer = deps.timers.setTimeout(() => void run(id), ms);
  };
  return {
    request: (id) => {
      const s = stateOf(id);
      if (s.timer !== null) return;
      const wait = s.lastAt === null ? 0 : s.lastAt + deps.intervalMs - deps.clock.now().getTime();
      if (wait <= 0 && !s.running) void run(id);
      else schedule(id, s, Math.max(0, wait));
    },
    flush: async () => {
      const runs: Promise<void>[] = [];
      for (const [id, s] of states) {
        if (s.timer !== null) {
          deps.timers.clearTimeout(s.timer);
          runs.push(run(id));
        } else if (s.running) runs.push(s.running);
      }
      await Promise.all(runs);
    },
    stop: () => {
      for (const s of states.values()) if (s.timer !== null) deps.timers.clearTimeout(s.timer);
      states.clear();
    },
  };
};
