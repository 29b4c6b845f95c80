// The queue use cases end to end on ElasticMQ: peek consumes nothing, replay deletes only after the
// destination accepted the copy, resolve archives first, bad input gets a clear error and deletes nothing.

import { afterEach, describe, expect, it } from 'vitest';
import { ReceiveMessageCommand } from '@aws-sdk/client-sqs';
import { peekMessages, queueStatus, viewMessage } from '../../../src/app/messages/read-queue.use-case.ts';
import { replayMessage } from '../../../src/app/messages/replay-message.use-case.ts';
import { resolveMessage } from '../../../src/app/messages/resolve-message.use-case.ts';
import { renderReplyForTerminal } from '../../../src/presentation/terminal/render-terminal.ts';
import { isRedriveError } from '../../../src/errors.ts';
import { auditOf, cli, makeAppEnv, useSqliteStore, type AppEnv } from './sqs-app-env.ts';
import { queueDepth, sendMessages, services, sqsEndpoint } from './sqs-test-env.ts';

const codeOf = async (promise: Promise<unknown>): Promise<string> => {
  try {
    await promise;
  } catch (error) {
    return isRedriveError(error) ? error.code : `not a RedriveError: ${String(error)}`;
  }
  return 'no error';
};

const receiveAll = async (env: AppEnv, url: string) => {
  const r = await env.client.send(new ReceiveMessageCommand({ QueueUrl: url, MaxNumberOfMessages: 10, WaitTimeSeconds: 1, MessageAttributeNames: ['All'], MessageSystemAttributeNames: ['All'] }));
  return r.Messages ?? [];
};

