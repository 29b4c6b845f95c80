import { describe, expect, it } from 'vitest';
import { createParentEditor } from '../../../src/app/incidents/parent-editor.ts';
import { createSerialQueues } from '../../../src/app/incidents/serial-queues.ts';
import { fixedClock } from '../../../src/ports/clock.port.ts';
import { manualTimers } from '../../../src/ports/timers.port.ts';

const setup = () => {
  const clock = fixedClock(new Date('2025-03-01T10:00:00Z'));
  const timers = manualTimers();
  const edits: [string, number][] = [];
  const editor = createParentEditor({ clock, timers, intervalMs: 3_000, edit: async (id) => void edits.push([id, clock.now().getTime()]) });
  return { clock, timers, edits, editor };
};

describe('parent editor', () => {
  it('edits at once, then collapses a storm into one trailing edit per interval', async () => {
    const { clock, timers, edits, editor } = setup();
    for (let i = 0; i < 1_000; i += 1) editor.request('inc-1');
    await editor.flush();
    expect(edits).toHaveLength(2);
    expect(timers.pending()).toBe(0);
    clock.advance(1_000);
    editor.request('inc-1');
    expect(timers.pending()).toBe(1);
    clock.advance(2_000);
    timers.runAll();
    await editor.flush();
    expect(edits).toHaveLength(3);
    clock.advance(3_000);
    editor.request('inc-1');
    await editor.flush();
    expect(edits).toHaveLength(4);
  });

  it('keeps incidents apart', async () => {
    const { edits, editor } = setup();
    editor.request('a');
    editor.request('b');
    await editor.flush();
    expect(edits.map(([id]) => id).sort()).toEqual(['a', 'b']);
  });

  it('stop() drops scheduled edits', async () => {
    const { timers, edits, editor } = setup();
    editor.request('a');
    editor.request('a');
    await Promise.resolve();
    editor.stop();
    expect(timers.pending()).toBe(0);
    await editor.flush();
    expect(edits).toHaveLength(1);
  });
});

describe('serial queues', () => {
  it('runs work per key in order, keys in parallel, and survives failures', async () => {
    const errors: string[] = [];
    const queues = createSerialQueues((key) => void errors.push(key));
    const order: string[] = [];
    let release: () => void = () => {};
    const gate = new Promise<void>((resolve) => (release = resolve));
    const first = queues.run('q', async () => {
      await gate;
      order.push('q1');
    });
    const second = queues.run('q', async () => void order.push('q2'));
    await queues.run('other', async () => void order.push('other'));
    queues.enqueue('q', async () => {
      throw new Error('boom');
    });
    release();
    await Promise.all([first, second]);
    await queues.idle();
    expect(order).toEqual(['other', 'q1', 'q2']);
    expect(errors).toEqual(['q']);
  });
});
