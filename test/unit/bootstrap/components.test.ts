// The component registry: start in order, stop and crash in reverse, a failed start closes what started.

import { describe, expect, it } from 'vitest';
import { createComponents } from '../../../src/bootstrap/components.ts';

const recorded = () => {
  const calls: string[] = [];
  const components = createComponents();
  for (const name of ['a', 'b', 'c']) {
    components.add({
      name,
      start: () => void calls.push(`start ${name}`),
      stop: () => void calls.push(`stop ${name}`),
      ...(name === 'b' ? { crash: () => void calls.push(`crash ${name}`) } : {}),
    });
  }
  return { calls, components };
};

describe('createComponents', () => {
  it('starts first to last and stops last to first', async () => {
    const { calls, components } = recorded();
    await components.start();
    await components.stop();
    expect(components.names()).toEqual(['a', 'b', 'c']);
    expect(calls).toEqual(['start a', 'start b', 'start c', 'stop c', 'stop b', 'stop a']);
  });

  it('crashes last to first, with stop where a component has no crash', async () => {
    const { calls, components } = recorded();
    await components.crash();
    expect(calls).toEqual(['stop c', 'crash b', 'stop a']);
  });

  it('a failed start stops the ones already started, ignoring their errors, and rethrows', async () => {
    const calls: string[] = [];
    const components = createComponents();
    components.add({ name: 'store', stop: () => void calls.push('stop store') });
    components.add({ name: 'queues', stop: () => Promise.reject(new Error('already closed')) });
    components.add({ name: 'http', start: () => Promise.reject(new Error('port busy')), stop: () => void calls.push('stop http') });
    components.add({ name: 'poller', start: () => void calls.push('start poller') });
    await expect(components.start()).rejects.toThrow('port busy');
    expect(calls).toEqual(['stop store']);
  });
});
