// The one HTTP server of a Redrive process: our routes, plus Slack's events endpoint handed to Bolt's
// HTTPReceiver when Slack runs in HTTP mode. No business logic here.

import { createServer, type IncomingMessage, type RequestListener, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from '../../outbound/logging/pino-logger.ts';
import { sendJson, type Route } from './route.ts';
import { RedriveError } from '../../../errors.ts';

export interface HttpServer {
  readonly server: Server;
  listen(host: string, port: number): Promise<{ host: string; port: number; url: string }>;
  close(): Promise<void>;
}

/** EADDRINUSE / EACCES as a RedriveError that says which port and how to pick another. */
const listenError = (error: NodeJS.ErrnoException, host: string, port: number): Error => {
  const other = port === 0 || port >= 65535 ? 3001 : port + 1;
  const how = `Pick another with: redrive serve --port ${other} (or the PORT environment variable, or server.port in the config; 0 picks a free one).`;
  if (error.code === 'EADDRINUSE') {
    return new RedriveError('SERVER_PORT_UNAVAILABLE', `Port ${port} on ${host} is already in use (another Redrive, or another program). ${how}`, { cause: error, context: { host, port } });
  }
  if (error.code === 'EACCES') {
    return new RedriveError('SERVER_PORT_UNAVAILABLE', `Port ${port} on ${host} needs privileges this process does not have (ports below 1024). ${how}`, { cause: error, context: { host, port } });
  }
  return error;
};

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
        server.once('error', (error: NodeJS.ErrnoException) => reject(listenError(error, host, port)));
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
