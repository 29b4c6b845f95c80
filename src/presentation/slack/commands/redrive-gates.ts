// The gates in front of every bulk replay (issue 14), as router handlers wrapped around
// `redrive-all` and `redrive-batch` (Slack buttons and modals, /dlq, the console and `redrive dlq`
// alike, after the router's role check): pre-flight first (a failing check blocks with the reason
// unless an admin typed an override), then two-person approval when the queue asks for it above a
// message count. Only the job's creation is gated; what runs inside the job is the job's business.
// Also serves `approve` / `reject`.
//
// The terminal is trusted as admin, but one person at a terminal is not two: a job that needs
// approval is refused there (start it from Slack, where a second person can click Approve), unless
// the queue sets `adminMayApproveAlone`, where the terminal's admin approves alone (audited).

import { approvalNeeded, type ApprovalPolicy } from '../../../core/safety/approval-decision.ts';
import type { OperationHandler, OperationHandlers } from './dlq-router.ts';
import type { CommandContext } from '../../../app/shared/command-context.ts';
import { writeAudit } from '../../../app/shared/audit-trail.ts';
import type { QueueDeps } from '../../../app/shared/queue-deps.ts';
import { plannedCountOf, type ApprovalRequests, type StartJob } from '../../../app/jobs/safety/approval-requests.ts';
import { runPreflight, type PreflightDeps } from '../../../app/jobs/safety/preflight.use-case.ts';
import { describeCommand, renderApprovalRefused, renderPreflightBlocked } from '../replies/safety-replies.ts';
import type { RedriveCommand } from '../../../app/jobs/safety/approval-messages.ts';
import type { Reply } from '../block-kit/blocks.ts';

export interface RedriveGateDeps {
  queue: QueueDeps;
  preflight: PreflightDeps;
  policyFor(queue: string): ApprovalPolicy | null;
  /** Pending requests and their decisions; null where none can be made (no store of requests wired). */
  approvals: ApprovalRequests<Reply> | null;
}

type Op = RedriveCommand['op'];

export const withRedriveGates = (handlers: OperationHandlers, deps: RedriveGateDeps): OperationHandlers => {
  const ungated = (command: RedriveCommand, context: CommandContext) => {
    const handler = handlers[command.op] as OperationHandler<RedriveCommand> | undefined;
    if (!handler) throw new Error(`no ${command.op} handler`);
    return handler(command, context);
  };
  const start: StartJob<Reply> = ungated;

  const gate = (op: Op): OperationHandler<RedriveCommand> | undefined => {
    if (!handlers[op]) return undefined;
    return async (command, context) => {
      const queue = deps.queue.registry.get(command.queue).name;
      const preflight = await runPreflight(deps.preflight, { queue, actor: context.actor, override: command.override ?? null, purpose: op });
      if (preflight.verdict === 'blocked') return renderPreflightBlocked(command, preflight, context.transport === 'slack' ? 'button' : 'flag');
      const policy = deps.policyFor(queue);
      if (policy) {
        const planned = await plannedCountOf(deps.queue, command);
        if (approvalNeeded(policy, planned)) {
          if (context.transport === 'slack' && deps.approvals) return deps.approvals.request({ command, context, plannedCount: planned, policy });
          const facts = { command: op, plannedCount: planned, above: policy.above };
          if (!policy.adminMayApproveAlone) {
            const why = `${describeCommand(command)} on ${queue} plans ${planned ?? 'an unknown number of'} message(s), above the approval bound of ${policy.above}: it needs a second person's approval. Start it from Slack (/dlq ${op} ${queue} …), where another operator can click Approve; the terminal cannot stand in for a second person.`;
            await writeAudit(deps.queue, { action: 'approval:request', queue, actor: context.actor }, 'denied', why, facts);
            return renderApprovalRefused(why);
          }
          await writeAudit(deps.queue, { action: 'approval:approve', queue, actor: context.actor }, 'success', null, { ...facts, alone: true, transport: context.transport });
        }
      }
      return ungated(command, context);
    };
  };

  const decide = (op: 'approve' | 'reject'): OperationHandler<{ op: typeof op; queue: string; requestId: string }> => async (command, context) => {
    if (!deps.approvals) return renderApprovalRefused('Approval requests are not available here.');
    return deps.approvals.decide(command, context, start);
  };

  const all = gate('redrive-all');
  const batch = gate('redrive-batch');
  return {
    ...handlers,
    ...(all ? { 'redrive-all': all } : {}),
    ...(batch ? { 'redrive-batch': batch } : {}),
    approve: decide('approve'),
    reject: decide('reject'),
  } as OperationHandlers;
};
