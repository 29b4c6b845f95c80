// The Slack API emulator in process, for the local console: a `fetch` front (as http-handler.ts
// is a node:http one) for Bolt's WebClient and respond(). It routes Web API calls to the console's
// methods (console-methods.ts), checks the token, counts calls, and serves response_urls and file
// uploads, all on the in-memory ConsoleWorkspace. Nothing leaves the process: any URL outside the
// console's base is refused, so the console never reaches the network.

import { BLOCK_KIT_LIMITS } from './block-kit-limits.ts';
import { CONSOLE_METHODS } from './console-methods.ts';
import { fail as failWith, str } from './method-handler.ts';
import { CONSOLE_API_ORIGIN, CONSOLE_PROFILE } from './profile.ts';
import { ResponseUrls } from './response-urls.ts';
import { parseJsonFields as parseFields } from './request-body.ts';
import type { ConsoleWorkspace, Json } from './in-process-workspace.ts';

export { CONSOLE_API_ORIGIN };
export const CONSOLE_API_URL = `${CONSOLE_API_ORIGIN}/api/`;
export const CONSOLE_BOT_TOKEN = CONSOLE_PROFILE.bot.token;

/** What the console logs through (structurally any pino-like logger); the emulator imports no logger. */
export interface ConsoleApiLogger {
  warn(fields: Record<string, unknown>, message: string): void;
  debug(fields: Record<string, unknown>, message: string): void;
}

const fail = (error: string, extra: Json = {}): Json => failWith(error, extra);

const jsonResponse = (status: number, body: unknown): Response =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json; charset=utf-8' } });

export interface ConsoleSlackApi {
  /** Pass as Bolt's `clientOptions.fetch`: serves the WebClient and respond(). */
  fetch: (url: string | URL, init?: { method?: string; headers?: Record<string, string>; body?: unknown }) => Promise<Response>;
  /** A response_url for an interaction (5 uses within 30 minutes, as Slack's). */
  mintResponseUrl(context: { user: string; channel: string | null; messageTs: string | null; threadTs: string | null }): string;
  /** A trigger_id for an interaction by `user` (views.open/push need one). */
  mintTriggerId(user: string): string;
  /** Every method called so far with its count (for the page's footer and tests). */
  calls(): Record<string, number>;
}

export const createConsoleSlackApi = (deps: { workspace: ConsoleWorkspace; logger: ConsoleApiLogger; now?: () => number; permalinkBase?: () => string }): ConsoleSlackApi => {
  const ws = deps.workspace;
  const now = deps.now ?? Date.now;
  const responseUrls = new ResponseUrls(now, CONSOLE_PROFILE);
  const counts: Record<string, number> = {};
  let sequence = 0;

  const readArgs = async (url: URL, body: unknown): Promise<Json> => {
    const fields: Record<string, unknown> = Object.fromEntries(url.searchParams);
    if (typeof body === 'string') {
      const trimmed = body.trimStart();
      if (trimmed.startsWith('{')) Object.assign(fields, JSON.parse(body) as Json);
      else Object.assign(fields, Object.fromEntries(new URLSearchParams(body)));
    } else if (body instanceof FormData) {
      for (const [key, value] of body.entries()) fields[key] = typeof value === 'string' ? value : Buffer.from(await value.arrayBuffer());
    }
    return parseFields(fields);
  };

  const bytesOf = async (body: unknown): Promise<Buffer> => {
    if (body instanceof FormData) {
      for (const [, value] of body.entries()) if (typeof value !== 'string') return Buffer.from(await value.arrayBuffer());
      return Buffer.alloc(0);
    }
    if (typeof body === 'string') return Buffer.from(body);
    if (body instanceof Uint8Array) return Buffer.from(body);
    return Buffer.alloc(0);
  };

  return {
    fetch: async (input, init = {}) => {
      const url = new URL(String(input));
      if (url.origin !== CONSOLE_API_ORIGIN) {
        // The console never calls out; a URL from elsewhere is a bug worth a log line, not a request.
        deps.logger.warn({ url: url.origin }, 'console Slack API: refused a request outside the console');
        throw new TypeError(`The local console does not reach ${url.origin}`);
      }
      const upload = /^\/upload\/([A-Z0-9]+)$/.exec(url.pathname);
      if (upload?.[1]) {
        const ok = ws.setFileBytes(upload[1], await bytesOf(init.body));
        return new Response(ok ? 'OK' : 'Not Found', { status: ok ? 200 : 404 });
      }
      const response = /^\/response\/([A-Za-z0-9]+)$/.exec(url.pathname);
      if (response?.[1]) {
        let payload: unknown;
        try {
          payload = JSON.parse(typeof init.body === 'string' ? init.body : '');
        } catch {
          payload = null;
        }
        if (!payload || typeof payload !== 'object' || Array.isArray(payload)) return jsonResponse(400, fail('invalid_payload'));
        const answer = responseUrls.answer(response[1], payload, ws);
        return jsonResponse(answer.status, answer.body);
      }
      const api = /^\/api\/([A-Za-z0-9_.]+)$/.exec(url.pathname);
      const method = api?.[1];
      if (!method) return new Response('Not Found', { status: 404 });
      counts[method] = (counts[method] ?? 0) + 1;
      const handler = CONSOLE_METHODS[method];
      if (!handler) {
        deps.logger.warn({ method }, 'console Slack API: method not emulated; answered unknown_method');
        return jsonResponse(200, fail('unknown_method', { req_method: method }));
      }
      const bearer = /^Bearer\s+(\S+)$/i.exec(init.headers?.Authorization ?? init.headers?.authorization ?? '')?.[1];
      let args: Json;
      try {
        args = await readArgs(url, init.body);
      } catch {
        return jsonResponse(200, fail('invalid_form_data'));
      }
      const token = bearer ?? str(args.token);
      if (token !== CONSOLE_BOT_TOKEN) return jsonResponse(200, fail(token ? 'invalid_auth' : 'not_authed'));
      deps.logger.debug({ method }, 'console Slack API call');
      const result = handler({ ws, profile: CONSOLE_PROFILE, args, origin: CONSOLE_API_ORIGIN, blocksJsonLimit: BLOCK_KIT_LIMITS.messageBlocksJson, permalinkBase: deps.permalinkBase?.() ?? '' });
      if (result.ok === false && (result.response_metadata as { messages?: string[] } | undefined)?.messages) {
        // Slack would refuse this too: say why in the log, where a developer looks first.
        deps.logger.warn({ method, error: result.error, messages: (result.response_metadata as { messages: string[] }).messages.slice(0, 10) }, 'console Slack API: refused, as Slack would');
      }
      return jsonResponse(200, result);
    },
    mintResponseUrl: (context) => {
      sequence += 1;
      responseUrls.forgetExpired();
      const id = `R${sequence}${Math.floor(now() % 1e6)}`;
      const { user, channel, messageTs, threadTs } = context;
      responseUrls.mint(id, { user, channel: channel ?? undefined, messageTs: messageTs ?? undefined, threadTs: threadTs ?? undefined });
      return `${CONSOLE_API_ORIGIN}/response/${id}`;
    },
    mintTriggerId: (user) => {
      sequence += 1;
      const id = `${now()}.${sequence}.console`;
      ws.triggers.mint(id, user);
      return id;
    },
    calls: () => ({ ...counts }),
  };
};
