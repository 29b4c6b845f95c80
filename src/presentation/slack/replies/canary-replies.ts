// What the canary and the post-replay watch say: the canary watching, passed, or paused with what came
// back (and, in Slack, Continue / Cancel buttons), and a watch's count of returns with their new error
// signatures. Pure; queue text goes through reply-format's safeText and code.

import { context, section, type Block, type Reply } from '../block-kit/blocks.ts';
import { JOB_ACTIONS } from '../block-kit/interactive-actions.ts';
import type { Job } from '../../../core/model.ts';
import { formatAge } from '../../../core/text/time-format.ts';
import { code, reply, safeText, textTable } from './reply-format.ts';
import type { ReturnedReplay } from '../../../app/jobs/replay-watch.ts';
import type { WatchResultFacts } from '../../../app/jobs/job-thread-messages.ts';
import { BUTTON_VALUE_MAX } from '../block-kit/slack-limits.ts';

const SHOWN = 10;

const seconds = (ms: number): string => formatAge(Math.round(ms / 1000));

/** Each returned message: the DLQ key it had, the one it has now, its trace id, and the new error. */
const returnsTable = (returns: readonly ReturnedReplay[]): string =>
  textTable(
    ['REPLAYED', 'BACK AS', 'TRACE ID', 'RECEIVES', 'NEW ERROR SIGNATURE'],
    returns.slice(0, SHOWN).map((r) => [r.replayedKey, r.messageKey, r.traceId, r.receiveCount, r.signature]),
  ) + (returns.length > SHOWN ? `\n… and ${returns.length - SHOWN} more` : '');

/** Grouped: how many came back with each new error signature, most first. */
export const signatureCounts = (returns: readonly ReturnedReplay[]): [string, number][] => {
  const counts = new Map<string, number>();
  for (const r of returns) counts.set(r.signature, (counts.get(r.signature) ?? 0) + 1);
  return [...counts.entries()].sort((a, b) => b[1] - a[1]);
};

export const canaryButtons = (job: Job): Block => ({
  type: 'actions',
  block_id: 'canary_actions',
  elements: [
    {
      type: 'button',
      action_id: JOB_ACTIONS.continueAfterCanary,
      text: { type: 'plain_text', text: 'Continue' },
      style: 'primary',
      value: JSON.stringify({ q: job.queue, id: job.id }).slice(0, BUTTON_VALUE_MAX),
      confirm: {
        title: { type: 'plain_text', text: 'Replay the rest?' },
        text: { type: 'mrkdwn', text: 'The canary came back: continue only if the downstream is fixed. Every remaining message is replayed.' },
        confirm: { type: 'plain_text', text: 'Continue' },
        deny: { type: 'plain_text', text: 'Stay paused' },
      },
    },
    {
      type: 'button',
      action_id: JOB_ACTIONS.cancel,
      text: { type: 'plain_text', text: 'Cancel' },
      style: 'danger',
      value: job.id.slice(0, BUTTON_VALUE_MAX),
    },
  ],
});

export const renderCanaryWatching = (job: Job, count: number, watchMs: number): Reply => {
  const text = `Job ${job.id} on ${job.queue}: canary of ${count} replayed; watching the DLQ ${seconds(watchMs)} for them before replaying the rest`;
  return reply(text, [context(`:hatching_chick: ${safeText(text, 1_000)}`)]);
};

export const renderCanaryPassed = (job: Job, count: number, watchMs: number): Reply => {
  const text = `Job ${job.id} on ${job.queue}: canary passed, none of ${count} came back within ${seconds(watchMs)}; replaying the rest`;
  return reply(text, [context(`:white_check_mark: ${safeText(text, 1_000)}`)]);
};

/**
 * The job paused on its canary: which came back and why. `how` says how to go on (Slack: the
 * buttons; the terminal: resume / cancel commands).
 */
export const renderCanaryPaused = (job: Job, count: number, returns: readonly ReturnedReplay[], surface: 'slack' | 'terminal'): Reply => {
  const title = `Job ${job.id} on ${job.queue} paused: ${returns.length} of ${count} canary message(s) came back to the DLQ`;
  const why = signatureCounts(returns).slice(0, 3).map(([s, n]) => `${n}× ${s}`).join('; ');
  const how =
    surface === 'slack'
      ? 'Nothing beyond the canary was replayed. Fix the downstream, then Continue replays the rest; Cancel stops the job.'
      : `Nothing beyond the canary was replayed. Fix the downstream, then \`resume ${job.queue} ${job.id}\` replays the rest; \`cancel ${job.id}\` stops the job.`;
  return reply(title, [
    section(`:octagonal_sign: ${safeText(title, 500)}`),
    section(`New failure: ${safeText(why, 1_000)}`),
    section(code(returnsTable(returns))),
    context(safeText(how, 500)),
    ...(surface === 'slack' ? [canaryButtons(job)] : []),
  ]);
};

/** The post-replay watch's report: how many of the replayed messages came back, and why. */
export const renderWatchResult = (facts: WatchResultFacts): Reply => {
  const { returns } = facts;
  if (returns.length === 0) {
    const text = `Post-replay watch on ${facts.queue}: none of the ${facts.replayed} message(s) replayed by ${facts.what} came back within ${seconds(facts.watchMs)}`;
    return reply(text, [context(`:eyes: ${safeText(text, 1_000)}`)]);
  }
  const title = `Post-replay watch on ${facts.queue}: ${returns.length} of ${facts.replayed} message(s) replayed by ${facts.what} came back to the DLQ within ${seconds(facts.watchMs)}`;
  const why = signatureCounts(returns).slice(0, 5).map(([s, n]) => `${n}× ${s}`).join('\n');
  return reply(title, [section(`:rotating_light: ${safeText(title, 600)}`), section(`New error signatures:\n${code(why, [], 1_500)}`), section(code(returnsTable(returns)))]);
};
