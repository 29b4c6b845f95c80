// deploy/compose.yaml against the Compose specification (compose-spec's validator) and the code:
// PostgreSQL plus two Redrive replicas built from the Dockerfile, sharing one config and one
// DATABASE_URL, health-checked on /readyz at the config's port with the image's own HEALTHCHECK, and
// one nginx in front whose upstream is exactly those replicas. Every variable set is one the mounted
// config names (or Redrive reads), and together they let Redrive start in the config's Slack mode.

import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { dockerfileHealthcheck, ROOT, runDeployCheck } from '../support/deploy-tools.ts';
import { knownEnvNames, parseDeployedConfig, startupWith } from './env-contract.ts';

interface Service {
  build?: { context: string; dockerfile: string };
  image?: string;
  environment?: Record<string, string>;
  volumes?: string[];
  ports?: string[];
  read_only?: boolean;
  tmpfs?: string[];
  depends_on?: Record<string, { condition: string }>;
  healthcheck?: { test: string[] };
}

const COMPOSE = join(ROOT, 'deploy/compose.yaml');
const DEPLOY = dirname(COMPOSE);
const compose = parse(readFileSync(COMPOSE, 'utf8'), { merge: true }) as { services: Record<string, Service> };
const services = compose.services;
const replicas = Object.entries(services).filter(([, s]) => s.build !== undefined);

/** `${NAME:?message}` / `${NAME}` as Compose interpolates them, with a stand-in value per variable. */
const interpolate = (value: string): string => value.replace(/\$\{(\w+)(?::?[?-][^}]*)?\}/g, (_m, name: string) => `<${name}>`);

const mountOf = (service: Service, target: string): string | null => {
  const volume = (service.volumes ?? []).find((v) => v.split(':')[1] === target);
  return volume ? resolve(DEPLOY, volume.split(':')[0] ?? '') : null;
};

describe('deploy/compose.yaml', () => {
  it('is a valid Compose file (compose-spec), and the validator refuses a broken copy', () => {
    expect(runDeployCheck<string | null>(['compose', COMPOSE])).toBeNull();
    const dir = mkdtempSync(join(tmpdir(), 'redrive-compose-'));
    writeFileSync(join(dir, 'compose.yaml'), readFileSync(COMPOSE, 'utf8').replace('start_period: 20s', 'start_period: soon'));
    expect(runDeployCheck<string | null>(['compose', join(dir, 'compose.yaml')])).toMatch(/duration/);
    copyFileSync(COMPOSE, join(dir, 'same.yaml'));
    expect(runDeployCheck<string | null>(['compose', join(dir, 'same.yaml')])).toBeNull();
  });

  it('runs PostgreSQL, two Redrive replicas built from the Dockerfile and one proxy', () => {
    expect(Object.keys(services).sort()).toEqual(['postgres', 'proxy', 'redrive-1', 'redrive-2']);
    expect(replicas.map(([name]) => name)).toEqual(['redrive-1', 'redrive-2']);
    for (const [, replica] of replicas) {
      expect(resolve(DEPLOY, replica.build?.context ?? '', replica.build?.dockerfile ?? '')).toBe(join(ROOT, 'Dockerfile'));
      expect(replica.depends_on?.postgres?.condition).toBe('service_healthy');
      expect(replica.read_only).toBe(true);
      expect(replica.tmpfs).toEqual(expect.arrayContaining(['/tmp', '/app/.data']));
    }
    expect(services.postgres?.healthcheck?.test).toContain('pg_isready');
    expect(services.postgres?.image).toMatch(/^postgres:\d+\.\d+/);
    expect(services.proxy?.image).toMatch(/^nginx:\d+\.\d+\.\d+/);
  });

  it('gives both replicas the same config and DATABASE_URL, pointing at the postgres service', () => {
    const [first, second] = replicas.map(([, s]) => s);
    expect(first?.environment).toEqual(second?.environment);
    const env = first?.environment ?? {};
    const configPath = mountOf(first ?? {}, env.REDRIVE_CONFIG ?? '');
    expect(configPath, 'REDRIVE_CONFIG is a mounted file').not.toBeNull();
    expect(mountOf(second ?? {}, env.REDRIVE_CONFIG ?? '')).toBe(configPath);
    const config = parseDeployedConfig(readFileSync(configPath ?? '', 'utf8'));
    expect(config.store.kind).toBe('postgres');
    const urlEnv = config.store.kind === 'postgres' ? config.store.urlEnv : '';
    const url = new URL(interpolate(env[urlEnv] ?? ''));
    const pg = services.postgres?.environment ?? {};
    expect(url.hostname).toBe('postgres');
    expect(url.username).toBe(pg.POSTGRES_USER);
    expect(url.pathname).toBe(`/${pg.POSTGRES_DB}`);
    expect(decodeURIComponent(url.password)).toBe(interpolate(pg.POSTGRES_PASSWORD ?? ''));
  });

  it('sets exactly variables the mounted config names, enough for Redrive to start in its Slack mode', () => {
    const [, replica] = replicas[0] ?? [];
    const env = Object.fromEntries(Object.entries(replica?.environment ?? {}).map(([k, v]) => [k, interpolate(v)]));
    const config = parseDeployedConfig(readFileSync(mountOf(replica ?? {}, env.REDRIVE_CONFIG ?? '') ?? '', 'utf8'));
    const known = knownEnvNames(config);
    for (const name of Object.keys(env)) expect(known.has(name) || name.startsWith('AWS_'), `${name} is not read by Redrive with this config`).toBe(true);
    expect(startupWith(config, env)).toEqual({ missing: [], slack: config.slack.mode });
    // Listening on the container network, on the port the health check and the proxy use.
    expect(config.server.host).toBe('0.0.0.0');
  });

  it("health-checks each replica on /readyz with the image's own HEALTHCHECK, at the config's port", () => {
    const image = dockerfileHealthcheck();
    expect(image.join(' ')).toMatch(/\/readyz/);
    for (const [, replica] of replicas) {
      expect(['CMD', ...image]).toEqual(replica.healthcheck?.test);
      const config = parseDeployedConfig(readFileSync(mountOf(replica, replica.environment?.REDRIVE_CONFIG ?? '') ?? '', 'utf8'));
      expect(replica.healthcheck?.test.join(' ')).toContain(`127.0.0.1:${config.server.port}/readyz`);
    }
  });

  it('puts one Slack URL in front of both replicas: the proxy upstream is exactly them, once healthy', () => {
    const proxy = services.proxy ?? {};
    expect(Object.entries(proxy.depends_on ?? {}).map(([name, d]) => `${name}:${d.condition}`).sort()).toEqual(replicas.map(([name]) => `${name}:service_healthy`));
    const nginx = readFileSync(mountOf(proxy, '/etc/nginx/conf.d/default.conf') ?? '', 'utf8');
    const replica = replicas[0]?.[1] ?? {};
    const config = parseDeployedConfig(readFileSync(mountOf(replica, replica.environment?.REDRIVE_CONFIG ?? '') ?? '', 'utf8'));
    const upstream = [...nginx.matchAll(/^\s*server ([\w.-]+):(\d+)\b/gm)].map((m) => `${m[1]}:${m[2]}`);
    expect(upstream).toEqual(replicas.map(([name]) => `${name}:${config.server.port}`));
    const listen = /^\s*listen (\d+);/m.exec(nginx)?.[1];
    expect(proxy.ports?.map((p) => p.split(':').at(-1))).toEqual([listen]);
  });
});
