// Two-person approval of a bulk replay (issue 14): whether a job needs it, and whether a click may
// approve or reject a request. Pure: the app layer stores the request with the jobs, audits and acts.

export interface ApprovalPolicy {
  /** Jobs planning more messages than this need a second person's Approve. */
  above: number;
  /** The starter may approve their own request when they are an admin. */
  adminMayApproveAlone: boolean;
  /** An unapproved request expires after this long. */
  expiresAfterMs: number;
}

/**
 * `plannedCount`: --count N, or the queue's depth for redrive-all (null when it could not be read:
 * then approval is needed, a job of unknown size is not waved through).
 */
export const approvalNeeded = (policy: ApprovalPolicy | null, plannedCount: number | null): boolean =>
  policy !== null && (plannedCount === null || plannedCount > policy.above);

export interface ApprovalRequestState {
  requestedBy: string;
  expiresAt: Date;
  /** pending until approved, rejected or expired. */
  status: 'pending' | 'approved' | 'rejected' | 'expired';
}

export type ApprovalClick =
  | { ok: true }
  | { ok: false; why: 'self' | 'expired' | 'decided'; text: string };

/**
 * May `actor` approve (or, with `action: 'reject'`, reject) the request now? Only someone other than
 * the starter approves, unless the policy lets an admin approve alone and the starter is admin. The
 * starter may always reject (withdraw) their own request. An expired request can't be decided.
 */
export const decideApprovalClick = (input: {
  request: ApprovalRequestState;
  actor: string;
  action: 'approve' | 'reject';
  actorIsAdmin: boolean;
  policy: Pick<ApprovalPolicy, 'adminMayApproveAlone'>;
  now: Date;
}): ApprovalClick => {
  const { request, actor } = input;
  if (request.status !== 'pending') return { ok: false, why: request.status === 'expired' ? 'expired' : 'decided', text: `This request was already ${request.status}.` };
  if (input.now.getTime() >= request.expiresAt.getTime()) {
    return { ok: false, why: 'expired', text: `This request expired at ${request.expiresAt.toISOString()} without approval; start the job again to ask anew.` };
  }
  if (input.action === 'approve' && actor === request.requestedBy && !(input.policy.adminMayApproveAlone && input.actorIsAdmin)) {
    return {
      ok: false,
      why: 'self',
      text: 'You started this job, so you cannot approve it: a second operator or admin must click Approve (two-person rule).',
    };
  }
  return { ok: true };
};
