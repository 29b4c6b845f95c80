// The Slack API emulator stands alone: no file in src/slack-api-emulator imports anything outside
// the folder except node: built-ins, so neither the app nor its limits can leak into the referee.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const FOLDER = join(import.meta.dirname, '..', '..', 'src', 'slack-api-emulator');
const SPECIFIER = /(?:^|\s)(?:import|export)\s[^'"]*?from\s*['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g;

describe('src/slack-api-emulator', () => {
  const files = readdirSync(FOLDER, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.ts'));

  it('imports only its own files and node: built-ins', () => {
    expect(files.length).toBeGreaterThan(0);
    const outside = files.flatMap((file) =>
      [...readFileSync(join(FOLDER, file), 'utf8').matchAll(SPECIFIER)]
        .map((m) => m[1] ?? m[2] ?? '')
        .filter((spec) => !spec.startsWith('node:') && !/^\.\/[^/]+$/.test(spec) && !/^\.\/(?!\.\.)[\w/-]+\.ts$/.test(spec))
        .map((spec) => `${file}: ${spec}`),
    );
    expect(outside).toEqual([]);
  });
});
