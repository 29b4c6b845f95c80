// The Slack Web API emulator over HTTP: a node:http request listener that answers @slack/web-api
// calls like Slack (auth, Block Kit referee, Slack error codes, 429 with Retry-After, 5xx outages
// injected on demand), serves response_urls and file upload URLs, and records every call. It opens
// no socket itself (whoever mounts it listens, tests on loopback) and never reaches the network.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { CHAT_METHODS } from './chat-methods.ts';
import { DIRECTORY_METHODS } from './directory-methods.ts';
import { fail, type MethodHandler } from './method-handler.ts';
import { VIEW_METHODS } from './view-methods.ts';
import { parseApiArgs, readRaw, uploadedBytes, type ParsedBody } from './request-body.ts';
import { ResponseUrls, type ResponseUrlContext } from './response-urls.ts';
import { BLOCK_KIT_LIMITS } from './block-kit-limits.ts';
import { TEST_PROFILE } from './profile.ts';
import { SlackWorkspace, type ChannelRecord, type MessageRecord, type UserRecord } from './workspace.ts';

const METHODS: Record<string, MethodHandler> = { ...CHAT_METHODS, ...VIEW_METHODS, ...DIRECTORY_METHODS };

/** Pseudo-methods for calls that are not Web API methods. */
export type SideChannel = 'response_url' | 'upload_url';

export interface RecordedCall {
  /** Web API method (`chat.postMessage`), `response_url` or `upload_url`. */
  method: string;
  /** Parsed arguments, without `token`. For uploads: `{ file_id, bytes, content }`. */
  args: Record<string, unknown>;
  /** Server clock, ms since the epoch. */
  timestamp: number;
  /** The token the call carried (test tokens only). */
  token?: string;
  /** The URL for response_url and upload_url calls. */
  url?: string;
  status: number;
  /** The JSON body answered, or the text body for outages and uploads. */
  response: unknown;
}

export type InjectedFailure =
  | { status: 429; retryAfter: number }
  | { status: 500 | 502 | 503 | 504 }
  | { error: string; extra?: Record<string, unknown> };

export interface SlackApiEmulatorOptions {
  /** Bot/user tokens the server accepts. Default: [the test profile's bot token]. */
  tokens?: string[];
  /** Server clock in ms (message ts, response_url expiry). Default Date.now. */
  now?: () => number;
  /** JSON characters of message blocks above which `msg_blocks_too_long` is answered. */
  blocksJsonLimit?: number;
  /** Socket Mode: the app-level token accepted by apps.connections.open and the websocket URL it returns. */
  socketMode?: { appToken: string; url: string };
}

export interface SlackApiEmulator {
  /** The node:http request listener: mount it on a server. */
  handle(req: IncomingMessage, res: ServerResponse): void;
  /** Where the server listens (`http://127.0.0.1:<port>`): the base of the upload and response URLs handed out. */
  setOrigin(origin: string): void;
  /** Every call so far, in arrival order (failed ones included). */
  calls: RecordedCall[];
  callsTo(method: string): RecordedCall[];
  /** Resolves with the first `count` calls to `method` once they arrived; rejects after timeoutMs. */
  waitForCalls(method: string, count?: number, timeoutMs?: number): Promise<RecordedCall[]>;
  /** Forgets recorded calls and queued failures. */
  clear(): void;
  /** clear(), and forgets messages, views, files and response_urls; channels and users stay. */
  reset(): void;
  /** The next `times` calls to `method` (or 'response_url' / 'upload_url') fail this way. */
  failNext(method: string, failure: InjectedFailure, times?: number): void;
  addChannel(id: string, name: string, options?: Partial<Omit<ChannelRecord, 'id' | 'name'>>): void;
  addUser(id: string, fields?: Partial<Omit<UserRecord, 'id'>>): void;
  addUserGroup(id: string, handle: string, userIds: string[]): void;
  /** A response_url on this server, usable 5 times within 30 minutes. */
  mintResponseUrl(options?: Pick<ResponseUrlContext, 'channel' | 'messageTs' | 'maxUses'>): string;
  /** Current (updated, not deleted) messages in a channel. */
  messagesIn(channel: string): MessageRecord[];
  workspace: SlackWorkspace;
}

