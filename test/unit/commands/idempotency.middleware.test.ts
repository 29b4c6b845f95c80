// Once per click on a hand-moved clock and hand-driven timers (no I/O: the keys live in a Map): a
// second click waits on the timers port for the first one's outcome and names who did it; a click
// after a failure tries again; a standing clock still ends the wait.
import { describe, expect, it } from 'vitest';
import { throughMiddlewares, type CommandHandler } from '../../../src/app/commands/command-middleware.ts';
import { oncePerClick } from '../../../src/app/commands/idempotency.middleware.ts';
import type { CommandContext } from '../../../src/app/shared/command-context.ts';
import type { JsonObject } from '../../../src/core/model.ts';
import { fixedClock } from '../../../src/ports/clock.port.ts';
import { manualTimers } from '../../../src/ports/timers.port.ts';

const T0 = new Date('2026-01-01T12:00:00Z');
const click = (actor: string): CommandContext => ({ actor, channelId: 'C1', transport: 'slack', origin: { channel: 'C1', messageTs: '1700000000.000100', threadTs: null } });
const replay = { op: 'replay' as const, queue: 'orders', id: 'm-1' };
const settle = async (until: () => boolean): Promise<void> => {
  for (let i = 0; i < 100 && !until(); i += 1) await new Promise((resolve) => setImmediate(resolve));
};

const setup = (duplicateWaitMs?: number) => {
  const keys = new Map<string, { claimedAt: Date; details: JsonObject }>();
  const store = {
    claimIdempotencyKey: async (key: string, at: Date, details?: JsonObject) => !keys.has(key) && Boolean(keys.set(key, { claimedAt: at, details: details ?? {} })),
    readIdempotencyKey: async (key: string) => keys.get(key) ?? null,
    pruneIdempotencyKeys: async () => 0,
  };
  const timers = manualTimers();
  const clock = fixedClock(T0);
  const once = oncePerClick<string>({ store, clock, timers, ...(duplicateWaitMs ? { duplicateWaitMs } : {}), presenter: { duplicate: (op, id, outcome) => (outcome ? `${op} ${id}: ${outcome.result} by ${outcome.actor} at ${outcome.at.toISOString()}${outcome.error ? ` (${outcome.error})` : ''}` : 'still running') } });
  const run = (handler: CommandHandler<string>, context: CommandContext) => throughMiddlewares([once], handler)(replay, context);
  return { timers, clock, run, keys };
};

describe('once per click', () => {
  it('a second click waits for the first one (on the timers port) and is told who did it and when', async () => {
    const { timers, clock, run, keys } = setup();
    let release = (): void => undefined;
    const slow = new Promise<void>((resolve) => (release = resolve));
    const first = run(async () => (await slow, clock.advance(1_000), 'replayed'), click('U_A'));
    await settle(() => keys.size === 1);
    const second = run(async () => 'ran twice', click('U_B'));
    await settle(() => timers.pending() === 1);
    expect(timers.pending()).toBe(1);
    release();
    expect(await first).toBe('replayed');
    timers.runAll();
    expect(await second).toBe('replay m-1: success by U_A at 2026-01-01T12:00:01.000Z');
    expect(await run(async () => 'ran again', click('U_C'))).toBe('replay m-1: success by U_A at 2026-01-01T12:00:01.000Z');
  });

  it('a click after a failed attempt tries again; after a success the next click is held', async () => {
    const { timers, run } = setup();
    await expect(run(async () => Promise.reject(new Error('destination down')), click('U_A'))).rejects.toThrow('destination down');
    expect(await run(async () => 'replayed', click('U_B'))).toBe('replayed');
    expect(await run(async () => 'ran twice', click('U_C'))).toMatch(/^replay m-1: success by U_B/);
    expect(timers.pending()).toBe(0);
  });

  it('the wait is counted, not timed: a standing clock still ends it', async () => {
    const { timers, run, keys } = setup(200);
    void run(() => new Promise<string>(() => undefined), click('U_A'));
    await settle(() => keys.size === 1);
    const second = run(async () => 'ran twice', click('U_B'));
    for (let poll = 0; poll < 2; poll += 1) {
      await settle(() => timers.pending() === 1);
      timers.runAll();
    }
    expect(await second).toBe('still running');
  });
});
