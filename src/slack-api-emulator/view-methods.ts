// views.* methods of the local Slack API server: modals (open, update, push) and App Home
// (publish). View problems answer `invalid_arguments` with `[ERROR]` lines, as Slack does; the
// console's views.* (console-methods.ts) share viewJson and viewProblem.
import { checkView } from './block-kit-validator.ts';
import { fail, missingArgument, refuse, str, type MethodContext, type MethodHandler, type MethodResult } from './method-handler.ts';
import type { EmulatorProfile } from './profile.ts';
import type { ViewRecord } from './workspace.ts';

/** A view as Slack returns it in `view` fields (both callers' views carry these). */
export function viewJson(v: Pick<ViewRecord, 'id' | 'type' | 'view' | 'hash' | 'rootViewId' | 'previousViewId'>, profile: EmulatorProfile): Record<string, unknown> {
  const view = v.view;
  const { team, bot } = profile;
  return {
    id: v.id,
    team_id: team.id,
    type: v.type,
    title: view.title,
    submit: view.submit ?? null,
    close: view.close ?? null,
    blocks: view.blocks,
    private_metadata: view.private_metadata ?? '',
    callback_id: view.callback_id ?? '',
    external_id: view.external_id ?? '',
    state: { values: {} },
    hash: v.hash,
    clear_on_close: view.clear_on_close === true || view.clear_on_close === 'true',
    notify_on_close: view.notify_on_close === true || view.notify_on_close === 'true',
    root_view_id: v.rootViewId,
    previous_view_id: v.previousViewId,
    app_id: bot.appId,
    app_installed_team_id: team.id,
    bot_id: bot.botId,
  };
}

/** A trigger_id is good once (Slack: `exchanged_trigger_id` on reuse; they also expire after 3 s). */
function takeTrigger(ctx: MethodContext): MethodResult | undefined {
  const trigger = str(ctx.args.trigger_id) ?? str(ctx.args.interactivity_pointer);
  if (trigger === undefined) return missingArgument('trigger_id');
  const use = ctx.ws.triggers.use(trigger, ctx.profile.mintedTriggersOnly);
  return use.ok ? undefined : fail(use.error);
}

/** Slack's refusal of a modal or App Home view; undefined when accepted. */
export function viewProblem(view: unknown, kind: 'modal' | 'home'): MethodResult | undefined {
  const verdict = checkView(view, kind);
  return verdict.ok ? undefined : refuse(verdict.error, verdict.issues, false);
}

function saveView(ctx: MethodContext, kind: 'modal' | 'home', fields: Partial<ViewRecord> = {}): ViewRecord {
  const view = ctx.args.view as Record<string, unknown>;
  const id = fields.id ?? ctx.ws.nextId('V');
  const record: ViewRecord = {
    id,
    type: kind,
    view,
    hash: ctx.ws.nextTs(),
    externalId: str(view.external_id),
    rootViewId: id,
    previousViewId: null,
    ...fields,
  };
  ctx.ws.views.set(id, record);
  return record;
}

function externalIdTaken(ctx: MethodContext, exceptId?: string): boolean {
  const view = ctx.args.view as Record<string, unknown>;
  const existing = ctx.ws.viewByExternalId(view.external_id);
  return existing !== undefined && existing.id !== exceptId;
}

const open: MethodHandler = (ctx) => {
  const problem = viewProblem(ctx.args.view, 'modal') ?? takeTrigger(ctx);
  if (problem) return problem;
  if (externalIdTaken(ctx)) return fail('duplicate_external_id');
  return { ok: true, view: viewJson(saveView(ctx, 'modal'), ctx.profile) };
};

const push: MethodHandler = (ctx) => {
  const problem = viewProblem(ctx.args.view, 'modal') ?? takeTrigger(ctx);
  if (problem) return problem;
  if (externalIdTaken(ctx)) return fail('duplicate_external_id');
  return { ok: true, view: viewJson(saveView(ctx, 'modal'), ctx.profile) };
};

const update: MethodHandler = (ctx) => {
  const { args, ws } = ctx;
  if (args.view_id === undefined && args.external_id === undefined) return missingArgument('view_id');
  const existing = args.view_id !== undefined ? ws.views.get(String(args.view_id)) : ws.viewByExternalId(args.external_id);
  if (existing === undefined) return fail('not_found');
  const problem = viewProblem(args.view, existing.type);
  if (problem) return problem;
  if (str(args.hash) !== undefined && args.hash !== existing.hash) return fail('hash_conflict');
  const { id, rootViewId, previousViewId, userId } = existing;
  return { ok: true, view: viewJson(saveView(ctx, existing.type, { id, rootViewId, previousViewId, userId }), ctx.profile) };
};

const publish: MethodHandler = (ctx) => {
  const { args, ws } = ctx;
  const userId = str(args.user_id);
  if (userId === undefined) return missingArgument('user_id');
  if (!ws.users.has(userId)) return fail('user_not_found');
  const problem = viewProblem(args.view, 'home');
  if (problem) return problem;
  const existing = ws.homeViewOf(userId);
  if (existing !== undefined && str(args.hash) !== undefined && args.hash !== existing.hash) return fail('hash_conflict');
  const fields = existing !== undefined ? { id: existing.id, rootViewId: existing.rootViewId, userId } : { userId };
  return { ok: true, view: viewJson(saveView(ctx, 'home', fields), ctx.profile) };
};

export const VIEW_METHODS: Record<string, MethodHandler> = {
  'views.open': open,
  'views.push': push,
  'views.update': update,
  'views.publish': publish,
};