describe.skipIf(!services)('queue operations on ElasticMQ', () => {
  const store = useSqliteStore();
  let env: AppEnv;
  afterEach(async () => env?.cleanup());

  it('status shows visible, in flight and delayed in a table and writes an audit record', async () => {
    env = await makeAppEnv({ store: store() });
    await sendMessages(env.client, env.dlq.url, ['{"a":1}', '{"a":2}']);
    const [view] = await queueStatus(env.deps, env.queue, 'cli:test');
    expect(view?.status).toMatchObject({ depth: 2, inFlight: 0, delayed: 0 });
    const text = renderReplyForTerminal(await env.router.handleArgs(['status', env.queue], cli));
    expect(text).toMatch(/QUEUE\s+KIND\s+VISIBLE\s+IN FLIGHT/);
    expect(text).toContain(env.queue);
    expect((await auditOf(env)).map((a) => [a.action, a.result])).toContainEqual(['status', 'success']);
    expect((await env.store.listDepthSamples(env.queue, { since: new Date(0) })).length).toBeGreaterThanOrEqual(2);
  });

  it('peek indexes what it saw and leaves every message visible', async () => {
    env = await makeAppEnv({ store: store() });
    await sendMessages(env.client, env.dlq.url, ['{"trace_id":"t-1","error":"HTTP 404"}', 'plain <!channel> text']);
    const messages = await peekMessages(env.deps, env.queue, 5, 'cli:test');
    expect(messages).toHaveLength(2);
    expect(await queueDepth(env.client, env.dlq.url)).toEqual({ visible: 2, inFlight: 0 });
    expect(await env.store.findIndexedMessage(env.queue, 't-1')).not.toBeNull();
    const text = renderReplyForTerminal(await env.router.handleArgs(['peek', env.queue, '--count', '5'], cli));
    expect(text).toContain('plain <!channel> text');
    expect(text).toContain('Nothing was consumed');
    expect(await queueDepth(env.client, env.dlq.url)).toEqual({ visible: 2, inFlight: 0 });
  });

  it('peek and view through ElasticMQ redact secrets (presigned signature, password, bearer, configured keys) and escape mentions', async () => {
    env = await makeAppEnv({ store: store(), redactKeys: ['ssn'] });
    const body = JSON.stringify({
      trace_id: 'hostile-1',
      url: 'https://bucket.s3.amazonaws.com/a.pdf?X-Amz-Expires=900&X-Amz-Signature=5ec12e7deadbeef0123456789',
      password: 'pa55-w0rd-not-for-slack',
      ssn: '987-65-4321',
      error: 'HTTP 401 calling <!channel> with Authorization: Bearer tok_live_abcdef0123456789',
    });
    await sendMessages(env.client, env.dlq.url, [
      { body, attributes: { api_key: { DataType: 'String', StringValue: 'attr-key-0123456789' }, origin: { DataType: 'String', StringValue: '<!here>' } } },
    ]);
    const secrets = ['5ec12e7deadbeef0123456789', 'pa55-w0rd-not-for-slack', '987-65-4321', 'tok_live_abcdef0123456789', 'attr-key-0123456789'];
    for (const args of [['peek', env.queue], ['view', env.queue, 'hostile-1']]) {
      const reply = await env.router.handleArgs(args, cli);
      const shown = `${reply.text}\n${JSON.stringify(reply.blocks)}`;
      for (const secret of secrets) expect(shown).not.toContain(secret);
      expect(shown).toContain('[REDACTED]');
      expect(shown).toContain('&lt;!channel&gt;');
      expect(shown).toContain('&lt;!here&gt;');
      expect(shown).not.toMatch(/<!(channel|here)>/);
      expect(shown).toContain('X-Amz-Expires=900');
    }
    expect(await queueDepth(env.client, env.dlq.url)).toEqual({ visible: 1, inFlight: 0 });
  });

  it('view finds a message by trace id and shows a non-JSON body raw', async () => {
    env = await makeAppEnv({ store: store() });
    await sendMessages(env.client, env.dlq.url, ['{"trace_id":"abc-9","error":"timeout"}', 'not json {']);
    expect((await viewMessage(env.deps, env.queue, 'abc-9', 'cli:test')).body).toContain('abc-9');
    const [raw] = (await peekMessages(env.deps, env.queue, 5, 'cli:test')).filter((m) => m.body === 'not json {');
    const text = renderReplyForTerminal(await env.router.handleArgs(['view', env.queue, raw!.messageKey], cli));
    expect(text).toContain('not json {');
    expect(text).toContain('Body is not JSON; shown raw.');
  });

  it('replay sends the body with its message attributes to the source queue, then deletes it from the DLQ', async () => {
    env = await makeAppEnv({ store: store() });
    await sendMessages(env.client, env.dlq.url, [
      { body: '{"job_id":"j1"}', attributes: { origin: { DataType: 'String', StringValue: 'frontier' }, blob: { DataType: 'Binary', BinaryValue: Buffer.from([1, 2, 3]) }, n: { DataType: 'Number', StringValue: '42' } } },
    ]);
    const [message] = await peekMessages(env.deps, env.queue, 1, 'cli:test');
    const outcome = await replayMessage(env.deps, { queue: env.queue, id: message!.messageKey, actor: 'cli:test' });
    expect(outcome.removed).toBe(true);
    const [copy] = await receiveAll(env, env.source.url);
    expect(copy?.Body).toBe('{"job_id":"j1"}');
    expect(copy?.MessageAttributes?.origin?.StringValue).toBe('frontier');
    expect(copy?.MessageAttributes?.n).toMatchObject({ DataType: 'Number', StringValue: '42' });
    expect(Buffer.from(copy?.MessageAttributes?.blob?.BinaryValue ?? []).toJSON().data).toEqual([1, 2, 3]);
    expect(await queueDepth(env.client, env.dlq.url)).toEqual({ visible: 0, inFlight: 0 });
    expect(await env.store.findReplays(env.queue, [`key:${message!.messageKey}`])).toHaveLength(1);
    expect((await auditOf(env)).find((a) => a.action === 'replay')).toMatchObject({ result: 'success', messageId: message!.messageKey, actor: 'cli:test' });
  });

  it('nothing leaves the DLQ when the destination queue does not exist', async () => {
    const missing = sqsEndpoint();
    env = await makeAppEnv({ store: store(), queueConfig: { replayTarget: { kind: 'sqs', queueUrl: `${missing.endpoint}/${missing.accountId}/no-such-destination-queue` } } });
    await sendMessages(env.client, env.dlq.url, ['{"keep":"me"}']);
    const [message] = await peekMessages(env.deps, env.queue, 1, 'cli:test');
    expect(await codeOf(replayMessage(env.deps, { queue: env.queue, id: message!.messageKey, actor: 'cli:test' }))).toBe('DLQ_QUEUE_MISSING');
    expect(await queueDepth(env.client, env.dlq.url)).toEqual({ visible: 1, inFlight: 0 });
    expect((await auditOf(env)).find((a) => a.action === 'replay')).toMatchObject({ result: 'failure' });
    expect(await env.store.listReplays(env.queue)).toHaveLength(0);
  });

  it('an invalid edited body is refused before anything is sent', async () => {
    env = await makeAppEnv({ store: store() });
    await sendMessages(env.client, env.dlq.url, ['{"a":1}']);
    const [message] = await peekMessages(env.deps, env.queue, 1, 'cli:test');
    expect(await codeOf(replayMessage(env.deps, { queue: env.queue, id: message!.messageKey, actor: 'cli:test', editedBody: '{"a":' }))).toBe('DLQ_BODY_INVALID');
    expect(await queueDepth(env.client, env.dlq.url)).toEqual({ visible: 1, inFlight: 0 });
    expect(await queueDepth(env.client, env.source.url)).toEqual({ visible: 0, inFlight: 0 });
    const edited = await replayMessage(env.deps, { queue: env.queue, id: message!.messageKey, actor: 'cli:test', editedBody: '{"a":2}' });
    expect(edited.removed).toBe(true);
    expect((await receiveAll(env, env.source.url))[0]?.Body).toBe('{"a":2}');
  });

  it('resolve archives body and attributes in the store, then deletes the message', async () => {
    env = await makeAppEnv({ store: store() });
    await sendMessages(env.client, env.dlq.url, [{ body: 'expired url', attributes: { k: { DataType: 'String', StringValue: 'v' } } }]);
    const [message] = await peekMessages(env.deps, env.queue, 1, 'cli:test');
    const text = renderReplyForTerminal(await env.router.handleArgs(['resolve', env.queue, message!.messageKey, '--reason', 'presigned URL expired'], cli));
    expect(text).toContain('archived');
    const archived = await env.store.getResolution(env.queue, message!.messageKey);
    expect(archived).toMatchObject({ body: 'expired url', reason: 'presigned URL expired', resolvedBy: 'cli:test' });
    expect(JSON.stringify(archived?.attributes)).toContain('"stringValue":"v"');
    expect(await queueDepth(env.client, env.dlq.url)).toEqual({ visible: 0, inFlight: 0 });
  });

  it('bad input gets a clear error and deletes nothing', async () => {
    env = await makeAppEnv({ store: store() });
    await sendMessages(env.client, env.dlq.url, ['{"a":1}']);
    expect(await codeOf(env.router.handleArgs(['peek', 'no-such-queue'], cli))).toBe('QUEUE_UNKNOWN');
    expect(await codeOf(replayMessage(env.deps, { queue: env.queue, id: 'no-such-id', actor: 'cli:test' }))).toBe('DLQ_MESSAGE_NOT_FOUND');
    expect(await codeOf(resolveMessage(env.deps, { queue: env.queue, id: 'no-such-id', actor: 'cli:test', reason: null }))).toBe('DLQ_MESSAGE_NOT_FOUND');
    expect(await queueDepth(env.client, env.dlq.url)).toEqual({ visible: 1, inFlight: 0 });
    expect((await auditOf(env)).filter((a) => a.result === 'failure').map((a) => a.error)).toEqual([
      expect.stringContaining('DLQ_MESSAGE_NOT_FOUND'),
      expect.stringContaining('DLQ_MESSAGE_NOT_FOUND'),
    ]);
  });

  it('a queue that does not exist on the server is DLQ_QUEUE_MISSING', async () => {
    env = await makeAppEnv({ store: store() });
    const { endpoint, accountId } = sqsEndpoint();
    const ghost = await makeAppEnv({ store: store(), queueConfig: { queueUrl: `${endpoint}/${accountId}/ghost-queue-does-not-exist` } });
    try {
      expect(await codeOf(queueStatus(ghost.deps, ghost.queue, 'cli:test'))).toBe('DLQ_QUEUE_MISSING');
      expect(await codeOf(peekMessages(ghost.deps, ghost.queue, 1, 'cli:test'))).toBe('DLQ_QUEUE_MISSING');
    } finally {
      await ghost.cleanup();
    }
  });
});
