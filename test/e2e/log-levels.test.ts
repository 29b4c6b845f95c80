// Ordinary user mistakes (unknown queue, unknown id, bad arguments, a denied action) are logged at
// info without a stack; error level is kept for faults of Redrive or its backends. Read from the real
// pino output of the real app, driven by signed Slack requests against ElasticMQ.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeMessageRef, MESSAGE_ACTIONS } from '../../src/presentation/slack/block-kit/interactive-actions.ts';
import { services, sqsEndpoint } from '../integration/sqs/sqs-test-env.ts';
import { capturedLogger, LEVELS, type LogLine } from '../support/log-capture.ts';
import { shown, startSlackE2e, type SlackE2e } from '../support/slack-e2e-app.ts';
import { newSlackTs } from '../support/slack-payloads.ts';
import { waitFor } from '../support/services.ts';

describe.skipIf(!services)('log levels of failures (real app, real pino output)', () => {
  const log = capturedLogger('info');
  let e: SlackE2e;
  const missingQueue = 'gone-dlq';

  beforeAll(async () => {
    e = await startSlackE2e('loglevels', {
      logger: log.logger,
      // A configured queue whose DLQ does not exist on the server: a fault, not a user mistake.
      extraQueues: [{ name: missingQueue, kind: 'sqs', queueUrl: `${sqsEndpoint().endpoint}/000000000000/redrive-no-such-queue`, alertChannel: 'C_ALERTS' }],
    });
  });
  afterAll(async () => {
    await e?.close();
  });

  /** Log lines written while `act` ran (the poller's lines about the missing queue left out). */
  const during = async (act: () => Promise<unknown>, about: string | null = null): Promise<LogLine[]> => {
    const from = log.lines.length;
    await act();
    await new Promise((resolve) => setTimeout(resolve, 200));
    return log.lines.slice(from).filter((l) => about !== null || l.queue !== missingQueue);
  };
  const hasStack = (line: LogLine): boolean => JSON.stringify(line).includes('    at ');

  it.each([
    ['an unknown message id (view)', () => `view ${e.queue} no-such-message`, /No message "no-such-message"/],
    ['an unknown message id (replay)', () => `replay ${e.queue} no-such-message`, /No message "no-such-message"/],
    ['an unknown queue', () => 'peek no-such-queue', /no-such-queue/],
    ['bad arguments', () => `peek ${e.queue} --count many`, /count/],
    ['an unknown job', () => 'cancel job-that-never-was', /job-that-never-was/],
  ])('%s: the user is told, the log has no error line and no stack', async (_name, text, answer) => {
    let reply: Awaited<ReturnType<SlackE2e['dlq']>> | undefined;
    const lines = await during(async () => {
      reply = await e.dlq(text());
    });
    expect(shown(reply)).toMatch(answer);
    expect(lines.filter((l) => l.level >= LEVELS.error)).toEqual([]);
    expect(lines.filter(hasStack)).toEqual([]);
  });

  it('the failure line of a user mistake is info, names the code, and carries no err', async () => {
    const lines = await during(() => e.dlq(`view ${e.queue} still-no-such-message`));
    const failure = lines.find((l) => l.code === 'DLQ_MESSAGE_NOT_FOUND' && l.component !== 'audit');
    expect(failure).toMatchObject({ level: LEVELS.info, userMistake: true, msg: '/dlq failed' });
    expect(failure?.err).toBeUndefined();
  });

  it('a denied action (a viewer replays) is no error either', async () => {
    const lines = await during(() => e.dlq(`replay ${e.queue} some-id`, 'U_CAROL'));
    expect(lines.some((l) => JSON.stringify(l).includes('denied'))).toBe(true);
    expect(lines.filter((l) => l.level >= LEVELS.error)).toEqual([]);
  });

  it('a Replay click on a message that is gone: info, no stack', async () => {
    const value = encodeMessageRef({ queue: e.queue, id: 'clicked-but-gone' }) ?? '';
    const from = log.lines.length;
    const lines = await during(async () => {
      await e.click({ actionId: MESSAGE_ACTIONS.replay, value, messageTs: newSlackTs() });
      await waitFor(() => log.lines.slice(from).find((l) => l.msg === 'replay button failed'), { timeoutMs: 15_000, description: 'the failure line' });
    });
    const failure = lines.find((l) => l.msg === 'replay button failed');
    expect(failure).toMatchObject({ level: LEVELS.info, code: 'DLQ_MESSAGE_NOT_FOUND' });
    expect(lines.filter((l) => l.level >= LEVELS.error)).toEqual([]);
    expect(lines.filter(hasStack)).toEqual([]);
  });

  it('a fault of the backend (the configured DLQ does not exist) stays at error, with the error and its stack', async () => {
    const lines = (await during(() => e.dlq(`peek ${missingQueue}`), missingQueue)).filter((l) => l.component !== 'incidents');
    const failure = lines.find((l) => l.level === LEVELS.error);
    expect(failure?.msg).toBe('/dlq failed');
    expect(failure?.err?.stack).toMatch(/\n\s+at /);
  });
});
