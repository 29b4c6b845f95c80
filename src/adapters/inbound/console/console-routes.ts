// HTTP routes of the local console: the page (plain HTML/CSS/JS from ./static, no build step), its
// live updates (Server-Sent Events), uploaded files, and the endpoints for what a person does
// (slash command, block action, view submission/close, App Home). Security: the console has no
// login, so it only answers requests addressed to a loopback host (no DNS rebinding) and its POSTs
// take JSON only (a cross-site form cannot send that without a CORS preflight, which is refused).

import { readFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { sendJson, type Route } from '../http/route.ts';
import type { Json, WorkspaceEvent } from '../../../slack-api-emulator/in-process-workspace.ts';

const STATIC_DIR = new URL('./static/', import.meta.url);
const MAX_BODY = 256 * 1024;
const LOOPBACK_HOST = /^(127\.\d+\.\d+\.\d+|localhost|\[::1\])(:\d+)?$/i;
/** Defence in depth for queue text on the page: only the console's own scripts, styles, images and API. */
const CONTENT_SECURITY_POLICY = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

export interface ConsoleRouteHandlers {
  snapshot(): Json;
  subscribe(listener: (event: WorkspaceEvent) => void): () => void;
  file(id: string): { mimetype: string; name: string; bytes: Buffer } | null;
  command(input: Json): Promise<Json>;
  action(input: Json): Promise<Json>;
  submitView(input: Json): Promise<Json>;
  closeView(input: Json): Promise<Json>;
  openHome(): Promise<Json>;
  demo(input: Json): Promise<Json>;
}

const readStatic = (name: string): Buffer => readFileSync(new URL(name, STATIC_DIR));

const allowed = (req: IncomingMessage, res: ServerResponse): boolean => {
  if (LOOPBACK_HOST.test(req.headers.host ?? '')) return true;
  sendJson(res, 403, { error: 'forbidden', message: 'The local console answers on a loopback address only (http://127.0.0.1:<port>/console).' });
  return false;
};

const readJson = async (req: IncomingMessage): Promise<Json | string> => {
  if (!(req.headers['content-type'] ?? '').toLowerCase().startsWith('application/json')) return 'The console takes application/json.';
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY) return 'Body too large.';
    chunks.push(chunk as Buffer);
  }
  try {
    const value: unknown = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}');
    return value && typeof value === 'object' && !Array.isArray(value) ? (value as Json) : 'Expected a JSON object.';
  } catch {
    return 'Body is not JSON.';
  }
};

const post = (path: string, handle: (input: Json) => Promise<Json>): Route => ({
  method: 'POST',
  path,
  handler: async (req, res) => {
    if (!allowed(req, res)) return;
    const input = await readJson(req);
    if (typeof input === 'string') return sendJson(res, 400, { ok: false, error: 'bad_request', message: input });
    sendJson(res, 200, await handle(input));
  },
});

export const consoleRoutes = (handlers: ConsoleRouteHandlers): Route[] => {
  // Read once at start: a missing asset fails the start, not the first visit.
  const assets: Record<string, { type: string; body: Buffer }> = {
    '/console': { type: 'text/html; charset=utf-8', body: readStatic('console.html') },
    '/console/console.css': { type: 'text/css; charset=utf-8', body: readStatic('console.css') },
    '/console/console.js': { type: 'text/javascript; charset=utf-8', body: readStatic('console.js') },
    '/console/block-kit.js': { type: 'text/javascript; charset=utf-8', body: readStatic('block-kit.js') },
  };
  const staticRoutes: Route[] = Object.entries(assets).map(([path, asset]) => ({
    method: 'GET',
    path,
    handler: (req, res) => {
      if (!allowed(req, res)) return;
      res.writeHead(200, {
        'content-type': asset.type,
        'content-length': asset.body.length,
        'cache-control': 'no-cache',
        'x-content-type-options': 'nosniff',
        'content-security-policy': CONTENT_SECURITY_POLICY,
        'referrer-policy': 'no-referrer',
      });
      res.end(asset.body);
    },
  }));
  return [
    ...staticRoutes,
    { method: 'GET', path: '/', handler: (_req, res) => void res.writeHead(302, { location: '/console' }).end() },
    { method: 'GET', path: '/console/', handler: (_req, res) => void res.writeHead(302, { location: '/console' }).end() },
    {
      method: 'GET',
      path: '/console/state',
      handler: (req, res) => {
        if (allowed(req, res)) sendJson(res, 200, handlers.snapshot());
      },
    },
    {
      method: 'GET',
      path: '/console/events',
      handler: (req, res) => {
        if (!allowed(req, res)) return;
        res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache', connection: 'keep-alive' });
        const send = (name: string, data: unknown): void => void res.write(`event: ${name}\ndata: ${JSON.stringify(data)}\n\n`);
        send('snapshot', handlers.snapshot());
        const unsubscribe = handlers.subscribe((event) => send(event.type, event));
        const keepAlive = setInterval(() => res.write(': keep-alive\n\n'), 15_000);
        keepAlive.unref();
        req.on('close', () => {
          clearInterval(keepAlive);
          unsubscribe();
        });
      },
    },
    {
      method: 'GET',
      path: '/console/files',
      handler: (req, res) => {
        if (!allowed(req, res)) return;
        const id = new URL(req.url ?? '/', 'http://localhost').searchParams.get('id') ?? '';
        const file = handlers.file(id);
        if (!file) return sendJson(res, 404, { error: 'not_found', message: `No file ${id}.` });
        res.writeHead(200, { 'content-type': file.mimetype, 'content-length': file.bytes.length, 'x-content-type-options': 'nosniff', 'content-disposition': `inline; filename="${file.name.replace(/[^A-Za-z0-9._-]/g, '_')}"` });
        res.end(file.bytes);
      },
    },
    post('/console/command', handlers.command),
    post('/console/action', handlers.action),
    post('/console/view-submission', handlers.submitView),
    post('/console/view-closed', handlers.closeView),
    post('/console/home', () => handlers.openHome()),
    post('/console/demo', handlers.demo),
  ];
};
