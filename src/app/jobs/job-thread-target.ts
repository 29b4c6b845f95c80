// Where a job's Slack messages go (the job root, an approval request): the thread of the job's
// incident, else the thread of the message the command came from, else nowhere yet (the caller posts
// to the command's channel). Shared by the job follower and the approval requests.

import type { Job } from '../../core/model.ts';
import type { Store } from '../../ports/store.port.ts';
import type { CommandContext } from '../shared/command-context.ts';

export interface ThreadTarget {
  channel: string;
  threadTs: string;
}

/** The incident's thread, else the origin message's thread (or the message itself); null when neither. */
export const jobThreadTarget = async (store: Pick<Store, 'getIncident'>, job: Job, context: CommandContext): Promise<ThreadTarget | null> => {
  if (job.incidentId) {
    const incident = await store.getIncident(job.incidentId);
    if (incident?.slackChannel && incident.slackTs) return { channel: incident.slackChannel, threadTs: incident.slackTs };
  }
  const origin = context.origin;
  const originTs = origin ? (origin.threadTs ?? origin.messageTs) : null;
  return origin && originTs ? { channel: origin.channel, threadTs: originTs } : null;
};
