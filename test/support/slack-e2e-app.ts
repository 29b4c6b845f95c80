// The real app on a fresh ElasticMQ source + DLQ pair (or on a Kafka DLQ topic of the real broker) with the local Slack API server, for the
// interactive-surface e2e tests: signed clicks, modal submissions and slash commands, and readers for
// what Slack got back (response_url answers, thread replies, views). Test support only.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ReceiveMessageCommand } from '@aws-sdk/client-sqs';
import { expect, vi } from 'vitest';
import type { Logger } from '../../src/adapters/outbound/logging/pino-logger.ts';
import { silentLogger } from './log-capture.ts';
import { parseConfig, resolveSecrets, type Secrets } from '../../src/config/load-config.ts';
import type { Config } from '../../src/config/config.schema.ts';
import type { Incident } from '../../src/core/model.ts';
import { PEEK_PAGE_ACTIONS } from '../../src/presentation/slack/block-kit/interactive-actions.ts';
import { startServer, type Runtime, type ServerOptions } from '../../src/main.ts';
import { manualTimers } from '../../src/ports/timers.port.ts';
import { createQueuePair, deleteQueues, services, testSqsClient, TEST_CREDENTIALS, type CreatedQueue } from '../integration/sqs/sqs-test-env.ts';
import { KafkaTestBench, kafkaBrokers } from '../integration/kafka/kafka-test-env.ts';
import { requireServices, uniqueName, waitFor } from './services.ts';
import { sendBlockActions, sendSlashCommand, sendViewSubmission, type SignedSendOptions, type SlackHttpResponse } from './signed-slack.ts';
import { buildBlockActions, buildView, buildViewSubmission, buttonAction, newSlackTs, type StateValues } from './slack-payloads.ts';
import { startSlackApiServer, type RecordedCall, type SlackApiServer } from './slack-api-server.ts';
import { TEST_BOT_TOKEN, TEST_SIGNING_SECRET } from './slack-workspace.ts';

export const CHANNEL = 'C_ALERTS';

export interface SlackE2e {
  app: Runtime;
  slack: SlackApiServer;
  sqs: ReturnType<typeof testSqsClient>;
  pair: { source: CreatedQueue; dlq: CreatedQueue };
  queue: string;
  /** `/dlq <text>` from `user` in C_ALERTS; resolves with the response_url answer. */
  dlq(text: string, user?: string): Promise<RecordedCall>;
  /** A signed click on a button of a message (`messageTs`, optional thread) or of a modal (`view`). */
  click(input: { actionId: string; value: string; user?: string; messageTs?: string; threadTs?: string; view?: Record<string, unknown>; responseUrl?: string }, options?: SignedSendOptions): Promise<SlackHttpResponse>;
  /** A signed view_submission of a modal Redrive opened (its callback and metadata) with these values. */
  submit(view: { callback_id: string; private_metadata: string }, values: StateValues, user?: string): Promise<SlackHttpResponse>;
  /** Bodies now in the source queue (received and left there: visibility 0). */
  sourceBodies(): Promise<string[]>;
  close(): Promise<void>;
}

const quietLogger = () => silentLogger();

/**
 * The config and secrets of a test app on the SQS emulator: HTTP server on a free loopback port, the
 * SQLite store in `dir`, the local Slack API server at `slackUrl`, the given queues and roles.
 */
export const sqsAppConfig = (options: {
  dir: string;
  slackUrl: string;
  queues: Record<string, unknown>[];
  roles: Record<string, unknown>;
  config?: Record<string, unknown> | undefined;
}): { config: Config; secrets: Secrets } => {
  const endpoints = requireServices(services);
  const parsed = parseConfig({
    server: { host: '127.0.0.1', port: 0 },
    store: { kind: 'sqlite', path: join(options.dir, 'redrive.db') },
    slack: { apiUrl: options.slackUrl, mode: 'http' },
    aws: { region: endpoints.sqs.region, sqsEndpoint: endpoints.sqs.endpoint },
    roles: options.roles,
    queues: options.queues,
    ...options.config,
  });
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems));
  return { config: parsed.config, secrets: resolveSecrets(parsed.config, { SLACK_BOT_TOKEN: TEST_BOT_TOKEN, SLACK_SIGNING_SECRET: TEST_SIGNING_SECRET }) };
};

