// Keeps the local console's conversation across restarts in a JSON file beside the SQLite store, so
// a restarted Redrive carries on in the same threads in the console as it does in Slack. Writes are
// debounced and atomic (temp file, then rename); a missing or unreadable file starts empty.

import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { ConsoleWorkspace, PersistedWorkspace } from '../../../slack-api-emulator/in-process-workspace.ts';
import type { Logger } from '../../../ports/logger.port.ts';

export interface ConsolePersistence {
  /** Writes what is pending now (at shutdown). */
  flush(): void;
  stop(): void;
}

const SAVE_DELAY_MS = 500;

export const persistWorkspace = (workspace: ConsoleWorkspace, path: string, logger: Pick<Logger, 'info' | 'warn'>): ConsolePersistence => {
  try {
    const data = JSON.parse(readFileSync(path, 'utf8')) as PersistedWorkspace;
    if (data.version === 1) {
      workspace.restore(data);
      logger.info({ path, messages: data.messages.length }, 'console: conversation restored');
    }
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') logger.warn({ path, err: error instanceof Error ? error.message : String(error) }, 'console: saved conversation unreadable; starting empty');
  }
  let timer: ReturnType<typeof setTimeout> | null = null;
  const save = (): void => {
    timer = null;
    try {
      mkdirSync(dirname(path), { recursive: true });
      const temp = `${path}.${process.pid}.tmp`;
      writeFileSync(temp, JSON.stringify(workspace.toPersisted()));
      renameSync(temp, path);
    } catch (error) {
      logger.warn({ path, err: error instanceof Error ? error.message : String(error) }, 'console: could not save the conversation');
    }
  };
  const unsubscribe = workspace.subscribe(() => {
    if (timer === null) {
      timer = setTimeout(save, SAVE_DELAY_MS);
      timer.unref();
    }
  });
  return {
    flush: () => {
      if (timer !== null) {
        clearTimeout(timer);
        save();
      }
    },
    stop: () => {
      unsubscribe();
      if (timer !== null) clearTimeout(timer);
      timer = null;
    },
  };
};
