import { describe, expect, it } from 'vitest';
import { parseCliArgs } from '../../../src/adapters/inbound/cli/cli-args.ts';

describe('parseCliArgs', () => {
  it.each([
    [['serve'], { command: 'serve', configPath: null, port: null }],
    [['serve', '--port', '3001'], { command: 'serve', configPath: null, port: '3001' }],
    [['serve', '--port=0', '--config', 'r.yml'], { command: 'serve', configPath: 'r.yml', port: '0' }],
    [['serve', '--help'], { command: 'help' }],
    [['check-config', '-h'], { command: 'help' }],
    [['dlq', 'peek', 'q', '--json'], { command: 'dlq', configPath: null, args: ['peek', 'q', '--json'] }],
  ])('%j', (argv, request) => {
    expect(parseCliArgs(argv, {})).toEqual({ ok: true, request });
  });

  it('takes --port only for serve', () => {
    expect(parseCliArgs(['migrate', '--port', '1'], {})).toMatchObject({ ok: false, error: expect.stringMatching(/--port/) });
  });
});