export interface KafkaSlackE2e {
  app: Runtime;
  slack: SlackApiServer;
  /** The test broker's bench: the caller's when it passed one, else the helper's own (closed by `close`). */
  bench: KafkaTestBench;
  queue: string;
  dlqTopic: string;
  /** The configured replay topic; undefined when replays go to the original topics. */
  replayTopic: string | undefined;
  /** `/dlq <text>` from `user` (U_ALICE, an admin, by default) in C_ALERTS; resolves with the response_url answer. */
  dlq(text: string, user?: string): Promise<RecordedCall>;
  /** A signed click from U_ALICE on a button of the message `messageTs`; resolves with the HTTP status. */
  click(actionId: string, value: string, messageTs: string): Promise<number>;
  close(): Promise<void>;
}

export interface KafkaSlackE2eOptions {
  /**
   * The DLQ: name (`<prefix>-dlq`), topic (a fresh `<prefix>-dlq` topic), consumer group (unique per
   * run) and replay topic (a fresh `<prefix>-pending` topic; `null` for none: replays go to the
   * original topics the headers name).
   */
  queue?: { name?: string; topic?: string; group?: string; replayTopic?: string | null };
  /** Default: U_ALICE admin, everyone a viewer. */
  roles?: Record<string, unknown>;
  /** Default: `redrive-<prefix>`. */
  clientId?: string;
  /** The app's logger (default: a silent one at warn). */
  logger?: Logger;
  server?: ServerOptions;
  /** A bench the caller connected (and closes); by default the helper connects its own. */
  bench?: KafkaTestBench;
}

/**
 * The real app on one Kafka DLQ topic of the test broker (the Kafka counterpart of startSlackE2e),
 * with its own local Slack API server and SQLite store in a temporary directory; resolves once
 * Slack's auth.test was answered. `close` stops both, removes the directory and closes the helper's bench.
 */
