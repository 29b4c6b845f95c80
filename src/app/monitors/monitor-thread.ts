// Where `/dlq monitor` readings go in Slack: the open incident's thread when the queue has one, else
// the thread of the message a button was on, else a new message in the channel the command came
// from, with the later readings as replies under it. One poster per monitor, so its thread is kept
// (and stored with the monitor, so the replica running it later posts in the same thread).
// A sleep on the Timers port, so tests drive the interval by hand. It renders nothing: the reading's
// message comes from the injected renderer.

import type { Chat, ChatMessage } from '../../ports/chat.port.ts';
import type { Store } from '../../ports/store.port.ts';
import type { Timers } from '../../ports/timers.port.ts';
import type { CommandContext } from '../shared/command-context.ts';
import type { MonitorPost } from './monitor.use-case.ts';
import type { Sleep } from '../shared/queue-deps.ts';
import type { StatusView } from '../shared/queue-status.ts';
import type { Logger } from '../../ports/logger.port.ts';

export interface MonitorThreadDeps {
  store: Pick<Store, 'findOpenIncident'>;
  /** Where messages go; null without Slack (nothing is posted). */
  chat: Chat | null;
  renderReading: RenderMonitorReading;
  logger?: Pick<Logger, 'warn'>;
}

/** Renders one reading as a chat message (presentation/slack/replies/monitor-replies.ts). */
export type RenderMonitorReading = (view: StatusView) => ChatMessage;

/** Where a monitor's readings go: a channel and the thread they are replies in. */
export interface MonitorThread {
  channel: string;
  threadTs: string;
}

/** A poster that also tells which thread it settled on (stored with the monitor, stored-monitors.ts). */
export type ThreadedMonitorPost = MonitorPost & { thread(): MonitorThread | null };

export const monitorThreadPoster = (deps: MonitorThreadDeps) => (queue: string, ctx: CommandContext): ThreadedMonitorPost => {
  let thread: MonitorThread | null = null;
  const post: MonitorPost = async (_queue, view) => {
    const chat = deps.chat;
    if (!chat) return;
    const message = deps.renderReading(view);
    if (!thread) {
      const incident = await deps.store.findOpenIncident(view.status.queue);
      const originTs = ctx.origin ? (ctx.origin.threadTs ?? ctx.origin.messageTs) : null;
      if (incident?.slackChannel && incident.slackTs) thread = { channel: incident.slackChannel, threadTs: incident.slackTs };
      else if (ctx.origin && originTs) thread = { channel: ctx.origin.channel, threadTs: originTs };
      else if (ctx.channelId) {
        const posted = await chat.post(ctx.channelId, message);
        if (posted.ok) thread = { channel: posted.value.channel, threadTs: posted.value.ts };
        else deps.logger?.warn({ queue, code: posted.failure.code, channel: ctx.channelId }, 'monitor reading not posted');
        return;
      } else return;
    }
    const posted = await chat.reply(thread.channel, thread.threadTs, message);
    if (!posted.ok) deps.logger?.warn({ queue, code: posted.failure.code, channel: thread.channel }, 'monitor reading not posted');
  };
  return Object.assign(post, { thread: () => thread });
};

/** A Sleep on the Timers port (resolves early when aborted). */
export const timersSleep = (timers: Timers): Sleep => (ms, signal) =>
  new Promise((resolve) => {
    if (ms <= 0 || signal?.aborted) return resolve();
    const handle = timers.setTimeout(done, ms);
    function done(): void {
      timers.clearTimeout(handle);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
