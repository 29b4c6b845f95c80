// The one HTTP server of a Redrive process: our routes, plus Slack's events endpoint handed to Bolt's
// HTTPReceiver when Slack runs in HTTP mode. No business logic here.

import { createServer, type IncomingMessage, type RequestListener, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from '../../outbound/logging/pino-logger.ts';
import { sendJson, type Route } from './route.ts';

export interface HttpServer {
  readonly server: Server;
  listen(host: string, port: number): Promise<{ host: string; port: number; url: string }>;
  close(): Promise<void>;
}

export const createHttpServer = (options: {
  routes: Route[];
  logger: Logger;
  /** Bolt's HTTPReceiver.requestListener and the paths it owns. */
  slack?: { paths: string[]; listener: RequestListener };
}): HttpServer => {
  const routes = new Map(options.routes.map((route) => [`${route.method} ${route.path}`, route]));
  const slackPaths = new Set(options.slack?.paths ?? []);
  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    if (options.slack && slackPaths.has(path)) {
      options.slack.listener(req, res);
      return;
    }
    const route = routes.get(`${req.method} ${path}`);
    if (!route) {
      const allowed = [...routes.values()].filter((r) => r.path === path).map((r) => r.method);
      if (allowed.length > 0) {
        res.setHeader('allow', allowed.join(', '));
        sendJson(res, 405, { error: 'method_not_allowed', message: `Use ${allowed.join(' or ')} for ${path}.` });
      } else sendJson(res, 404, { error: 'not_found', message: `No route ${path}.` });
      return;
    }
    await route.handler(req, res);
  };
  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      options.logger.error({ err: error, url: req.url }, 'request failed');
      if (!res.headersSent) sendJson(res, 500, { error: 'internal', message: 'Internal error; see the log.' });
      else res.end();
    });
  });
  server.keepAliveTimeout = 5_000;
  return {
    server,
    listen: (host, port) =>
      new Promise((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, host, () => {
          server.off('error', reject);
          const address = server.address() as AddressInfo;
          resolve({ host, port: address.port, url: `http://${host.includes(':') ? `[${host}]` : host}:${address.port}` });
        });
      }),
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
};
