// The Dockerfile's claims, checked without a Docker engine: the base image is pinned to the project's
// Node version, production dependencies are installed in their own cached layer before the sources,
// Redrive runs as the non-root `node` user with /app/.data owned by it, and the HEALTHCHECK (Node's
// fetch, the slim image has no curl) really tells a ready Redrive from a store that does not answer.
// The image's `npm ci --omit=dev` holds exactly what src imports: no unused or dev-only dependency.

import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/load-config.ts';
import { dockerfileHealthcheck, ROOT, useLocalRedrive, sourceFiles } from '../support/deploy-tools.ts';

interface Instruction {
  op: string;
  args: string;
}

/** Dockerfile instructions in order, continuation lines joined, comments dropped. */
const instructions = (text: string): Instruction[] =>
  text
    .replace(/\\\n/g, ' ')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'))
    .map((line) => {
      const [op = '', ...rest] = line.split(/\s+/);
      return { op: op.toUpperCase(), args: rest.join(' ') };
    });

const dockerfile = instructions(readFileSync(join(ROOT, 'Dockerfile'), 'utf8'));
const indexOf = (predicate: (i: Instruction) => boolean): number => dockerfile.findIndex(predicate);
const defaultPort = (() => {
  const parsed = parseConfig({});
  if (!parsed.ok) throw new Error('the empty config does not parse');
  return parsed.config.server.port;
})();

/** Runs the HEALTHCHECK command with the project's node, pointed at `port` instead of the image's default. */
const runHealthcheck = (port: number): Promise<number> => {
  const [command, ...args] = dockerfileHealthcheck();
  const patched = args.map((arg) => arg.replace(`:${defaultPort}/`, `:${port}/`));
  return new Promise((resolve) => {
    execFile(command === 'node' ? process.execPath : (command ?? 'false'), patched, { timeout: 20_000 }, (error) => resolve(error ? Number(error.code ?? 1) : 0));
  });
};

describe('Dockerfile', () => {
  it("pins the base image to the project's Node version", () => {
    const from = dockerfile.filter((i) => i.op === 'FROM').map((i) => i.args);
    expect(from).toHaveLength(1);
    const nodeVersion = readFileSync(join(ROOT, '.node-version'), 'utf8').trim();
    expect(from[0]).toMatch(new RegExp(`^node:${nodeVersion.replaceAll('.', '\\.')}-slim(@sha256:[0-9a-f]{64})?$`));
  });

  it('installs production dependencies from the lock file in a layer before the sources', () => {
    const copyManifests = indexOf((i) => i.op === 'COPY' && /package\.json/.test(i.args) && /package-lock\.json/.test(i.args));
    const install = indexOf((i) => i.op === 'RUN' && /\bnpm ci\b.*--omit=dev/.test(i.args));
    const copySources = indexOf((i) => i.op === 'COPY' && /^src\b/.test(i.args));
    expect(copyManifests).toBeGreaterThanOrEqual(0);
    expect(install).toBeGreaterThan(copyManifests);
    expect(copySources).toBeGreaterThan(install);
    // Every COPY source exists in the build context, and the context keeps local state out.
    for (const copy of dockerfile.filter((i) => i.op === 'COPY')) {
      for (const source of copy.args.split(/\s+/).slice(0, -1)) expect(existsSync(join(ROOT, source)), source).toBe(true);
    }
    const ignored = readFileSync(join(ROOT, '.dockerignore'), 'utf8').split('\n');
    for (const path of ['node_modules', '.tools', '.data']) expect(ignored).toContain(path);
  });

  it('runs as node, with /app/.data created and owned by node before the switch', () => {
    const user = dockerfile.map((i, n) => ({ ...i, n })).filter((i) => i.op === 'USER');
    expect(user.map((u) => u.args)).toEqual(['node']);
    const lastRun = dockerfile.map((i) => i.op).lastIndexOf('RUN');
    expect(user[0]?.n).toBeGreaterThan(lastRun);
    const dataDir = indexOf((i) => i.op === 'RUN' && /mkdir -p \/app\/\.data/.test(i.args) && /chown node:node \/app\/\.data/.test(i.args));
    expect(dataDir).toBeGreaterThanOrEqual(0);
    expect(dockerfile.find((i) => i.op === 'VOLUME')?.args).toContain('/app/.data');
    expect(dockerfile.find((i) => i.op === 'WORKDIR')?.args).toBe('/app');
  });

  it('exposes the default port and starts `redrive serve` from the sources', () => {
    expect(dockerfile.find((i) => i.op === 'EXPOSE')?.args).toBe(String(defaultPort));
    const cmd = JSON.parse(dockerfile.find((i) => i.op === 'CMD')?.args ?? '[]') as string[];
    expect(cmd[0]).toBe('node');
    expect(cmd.slice(-2)).toEqual(['src/main.ts', 'serve']);
    expect(existsSync(join(ROOT, 'src/main.ts'))).toBe(true);
  });

  describe('HEALTHCHECK', () => {
    const redrive = useLocalRedrive('redrive-health-');

    it('asks /readyz with node (no curl in the slim image) on the default port', () => {
      const argv = dockerfileHealthcheck();
      expect(argv.slice(0, 2)).toEqual(['node', '-e']);
      expect(argv[2]).toContain(`http://127.0.0.1:${defaultPort}/readyz`);
      expect(dockerfile.some((i) => /\b(curl|wget)\b/.test(i.args))).toBe(false);
    });

    it('passes against a ready Redrive, fails when /readyz says 503 or nothing listens', async () => {
      expect(await runHealthcheck(Number(new URL(redrive().url).port))).toBe(0);
      const notReady = createServer((_req, res) => res.writeHead(503).end('{"status":"not-ready"}'));
      await new Promise<void>((resolve) => notReady.listen(0, '127.0.0.1', resolve));
      const address = notReady.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      expect(await runHealthcheck(port)).toBe(1);
      await new Promise((resolve) => notReady.close(resolve));
      expect(await runHealthcheck(port)).toBe(1);
    });
  });
});

/** Packages imported at run time (not `import type`) by src/, by package name. */
const runtimeImports = (): Set<string> => {
  const packages = new Set<string>();
  for (const path of sourceFiles('src')) {
    const source = readFileSync(path, 'utf8');
    for (const match of source.matchAll(/^\s*(?:import|export)\s+(?!type\s)(?:[^'";]*?\sfrom\s+)?['"]([^'".][^'"]*)['"]|\bimport\(\s*['"]([^'".][^'"]*)['"]\s*\)/gm)) {
      const specifier = match[1] ?? match[2] ?? '';
      if (specifier.startsWith('node:')) continue;
      packages.add(specifier.startsWith('@') ? specifier.split('/').slice(0, 2).join('/') : (specifier.split('/')[0] ?? specifier));
    }
  }
  return packages;
};

describe('package.json for the image', () => {
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { dependencies: Record<string, string> };

  it('lists as dependencies exactly the packages src imports at run time (npm ci --omit=dev has them all, and nothing unused)', () => {
    const imported = runtimeImports();
    expect(imported.size).toBeGreaterThan(5);
    expect([...imported].sort()).toEqual(Object.keys(pkg.dependencies).sort());
  });
});
