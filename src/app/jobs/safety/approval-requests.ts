// Two-person approval requests (issue 14), stored with the jobs: a `redrive-approval` job row,
// `pending` until a second person approves (then `succeeded`, and the job it asked for starts),
// rejects or it expires (both `cancelled`). The first decision wins across replicas: each claims the
// idempotency key `approval:<id>` before writing. Expiry runs on the poller's timers (the replica
// holding the poller lease), so it survives restarts and failover like jobs do. Pre-flight runs
// again before an approved job starts.

import { decideApprovalClick, type ApprovalPolicy, type ApprovalRequestState } from '../../../core/safety/approval-decision.ts';
import { redriveApprovalOf } from '../../../core/job/job-kinds.ts';
import type { Job, JobThread, JsonObject } from '../../../core/model.ts';
import { RedriveError } from '../../../errors.ts';
import type { Chat, ChatMessage } from '../../../ports/chat.port.ts';
import type { CommandContext } from '../../shared/command-context.ts';
import { writeAudit } from '../../shared/audit-trail.ts';
import { jobThreadTarget } from '../job-thread-target.ts';
import type { QueueDeps } from '../../shared/queue-deps.ts';
import { runPreflight, type PreflightDeps } from './preflight.use-case.ts';
import type { ApprovalFacts, ApprovalMessages, ApprovalOutcome, RedriveCommand } from './approval-messages.ts';
import type { Logger } from '../../../ports/logger.port.ts';

export const APPROVAL_KIND = 'redrive-approval';

/** `R`: the answer a command handler returns to its transport (the router's reply). */
export interface ApprovalRequestsDeps<R> {
  queue: QueueDeps;
  /** Where messages go; null without Slack (nothing is posted). */
  chat: Chat | null;
  /** Renders the request and the answers (presentation/slack/replies/safety-replies.ts). */
  messages: ApprovalMessages<R>;
  preflight: PreflightDeps;
  policyFor(queue: string): ApprovalPolicy | null;
  /** Whether the actor holds the admin role on the queue (for `adminMayApproveAlone`). */
  isAdmin(actor: string, queue: string): Promise<boolean>;
  logger?: Pick<Logger, 'warn'>;
}

/** Starts the job a request asked for, as the starter would have (the ungated handler). */
export type StartJob<R> = (command: RedriveCommand, context: CommandContext) => Promise<R>;

export interface ApprovalRequests<R> {
  /** Stores a pending request, posts it with Approve / Reject, and answers the starter. */
  request(input: { command: RedriveCommand; context: CommandContext; plannedCount: number | null; policy: ApprovalPolicy }): Promise<R>;
  /** An Approve or Reject (button or `/dlq approve|reject`): refused, or decided and, when approved, started. */
  decide(command: { op: 'approve' | 'reject'; queue: string; requestId: string }, context: CommandContext, start: StartJob<R>): Promise<R>;
  /** Expires every pending request past its time; returns their ids. Never throws. */
  expireDue(): Promise<string[]>;
}

/** The planned count that decides approval: --count N, else the queue's depth (null when unreadable). */
export const plannedCountOf = async (deps: QueueDeps, command: RedriveCommand): Promise<number | null> => {
  if (command.op === 'redrive-batch' && command.count !== null) return command.count;
  try {
    return (await deps.registry.get(command.queue).dlq.status()).depth;
  } catch {
    return null;
  }
};

interface StoredRequest {
  facts: ApprovalFacts;
  state: ApprovalRequestState;
  channelId: string | null;
  job: Job;
}

const text = (value: unknown): string | null => (typeof value === 'string' ? value : null);

