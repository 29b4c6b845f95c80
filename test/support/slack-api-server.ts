// Starts the Slack Web API emulator (src/slack-api-emulator) on a free 127.0.0.1 port for tests:
// the emulator answers and records; this only listens, hands out its URL and closes it.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createSlackApiEmulator, type SlackApiEmulator, type SlackApiEmulatorOptions } from '../../src/slack-api-emulator/http-handler.ts';

export type { InjectedFailure, RecordedCall, SideChannel } from '../../src/slack-api-emulator/http-handler.ts';
export type SlackApiServerOptions = SlackApiEmulatorOptions;

export interface SlackApiServer extends Omit<SlackApiEmulator, 'handle' | 'setOrigin'> {
  /** `http://127.0.0.1:<port>/api/`: pass as `clientOptions.slackApiUrl`. */
  url: string;
  origin: string;
  port: number;
  close(): Promise<void>;
}

export async function startSlackApiServer(options: SlackApiServerOptions = {}): Promise<SlackApiServer> {
  const { handle, setOrigin, ...emulator } = createSlackApiEmulator(options);
  const server = createServer(handle);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const origin = `http://127.0.0.1:${port}`;
  setOrigin(origin);
  return {
    ...emulator,
    url: `${origin}/api/`,
    origin,
    port,
    close() {
      return new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      });
    },
  };
}
