// Roles applied to every request: the router's `authorize` hook for /dlq, buttons and modals, and
// `checkAccess` for actions that do not go through the router (Acknowledge, other buttons). A denial
// gets an ephemeral explanation and an audit record (`denied`); nothing else happens. The terminal
// (`cli:<user>` actors) is trusted as admin: whoever runs `redrive dlq` already holds the config and
// the credentials. The policy itself is pure (core/auth/access-policy.ts).

import { decide, configuredUserGroups, mayView, viewsEverywhere, type AccessDecision, type AccessRoles, type Role } from '../../core/auth/access-policy.ts';
import { context, section, type Reply } from '../../presentation/slack/block-kit/blocks.ts';
import type { DlqCommand } from '../../core/command/parse-dlq-command.ts';
import { toSlackText, isSlackUserId } from '../../core/text/slack-text.ts';
import type { UserGroups } from '../../ports/user-groups.port.ts';
import type { Authorize } from '../commands/dlq-command-router.ts';
import type { CommandContext } from '../shared/command-context.ts';
import { writeAudit, type AuditDeps } from '../shared/audit-trail.ts';
import { ALL_QUEUES, type QueueVisibility } from '../shared/queue-visibility.ts';

/** One action someone asks for, with the ids its audit record should carry. */
export interface AccessRequest {
  actor: string;
  action: string;
  /** Null with an incidentId: the incident's queue is looked up (per-queue roles apply to its buttons). */
  queue: string | null;
  messageId?: string | null;
  jobId?: string | null;
  incidentId?: string | null;
}

export type AccessCheck = { ok: true; role: Role; via: string } | { ok: false; reply: Reply; decision: Extract<AccessDecision, { kind: 'denied' }> };

export interface AccessControl extends QueueVisibility {
  /** Decides; on a denial writes the audit record and returns the reply to show (ephemeral). */
  check(request: AccessRequest): Promise<AccessCheck>;
  /** The router hook: the same check for every parsed /dlq command. */
  authorize: Authorize;
}

export interface AccessControlDeps {
  roles: AccessRoles;
  /** Slack user groups; null when Slack is not configured (groups then grant nothing). */
  userGroups: UserGroups | null;
  audit: AuditDeps;
}

/** Actors trusted as admin: the terminal and Redrive itself. */
export const isTrustedActor = (actor: string): boolean => actor.startsWith('cli:') || actor === 'system';

const ALLOWED_TRUSTED = { ok: true, role: 'admin', via: 'terminal' } as const;

const mention = (user: string): string => (isSlackUserId(user) ? `<@${user}>` : toSlackText(user, { max: 80 }));

/** The ephemeral explanation: what was refused, the role it needs, and how to get it. */
export const renderDenied = (decision: Extract<AccessDecision, { kind: 'denied' }>): Reply => {
  const reason = toSlackText(decision.reason, { max: 500 });
  const ask = decision.admins.length > 0 ? `a Redrive admin (${decision.admins.slice(0, 5).map(mention).join(', ')})` : 'a Redrive admin';
  const groups = decision.groups.length > 0 ? `, or to add you to ${decision.groups.slice(0, 5).map((g) => `<!subteam^${g}>`).join(' or ')}` : '';
  const how = `To get the ${decision.needed} role, ask ${ask} to add your Slack user id to \`${toSlackText(decision.configKey, { max: 200 })}\` in Redrive's config${groups}.`;
  return {
    text: `Not allowed: ${reason}`,
    private: true,
    blocks: [section(`:no_entry: *Not allowed.* ${reason}`), section(how), context('Nothing was done. This attempt is in the audit log (`/dlq audit`).')],
  };
};

const field = (command: DlqCommand, key: string): string | null => {
  const value = (command as unknown as Record<string, unknown>)[key];
  return typeof value === 'string' ? value : null;
};

/** The queue a command acts on, and the ids its audit record carries (`id` is always a message id). */
export const targetOf = (command: DlqCommand): { queue: string | null; messageId: string | null; jobId: string | null } => ({
  queue: field(command, 'queue'),
  messageId: field(command, 'id'),
  jobId: field(command, 'jobId'),
});

export const createAccessControl = (deps: AccessControlDeps): AccessControl => {
  const candidates = configuredUserGroups(deps.roles);
  const check = async (request: AccessRequest): Promise<AccessCheck> => {
    if (isTrustedActor(request.actor)) return ALLOWED_TRUSTED;
    const queue = request.queue ?? (request.incidentId ? ((await deps.audit.store.getIncident(request.incidentId).catch(() => null))?.queue ?? null) : null);
    // User groups are asked for only when the user-id grants do not suffice: most checks cost no Slack call.
    let decision = decide(request.actor, [], request.action, queue, deps.roles);
    if (decision.kind === 'denied' && deps.userGroups && candidates.length > 0) {
      decision = decide(request.actor, await deps.userGroups.groupsOf(request.actor, candidates), request.action, queue, deps.roles);
    }
    if (decision.kind === 'allowed') return { ok: true, role: decision.role, via: decision.via };
    await writeAudit(
      deps.audit,
      { action: request.action, queue, actor: request.actor, messageId: request.messageId ?? null, jobId: request.jobId ?? null, incidentId: request.incidentId ?? null },
      'denied',
      decision.reason,
      { needed: decision.needed, role: decision.role },
    );
    return { ok: false, reply: renderDenied(decision), decision };
  };
  return {
    check,
    scopeFor: async (actor) => {
      if (isTrustedActor(actor) || viewsEverywhere(actor, [], deps.roles)) return ALL_QUEUES;
      const groups = deps.userGroups && candidates.length > 0 ? await deps.userGroups.groupsOf(actor, candidates) : [];
      if (viewsEverywhere(actor, groups, deps.roles)) return ALL_QUEUES;
      return { restricted: true, mayView: (queue) => mayView(actor, groups, queue, deps.roles) };
    },
    authorize: async (command: DlqCommand, ctx: CommandContext) => {
      const target = targetOf(command);
      // A job's queue decides who may cancel it (a per-queue operator list applies to its jobs).
      const queue = target.queue ?? (target.jobId ? ((await deps.audit.store.getJob(target.jobId).catch(() => null))?.queue ?? null) : null);
      const result = await check({ actor: ctx.actor, action: command.op, queue, messageId: target.messageId, jobId: target.jobId });
      return result.ok ? null : result.reply;
    },
  };
};

/**
 * For buttons and modals that do not go through the router: `null` access (no roles wired, as in
 * some tests) allows everything. On `ok: false`, show `reply` to the clicker only and do nothing.
 */
export const checkAccess = (access: AccessControl | null | undefined, request: AccessRequest): Promise<AccessCheck> =>
  access ? access.check(request) : Promise.resolve({ ok: true, role: 'admin', via: 'no access control' });