/** The stored request; null when the job is not an approval request (or its row does not decode). */
const requestOf = (job: Job): StoredRequest | null => {
  const p = redriveApprovalOf(job)?.params;
  if (!p) return null;
  const expiresAt = new Date(p.expiresAt ?? 0);
  const outcome = text((job.checkpoint as Record<string, unknown>).outcome);
  const status: ApprovalRequestState['status'] =
    job.status === 'pending' ? 'pending' : job.status === 'succeeded' || outcome === 'approved' ? 'approved' : outcome === 'expired' ? 'expired' : 'rejected';
  return {
    facts: {
      requestId: job.id,
      command: p.command,
      requestedBy: job.createdBy,
      plannedCount: p.plannedCount,
      above: p.above,
      expiresAt,
      override: p.override,
    },
    state: { requestedBy: job.createdBy, expiresAt, status },
    channelId: p.channelId,
    job,
  };
};

export const createApprovalRequests = <R>(deps: ApprovalRequestsDeps<R>): ApprovalRequests<R> => {
  const { store, clock } = deps.queue;
  const { messages } = deps;

  /** Where the request is posted: the incident's thread, the clicked message's thread, or the channel. */
  const post = async (job: Job, context: CommandContext, message: ChatMessage): Promise<JobThread | null> => {
    const chat = deps.chat;
    if (!chat) return null;
    const target = await jobThreadTarget(store, job, context);
    if (target) {
      const posted = await chat.reply(target.channel, target.threadTs, message);
      return posted.ok ? { ...target, startTs: posted.value.ts, progressTs: null } : null;
    }
    if (!context.channelId) return null;
    const posted = await chat.post(context.channelId, message);
    return posted.ok ? { channel: posted.value.channel, threadTs: posted.value.ts, startTs: posted.value.ts, progressTs: null } : null;
  };

  /** Writes the decision once (the key's first claimer wins), edits the request message, audits. */
  const settle = async (request: StoredRequest, outcome: ApprovalOutcome): Promise<boolean> => {
    if (!(await store.claimIdempotencyKey(`approval:${request.job.id}`, clock.now(), { outcome: outcome.outcome }))) return false;
    const by = outcome.outcome === 'expired' ? 'system' : outcome.by;
    await store.updateJob(request.job.id, {
      status: outcome.outcome === 'approved' ? 'succeeded' : 'cancelled',
      error: outcome.outcome === 'approved' ? null : outcome.outcome === 'expired' ? 'approval expired' : `rejected by ${by}`,
      checkpoint: { outcome: outcome.outcome, decidedBy: by, decidedAt: outcome.at.toISOString() },
      updatedAt: clock.now(),
    });
    await writeAudit(deps.queue, { action: `approval:${outcome.outcome === 'approved' ? 'approve' : outcome.outcome === 'rejected' ? 'reject' : 'expire'}`, queue: request.job.queue, actor: by, jobId: request.job.id }, 'success', null, {
      requestedBy: request.facts.requestedBy,
      requestedAt: request.job.createdAt.toISOString(),
      plannedCount: request.facts.plannedCount,
      command: request.facts.command.op,
    });
    const thread = request.job.thread;
    const chat = deps.chat;
    if (chat && thread?.startTs) {
      const edited = await chat.update(thread.channel, thread.startTs, messages.decided(request.facts, outcome));
      if (!edited.ok) deps.logger?.warn({ jobId: request.job.id, code: edited.failure.code }, 'approval request message not edited');
    }
    return true;
  };

  const load = async (queue: string, requestId: string): Promise<StoredRequest> => {
    const backend = deps.queue.registry.get(queue);
    const job = await store.getJob(requestId);
    const request = job && job.queue === backend.name ? requestOf(job) : null;
    if (!request) {
      throw new RedriveError('JOB_NOT_FOUND', `No approval request ${requestId} on ${backend.name}.`, { context: { jobId: requestId, queue: backend.name } });
    }
    return request;
  };

  return {
    request: async ({ command, context, plannedCount, policy }) => {
      const backend = deps.queue.registry.get(command.queue);
      const now = clock.now();
      const expiresAt = new Date(now.getTime() + policy.expiresAfterMs);
      const id = deps.queue.newId?.() ?? crypto.randomUUID();
      const incident = await store.findOpenIncident(backend.name);
      const params = {
        command: command as unknown as JsonObject,
        plannedCount,
        above: policy.above,
        adminMayApproveAlone: policy.adminMayApproveAlone,
        expiresAt: expiresAt.toISOString(),
        override: command.override ?? null,
        channelId: context.channelId,
      };
      const job = await store.createJob({ id, kind: APPROVAL_KIND, queue: backend.name, params: params as unknown as JsonObject, createdBy: context.actor, createdAt: now, incidentId: incident?.id ?? null, total: plannedCount });
      const facts: ApprovalFacts = { requestId: id, command, requestedBy: context.actor, plannedCount, above: policy.above, expiresAt, override: command.override ?? null };
      const thread = await post(job, context, messages.request(facts)).catch(() => null);
      if (thread) await store.updateJob(id, { thread, updatedAt: clock.now() });
      await writeAudit(deps.queue, { action: 'approval:request', queue: backend.name, actor: context.actor, jobId: id }, 'success', null, {
        command: command.op,
        plannedCount,
        above: policy.above,
        expiresAt: expiresAt.toISOString(),
      });
      return messages.requested(facts, thread !== null);
    },

    decide: async (command, context, start) => {
      const request = await load(command.queue, command.requestId);
      const policy = deps.policyFor(request.job.queue) ?? { above: request.facts.above, adminMayApproveAlone: false, expiresAfterMs: 0 };
      const selfApproval = command.op === 'approve' && context.actor === request.facts.requestedBy && policy.adminMayApproveAlone;
      const actorIsAdmin = selfApproval ? await deps.isAdmin(context.actor, request.job.queue) : false;
      const now = clock.now();
      const click = decideApprovalClick({ request: request.state, actor: context.actor, action: command.op, actorIsAdmin, policy, now });
      const audit = { action: `approval:${command.op}`, queue: request.job.queue, actor: context.actor, jobId: request.job.id };
      if (!click.ok) {
        if (click.why === 'expired' && request.state.status === 'pending') await settle(request, { outcome: 'expired', at: request.facts.expiresAt });
        await writeAudit(deps.queue, audit, 'denied', click.text, { why: click.why });
        return messages.refused(click.text);
      }
      if (command.op === 'reject') {
        if (!(await settle(request, { outcome: 'rejected', by: context.actor, at: now }))) return messages.refused('This request was already decided.');
        return messages.refused(`Rejected request ${request.job.id}; nothing was replayed.`);
      }
      // Pre-flight again: the downstream may have broken since the request was made.
      const preflight = await runPreflight(deps.preflight, { queue: request.job.queue, actor: context.actor, override: request.facts.override, purpose: 'approve', jobId: request.job.id });
      if (preflight.verdict === 'blocked') {
        return messages.preflightBlocked(request.facts.command, preflight, `The request stays open until ${request.facts.expiresAt.toISOString()}: approve again once the checks pass.`);
      }
      if (!(await settle(request, { outcome: 'approved', by: context.actor, at: now }))) return messages.refused('This request was already decided.');
      const thread = request.job.thread;
      const startContext: CommandContext = {
        actor: request.facts.requestedBy,
        channelId: request.channelId,
        transport: context.transport,
        ...(thread ? { origin: { channel: thread.channel, messageTs: thread.startTs, threadTs: thread.threadTs } } : {}),
      };
      return start(request.facts.command, startContext);
    },

    expireDue: async () => {
      const expired: string[] = [];
      try {
        const pending = await store.listJobs({ status: ['pending'], limit: 200 });
        const now = clock.now();
        for (const job of pending) {
          const request = requestOf(job);
          if (!request || request.facts.expiresAt.getTime() > now.getTime()) continue;
          if (await settle(request, { outcome: 'expired', at: request.facts.expiresAt })) expired.push(job.id);
        }
      } catch (error) {
        deps.logger?.warn({ err: error }, 'approval expiry sweep failed; the next poll tries again');
      }
      return expired;
    },
  };
};