const OUTAGE_HTML =
  '<!DOCTYPE html><html><head><title>Server Error | Slack</title></head>' +
  '<body><h1>Slack is having trouble</h1><p>Something went wrong on our end. Please try again.</p></body></html>';

export function createSlackApiEmulator(options: SlackApiEmulatorOptions = {}): SlackApiEmulator {
  const now = options.now ?? Date.now;
  const tokens = new Set(options.tokens ?? [TEST_PROFILE.bot.token]);
  const blocksJsonLimit = options.blocksJsonLimit ?? BLOCK_KIT_LIMITS.messageBlocksJson;
  const ws = new SlackWorkspace(now);
  const calls: RecordedCall[] = [];
  const failures = new Map<string, InjectedFailure[]>();
  const responseUrls = new ResponseUrls(now, { ...TEST_PROFILE, blocksJsonLimit });
  const waiters = new Set<() => void>();
  let origin = '';

  const record = (call: Omit<RecordedCall, 'timestamp'>): void => {
    calls.push({ ...call, timestamp: now() });
    for (const wake of [...waiters]) wake();
  };

  const send = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void => {
    const text = typeof body === 'string' ? body : JSON.stringify(body);
    const type = typeof body === 'string' ? 'text/html; charset=utf-8' : 'application/json; charset=utf-8';
    res.writeHead(status, { 'content-type': type, ...headers });
    res.end(text);
  };

  /** Answers an injected failure if one is queued for this method; true when it did. */
  const injectFailure = (method: string, res: ServerResponse, call: Omit<RecordedCall, 'timestamp' | 'status' | 'response'>): boolean => {
    const failure = failures.get(method)?.shift();
    if (failure === undefined) return false;
    if ('error' in failure) {
      const body = fail(failure.error, failure.extra);
      record({ ...call, status: 200, response: body });
      send(res, 200, body);
    } else if (failure.status === 429) {
      const body = fail('ratelimited');
      record({ ...call, status: 429, response: body });
      send(res, 429, body, { 'retry-after': String(failure.retryAfter) });
    } else {
      record({ ...call, status: failure.status, response: OUTAGE_HTML });
      send(res, failure.status, OUTAGE_HTML);
    }
    return true;
  };

  /** The body answering an API call, or undefined when a queued failure has answered it already. */
  const apiAnswer = (method: string, token: string | undefined, parsed: ParsedBody, args: Record<string, unknown>, injected: () => boolean): Record<string, unknown> | undefined => {
    if (method === 'apps.connections.open' && options.socketMode) {
      // Only an app-level token (xapp-) opens a Socket Mode connection.
      if (token === undefined) return fail('not_authed');
      if (token !== options.socketMode.appToken) return fail('invalid_auth');
      if (injected()) return undefined;
      return { ok: true, url: options.socketMode.url };
    }
    const handler = METHODS[method];
    // Slack names an unknown method before it looks at the token.
    if (handler === undefined) return fail('unknown_method', { req_method: method });
    if (token === undefined) return fail('not_authed');
    if (!tokens.has(token)) return fail('invalid_auth');
    if (injected()) return undefined;
    if (!parsed.ok) return fail(parsed.error);
    return handler({ ws, profile: TEST_PROFILE, args, origin, blocksJsonLimit, permalinkBase: '' });
  };

  const handleApi = (method: string, req: IncomingMessage, raw: Buffer, query: URLSearchParams, res: ServerResponse): void => {
    const parsed = parseApiArgs(raw, req.headers['content-type'], query);
    const { token: bodyToken, ...args } = parsed.ok ? parsed.args : {};
    const bearer = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '')?.[1];
    const token = bearer ?? (typeof bodyToken === 'string' && bodyToken !== '' ? bodyToken : undefined);
    const call = { method, args, ...(token !== undefined ? { token } : {}) };
    const body = apiAnswer(method, token, parsed, args, () => injectFailure(method, res, call));
    if (body === undefined) return;
    record({ ...call, status: 200, response: body });
    send(res, 200, body);
  };

  const handleUpload = (fileId: string, req: IncomingMessage, raw: Buffer, res: ServerResponse): void => {
    const url = `${origin}/upload/v1/${fileId}`;
    const bytes = uploadedBytes(raw, req.headers['content-type']);
    const call = { method: 'upload_url', url, args: { file_id: fileId, bytes: bytes.length, content: bytes.toString('utf8') } };
    if (injectFailure('upload_url', res, call)) return;
    const file = ws.files.get(fileId);
    if (file === undefined) {
      record({ ...call, status: 404, response: 'Not Found' });
      send(res, 404, 'Not Found');
      return;
    }
    ws.files.set(fileId, { ...file, content: bytes });
    const body = `OK - ${bytes.length}`;
    record({ ...call, status: 200, response: body });
    send(res, 200, body);
  };

  const handleResponseUrl = (id: string, raw: Buffer, res: ServerResponse): void => {
    const url = `${origin}/response-url/${id}`;
    let payload: unknown;
    try {
      payload = JSON.parse(raw.toString('utf8'));
    } catch {
      payload = undefined;
    }
    const args = typeof payload === 'object' && payload !== null ? (payload as Record<string, unknown>) : { raw: raw.toString('utf8') };
    const call = { method: 'response_url', url, args };
    if (injectFailure('response_url', res, call)) return;
    const answer = responseUrls.answer(id, payload, ws);
    record({ ...call, status: answer.status, response: answer.body });
    send(res, answer.status, answer.body);
  };

  const handle = (req: IncomingMessage, res: ServerResponse): void => {
    void (async () => {
      const raw = await readRaw(req);
      const { pathname, searchParams } = new URL(req.url ?? '/', 'http://127.0.0.1');
      const api = /^\/api\/([A-Za-z0-9_.]+)$/.exec(pathname);
      const upload = /^\/upload\/v1\/([A-Za-z0-9_]+)$/.exec(pathname);
      const responseUrl = /^\/response-url\/([A-Za-z0-9_]+)$/.exec(pathname);
      if (api?.[1] !== undefined && (req.method === 'POST' || req.method === 'GET')) handleApi(api[1], req, raw, searchParams, res);
      else if (upload?.[1] !== undefined && req.method === 'POST') handleUpload(upload[1], req, raw, res);
      else if (responseUrl?.[1] !== undefined && req.method === 'POST') handleResponseUrl(responseUrl[1], raw, res);
      else send(res, 404, 'Not Found');
    })().catch((error: unknown) => {
      if (!res.headersSent) send(res, 500, `test server error: ${String(error)}`);
    });
  };


  const callsTo = (method: string): RecordedCall[] => calls.filter((c) => c.method === method);

  return {
    handle,
    setOrigin(value) {
      origin = value;
    },
    calls,
    callsTo,
    waitForCalls(method, count = 1, timeoutMs = 5000) {
      return new Promise((resolve, reject) => {
        const check = (): void => {
          const found = callsTo(method);
          if (found.length < count) return;
          cleanup();
          resolve(found.slice(0, count));
        };
        const timer = setTimeout(() => {
          cleanup();
          reject(new Error(`waited ${timeoutMs} ms for ${count} call(s) to ${method}; got ${callsTo(method).length}`));
        }, timeoutMs);
        const cleanup = (): void => {
          clearTimeout(timer);
          waiters.delete(check);
        };
        waiters.add(check);
        check();
      });
    },
    clear() {
      calls.length = 0;
      failures.clear();
    },
    reset() {
      calls.length = 0;
      failures.clear();
      responseUrls.clear();
      ws.resetActivity();
    },
    failNext(method, failure, times = 1) {
      const queue = failures.get(method) ?? [];
      for (let i = 0; i < times; i += 1) queue.push(failure);
      failures.set(method, queue);
    },
    addChannel: (id, name, channelOptions) => void ws.addChannel(id, name, channelOptions),
    addUser: (id, fields = {}) => void ws.addUser({ ...fields, id }),
    addUserGroup: (id, handle, userIds) => ws.addUserGroup(id, handle, userIds),
    mintResponseUrl(urlOptions = {}) {
      const id = ws.nextId('R');
      const { channel, messageTs, maxUses } = urlOptions;
      responseUrls.mint(id, { channel, messageTs, maxUses });
      return `${origin}/response-url/${id}`;
    },
    messagesIn: (channel) => ws.messagesIn(channel),
    workspace: ws,
  };
}
