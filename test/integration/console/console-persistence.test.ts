// The console's conversation survives a restart: messages, threads, uploaded files and the App Home
// come back from the JSON file beside the store; open modals do not; a broken file starts empty.

import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { persistWorkspace } from '../../../src/adapters/inbound/console/console-persistence.ts';
import { CONSOLE_USER, ConsoleWorkspace } from '../../../src/slack-api-emulator/in-process-workspace.ts';

const logger = { info: () => {}, warn: () => {} };

describe('console persistence', () => {
  it('restores channels, messages, files and the App Home after a restart, and keeps timestamps increasing', () => {
    const path = join(mkdtempSync(join(tmpdir(), 'redrive-console-')), 'data', 'console-workspace.json');
    const first = new ConsoleWorkspace();
    const saved = persistWorkspace(first, path, logger);
    first.addChannel('C0A', 'dlq-alerts');
    const ts = first.nextTs();
    first.putMessage({ channel: 'C0A', ts, threadTs: null, user: 'U0REDRIVE', text: 'parent', blocks: [{ type: 'divider' }], files: [], edited: false, ephemeralFor: null });
    first.addFile({ id: 'F01', name: 'c.png', title: 'chart', altText: null, mimetype: 'image/png', size: 0 });
    first.setFileBytes('F01', Buffer.from([1, 2, 3]));
    first.publishHome(CONSOLE_USER.id, { type: 'home', blocks: [] });
    first.openModal(CONSOLE_USER.id, { type: 'modal', blocks: [] }, false);
    saved.flush();
    saved.stop();

    const second = new ConsoleWorkspace();
    persistWorkspace(second, path, logger).stop();
    const snapshot = second.snapshot(CONSOLE_USER.id);
    expect(snapshot.channels.map((c) => c.id)).toEqual(['C0A']);
    expect(snapshot.messages.map((m) => [m.ts, m.text, m.blocks])).toEqual([[ts, 'parent', [{ type: 'divider' }]]]);
    expect(second.fileRecord('F01')?.bytes).toEqual(Buffer.from([1, 2, 3]));
    expect(snapshot.home?.view).toEqual({ type: 'home', blocks: [] });
    expect(snapshot.modals).toEqual([]);
    expect(Number(second.nextTs())).toBeGreaterThan(Number(ts));
    expect(second.nextId('V')).not.toBe(snapshot.home?.id);
  });

  it('starts empty when the file is unreadable', () => {
    const path = join(mkdtempSync(join(tmpdir(), 'redrive-console-')), 'console-workspace.json');
    writeFileSync(path, '{not json');
    const warnings: string[] = [];
    const workspace = new ConsoleWorkspace();
    persistWorkspace(workspace, path, { info: () => {}, warn: (_f, message) => warnings.push(message) }).stop();
    expect(workspace.snapshot(CONSOLE_USER.id).messages).toEqual([]);
    expect(warnings).toEqual(['console: saved conversation unreadable; starting empty']);
  });
});
