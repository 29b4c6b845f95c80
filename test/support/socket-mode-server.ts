// A local stand-in for Slack's Socket Mode websocket endpoint: greets the client with `hello`, sends
// envelopes (slash commands, interactive payloads) and resolves with the client's acknowledgement.

import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';

export interface SocketModeServer {
  /** What apps.connections.open should return as `url`. */
  url: string;
  /** Resolves when a client has connected and been greeted. */
  connected(): Promise<void>;
  /** Sends one envelope and resolves with the client's ack message. */
  sendEnvelope(type: 'slash_commands' | 'interactive' | 'events_api', payload: Record<string, unknown>): Promise<Record<string, unknown>>;
  close(): Promise<void>;
}

export const startSocketModeServer = async (): Promise<SocketModeServer> => {
  const wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  await new Promise<void>((resolve) => wss.once('listening', () => resolve()));
  const port = (wss.address() as AddressInfo).port;
  let client: WebSocket | null = null;
  let greeted: (() => void) | null = null;
  const greetedPromise = new Promise<void>((resolve) => {
    greeted = resolve;
  });
  const pending = new Map<string, (ack: Record<string, unknown>) => void>();
  wss.on('connection', (socket) => {
    client = socket;
    socket.on('message', (data) => {
      const message = JSON.parse(String(data)) as Record<string, unknown>;
      const id = message.envelope_id;
      if (typeof id === 'string') pending.get(id)?.(message);
    });
    socket.send(JSON.stringify({ type: 'hello', num_connections: 1, debug_info: { host: 'local', approximate_connection_time: 3600 }, connection_info: { app_id: 'A0REDRIVE' } }));
    greeted?.();
  });
  return {
    url: `ws://127.0.0.1:${port}/link/?ticket=local`,
    connected: () => greetedPromise,
    sendEnvelope: (type, payload) =>
      new Promise((resolve, reject) => {
        if (!client) {
          reject(new Error('no Socket Mode client connected'));
          return;
        }
        const envelopeId = randomUUID();
        pending.set(envelopeId, resolve);
        client.send(JSON.stringify({ envelope_id: envelopeId, type, payload, accepts_response_payload: type !== 'events_api', retry_attempt: 0, retry_reason: '' }));
      }),
    close: () =>
      new Promise((resolve) => {
        for (const socket of wss.clients) socket.terminate();
        wss.close(() => resolve());
      }),
  };
};
