// The Slack rendering of what a job says in its thread (app/jobs/job-thread-messages.ts): each call
// maps to a job or canary renderer and hands back only text and blocks. Pure.

import type { JobThreadMessage, JobThreadMessages } from '../../../app/jobs/job-thread-messages.ts';
import type { Reply } from '../block-kit/blocks.ts';
import { renderCanaryPassed, renderCanaryPaused, renderCanaryWatching, renderWatchResult } from './canary-replies.ts';
import { cancelButton, renderJobEnded, renderJobFinalProgress, renderJobProgress, renderJobResult, renderJobRoot, renderJobStarted, renderJobTakenOver } from './job-messages.ts';

const message = (reply: Reply): JobThreadMessage => ({ text: reply.text, blocks: reply.blocks });

export const slackJobThreadMessages: JobThreadMessages = {
  root: (job) => message(renderJobRoot(job)),
  progress: (job, progress) => message(renderJobProgress(job, progress)),
  finalProgress: (job) => message(renderJobFinalProgress(job)),
  result: (facts) => message(renderJobResult(facts)),
  ended: (job) => message(renderJobEnded(job)),
  takenOver: (job, replica) => message(renderJobTakenOver(job, replica)),
  moveTaskStarted: (task, where) => {
    const note = renderJobStarted(task, where);
    return { text: note.text, blocks: [...note.blocks, cancelButton(task.id)] };
  },
  canaryWatching: (job, count, watchMs) => message(renderCanaryWatching(job, count, watchMs)),
  canaryPassed: (job, count, watchMs) => message(renderCanaryPassed(job, count, watchMs)),
  canaryPaused: (job, count, returns) => message(renderCanaryPaused(job, count, returns, 'slack')),
  watchResult: (facts) => message(renderWatchResult(facts)),
};