export const startKafkaSlackE2e = async (prefix: string, options: KafkaSlackE2eOptions = {}): Promise<KafkaSlackE2e> => {
  const bench = options.bench ?? (await new KafkaTestBench().connect());
  const dlqTopic = options.queue?.topic ?? (await bench.createTopic(`${prefix}-dlq`));
  const replayTopic = options.queue?.replayTopic === null ? undefined : (options.queue?.replayTopic ?? (await bench.createTopic(`${prefix}-pending`)));
  const queue = options.queue?.name ?? `${prefix}-dlq`;
  const slack = await startSlackApiServer();
  const dir = mkdtempSync(join(tmpdir(), `redrive-${prefix}-e2e-`));
  const parsed = parseConfig({
    server: { host: '127.0.0.1', port: 0 },
    store: { kind: 'sqlite', path: join(dir, 'redrive.db') },
    slack: { apiUrl: slack.url, mode: 'http' },
    kafka: { default: { brokers: kafkaBrokers(), clientId: options.clientId ?? `redrive-${prefix}` } },
    roles: options.roles ?? { admins: ['U_ALICE'], viewers: 'everyone' },
    queues: [{
      name: queue, kind: 'kafka', cluster: 'default', topic: dlqTopic, consumerGroup: options.queue?.group ?? uniqueName(prefix),
      ...(replayTopic ? { replayTopic } : {}), alertChannel: CHANNEL, escalation: { preset: 'kafka-runbook' },
    }],
  });
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems));
  const secrets = resolveSecrets(parsed.config, { SLACK_BOT_TOKEN: TEST_BOT_TOKEN, SLACK_SIGNING_SECRET: TEST_SIGNING_SECRET });
  const app = await startServer(parsed.config, secrets, options.logger ?? quietLogger(), { slackRetries: 0, ...options.server });
  await slack.waitForCalls('auth.test', 1);
  return {
    app, slack, bench, queue, dlqTopic, replayTopic,
    dlq: (text, user = 'U_ALICE') => slashCommand(app.url, slack, text, user, {}, 30_000),
    click: async (actionId, value, messageTs) => (await signedClick(app.url, slack, { actionId, value, messageTs })).status,
    close: async () => {
      await app.stop();
      await slack.close();
      if (!options.bench) await bench.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
};

/** `/dlq <text>` from `user` in C_ALERTS; resolves with the response_url answer (throws on a non-200 or none in `timeoutMs`). */
const slashCommand = async (appUrl: string, slack: SlackApiServer, text: string, user: string, sendOptions: SignedSendOptions, timeoutMs: number): Promise<RecordedCall> => {
  const responseUrl = slack.mintResponseUrl({ channel: CHANNEL });
  const sent = await sendSlashCommand(appUrl, TEST_SIGNING_SECRET, { text, user_id: user, channel_id: CHANNEL, response_url: responseUrl }, sendOptions);
  if (sent.status !== 200) throw new Error(`/dlq ${text}: HTTP ${sent.status}`);
  // This command's own answer (its response_url), not the next answer of any: tests run commands side by side.
  return waitFor(() => slack.callsTo('response_url').find((c) => c.url === responseUrl), { timeoutMs, description: `the answer to /dlq ${text}` });
};

export const startSlackE2e = async (
  prefix: string,
  options: { config?: Record<string, unknown>; server?: ServerOptions; /** The app's logger (default: a silent one at warn). */ logger?: Logger; queue?: Record<string, unknown>; /** More queues, configured after the pair's. */ extraQueues?: Record<string, unknown>[] } = {},
): Promise<SlackE2e> => {
  vi.stubEnv('AWS_ACCESS_KEY_ID', TEST_CREDENTIALS.accessKeyId);
  vi.stubEnv('AWS_SECRET_ACCESS_KEY', TEST_CREDENTIALS.secretAccessKey);
  const sqs = testSqsClient();
  const pair = await createQueuePair(sqs, prefix);
  const queue = pair.dlq.name;
  const slack = await startSlackApiServer();
  const dir = mkdtempSync(join(tmpdir(), `redrive-${prefix}-e2e-`));
  const { config, secrets } = sqsAppConfig({
    dir,
    slackUrl: slack.url,
    queues: [{ name: queue, kind: 'sqs', queueUrl: pair.dlq.url, alertChannel: CHANNEL, escalation: { preset: 'sqs-runbook' }, ...options.queue }, ...(options.extraQueues ?? [])],
    roles: { admins: ['U_ALICE', 'U_BOB'], viewers: 'everyone' },
    config: options.config,
  });
  const app = await startServer(config, secrets, options.logger ?? quietLogger(), { slackRetries: 0, timers: manualTimers(), replicaId: prefix, ...options.server });
  await slack.waitForCalls('auth.test', 1);
  // Requests are dated on the app's clock when the test drives one: the app refuses a request more than
  // 5 minutes off its own time (a test may still pass its own `now` to send a skewed one).
  const appClock = options.server?.clock;
  const onAppClock = appClock ? { now: () => appClock.now().getTime() } : {};

  return {
    app, slack, sqs, pair, queue,
    dlq: (text, user = 'U_ALICE') => slashCommand(app.url, slack, text, user, onAppClock, 20_000),
    click: (input, sendOptions) => signedClick(app.url, slack, input, { ...onAppClock, ...sendOptions }),
    submit: (view, values, user = 'U_ALICE') =>
      sendViewSubmission(app.url, TEST_SIGNING_SECRET, buildViewSubmission({ user_id: user, callback_id: view.callback_id, private_metadata: view.private_metadata, values }), onAppClock),
    sourceBodies: async () => {
      const received = await sqs.send(new ReceiveMessageCommand({ QueueUrl: pair.source.url, MaxNumberOfMessages: 10, VisibilityTimeout: 0, WaitTimeSeconds: 1 }));
      return (received.Messages ?? []).map((m) => m.Body ?? '');
    },
    close: async () => {
      await app.stop();
      await slack.close();
      await deleteQueues(sqs, pair.source.url, pair.dlq.url);
      sqs.destroy();
      vi.unstubAllEnvs();
      rmSync(dir, { recursive: true, force: true });
    },
  };
};

/** A signed click (block_actions) from C_ALERTS on a button of a message (optionally in a thread) or of a modal. */
export const signedClick = (
  appUrl: string,
  slack: SlackApiServer,
  input: Parameters<SlackE2e['click']>[0],
  sendOptions?: SignedSendOptions,
): Promise<SlackHttpResponse> =>
  sendBlockActions(appUrl, TEST_SIGNING_SECRET, buildBlockActions({
    user_id: input.user ?? 'U_ALICE',
    channel_id: CHANNEL,
    actions: [buttonAction({ action_id: input.actionId, value: input.value })],
    ...(input.view ? { view: input.view } : { message: { ts: input.messageTs ?? newSlackTs(), ...(input.threadTs ? { thread_ts: input.threadTs } : {}) } }),
    ...(input.view ? {} : { response_url: input.responseUrl ?? slack.mintResponseUrl({ channel: CHANNEL, ...(input.messageTs ? { messageTs: input.messageTs } : {}) }) }),
  }), sendOptions);

/** The view a views.open / views.push / views.update / views.publish call sent. */
export const viewOf = (call: RecordedCall | undefined): Record<string, unknown> => (call?.args.view ?? {}) as Record<string, unknown>;

/** A modal as Slack would send it back in a click from inside it. */
export const openedView = (call: RecordedCall | undefined): Record<string, unknown> => {
  const view = viewOf(call);
  const id = ((call?.response as { view?: { id?: string } } | undefined)?.view?.id) ?? 'V_UNKNOWN';
  return buildView({ id, callback_id: String(view.callback_id ?? ''), private_metadata: String(view.private_metadata ?? ''), blocks: (view.blocks as unknown[]) ?? [] });
};

/** Every string Slack would render in a call's text, blocks or view (button values left out). */
export const shown = (call: RecordedCall | undefined): string => {
  const walk = (value: unknown): string[] => {
    if (typeof value === 'string') return [value];
    if (Array.isArray(value)) return value.flatMap(walk);
    if (value && typeof value === 'object') return Object.entries(value).filter(([k]) => k !== 'value' && k !== 'private_metadata').flatMap(([, v]) => walk(v));
    return [];
  };
  return walk([call?.args.text, call?.args.blocks, call?.args.view]).join('\n');
};

/** The queue's latest incident (the open one while there is one); throws when it has none. */
export const latestIncident = async (e: Pick<SlackE2e, 'app' | 'queue'>): Promise<Incident> => {
  const [found] = await e.app.store.listIncidents({ queue: e.queue, limit: 1 });
  if (!found) throw new Error(`no incident on ${e.queue}`);
  return found;
};

/** The job id an answer to redrive-all / redrive-batch / resume names ("… job `<id>` on …"); '' when none. */
export const jobIdIn = (call: RecordedCall | undefined): string => /\bjob `([^`]+)`/.exec(shown(call))?.[1] ?? '';

/** The buttons in blocks (or a view's blocks): action id and value. */
export const buttonsIn = (call: RecordedCall | undefined): { action_id: string; value: string; confirm?: unknown }[] => {
  const blocks = ((call?.args.blocks ?? (call?.args.view as { blocks?: unknown[] } | undefined)?.blocks) ?? []) as { type: string; elements?: { action_id: string; value: string; confirm?: unknown }[] }[];
  return blocks.flatMap((b) => (b.type === 'actions' ? (b.elements ?? []) : []));
};

/**
 * Follows Next from the first page to the last through signed clicks; every page must have been
 * accepted by the local Slack API server (valid Block Kit within limits). Returns the pages.
 */
export const followPeekPages = async (slack: SlackApiServer, first: RecordedCall, click: (actionId: string, value: string) => Promise<number>): Promise<RecordedCall[]> => {
  const pages = [first];
  for (let guard = 0; guard < 10; guard += 1) {
    const next = buttonsIn(pages.at(-1)).find((b) => b.action_id === PEEK_PAGE_ACTIONS.next);
    if (!next) break;
    const before = slack.callsTo('response_url').length;
    expect(await click(PEEK_PAGE_ACTIONS.next, next.value)).toBe(200);
    const [page] = (await slack.waitForCalls('response_url', before + 1, 30_000)).slice(before);
    expect(page?.status).toBe(200);
    expect(page?.args.replace_original).toBe(true);
    pages.push(page!);
  }
  return pages;
};
