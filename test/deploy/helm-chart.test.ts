// deploy/helm/redrive rendered (test/support/helm-subset-renderer.ts, the subset of Go templates the
// chart uses) and checked against the Kubernetes JSON schemas (kubernetes-validate, strict) and the
// code: replicas, probes on paths a running Redrive answers, a non-root read-only container whose
// writable paths are emptyDirs, Slack and DATABASE_URL from a Secret under the names the ConfigMap's
// config reads, and a ServiceMonitor that scrapes /metrics through the Service.

import { readFileSync } from 'node:fs';
import { join, posix } from 'node:path';
import { parse, parseAllDocuments } from 'yaml';
import { describe, expect, it } from 'vitest';
import { renderChart, renderTemplate } from '../support/helm-subset-renderer.ts';
import { ROOT, runDeployCheck, useLocalRedrive } from '../support/deploy-tools.ts';
import { knownEnvNames, parseDeployedConfig, startupWith } from './env-contract.ts';

const CHART = join(ROOT, 'deploy/helm/redrive');
const KUBERNETES_VERSION = '1.33.0';

// biome-ignore lint/suspicious/noExplicitAny: rendered Kubernetes objects, read field by field in the assertions
type Doc = { kind: string; metadata: { name: string; labels?: Record<string, string> }; spec?: any; data?: Record<string, string> };

const render = (values: Record<string, unknown> = {}): Doc[] =>
  parseAllDocuments(renderChart(CHART, { releaseName: 'redrive', namespace: 'dlq', values }))
    .map((d) => d.toJS() as Doc | null)
    .filter((d): d is Doc => d !== null);

const byKind = (docs: Doc[], kind: string): Doc => {
  const doc = docs.find((d) => d.kind === kind);
  if (!doc) throw new Error(`no ${kind} rendered`);
  return doc;
};

const docs = render();
const deployment = byKind(docs, 'Deployment');
const pod = deployment.spec.template.spec;
const container = pod.containers[0];
const envValue = (name: string): string | undefined => container.env.find((e: { name: string }) => e.name === name)?.value;
const configMap = byKind(docs, 'ConfigMap');
const configPath = envValue('REDRIVE_CONFIG') ?? '';
const config = parseDeployedConfig(configMap.data?.[posix.basename(configPath)] ?? '');
const dockerfile = readFileSync(join(ROOT, 'Dockerfile'), 'utf8');

describe('Helm chart deploy/helm/redrive', () => {
  it('renders manifests the Kubernetes schemas accept (strict), and the check refuses a broken one', () => {
    const text = renderChart(CHART, { releaseName: 'redrive', namespace: 'dlq' });
    const results = runDeployCheck<{ resource: string; error: string | null; noSchema?: string }[]>(['k8s', KUBERNETES_VERSION], text);
    expect(results.filter((r) => r.noSchema === undefined).map((r) => r.resource).sort()).toEqual(['ConfigMap/redrive-config', 'Deployment/redrive', 'PodDisruptionBudget/redrive', 'Service/redrive']);
    for (const result of results) expect(result.error, result.resource).toBeNull();
    const broken = text.replace('readOnlyRootFilesystem: true', 'readOnlyRootFileSystem: true');
    expect(runDeployCheck<{ error: string | null }[]>(['k8s', KUBERNETES_VERSION], broken).some((r) => /readOnlyRootFileSystem/.test(r.error ?? ''))).toBe(true);
  });

  it("describes itself as Redrive's chart: name of its directory, appVersion and default image tag the package's version", () => {
    const chart = parse(readFileSync(join(CHART, 'Chart.yaml'), 'utf8')) as Record<string, string>;
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string };
    expect(chart).toMatchObject({ apiVersion: 'v2', name: posix.basename(CHART), type: 'application', appVersion: pkg.version });
    expect(chart.version).toMatch(/^\d+\.\d+\.\d+$/);
    expect(container.image).toBe(`redrive:${pkg.version}`);
  });

  it('runs the configured replicas, rolling one at a time', () => {
    expect(deployment.spec.replicas).toBe(2);
    expect(byKind(render({ replicaCount: 3 }), 'Deployment').spec.replicas).toBe(3);
    expect(deployment.spec.strategy.rollingUpdate.maxUnavailable).toBe(0);
    // A drain leaves one replica serving: the budget selects the same pods and keeps fewer than all.
    const budget = byKind(docs, 'PodDisruptionBudget');
    expect(budget.spec.selector.matchLabels).toEqual(deployment.spec.selector.matchLabels);
    expect(budget.spec.minAvailable).toBeGreaterThanOrEqual(1);
    expect(budget.spec.minAvailable).toBeLessThan(deployment.spec.replicas);
  });

  it("mounts a config the schema accepts, listening on all interfaces at the container's port", () => {
    expect(config.server.host).toBe('0.0.0.0');
    const port = container.ports.find((p: { name: string }) => p.name === 'http');
    expect(port.containerPort).toBe(config.server.port);
    const mount = container.volumeMounts.find((m: { mountPath: string }) => m.mountPath === posix.dirname(configPath));
    expect(pod.volumes.find((v: { name: string }) => v.name === mount?.name)?.configMap?.name).toBe(configMap.metadata.name);
    expect(mount.readOnly).toBe(true);
  });

  it('takes Slack tokens and DATABASE_URL from the Secret, under the names the config reads, and sets nothing else', () => {
    const secretRefs = container.env.filter((e: { valueFrom?: unknown }) => e.valueFrom);
    for (const ref of secretRefs) expect(ref.valueFrom.secretKeyRef.name).toBe('redrive');
    const names = container.env.map((e: { name: string }) => e.name) as string[];
    const known = knownEnvNames(config);
    for (const name of names) expect(known.has(name), `${name} is not read by Redrive with this config`).toBe(true);
    expect(names).toEqual(expect.arrayContaining([config.slack.botTokenEnv, config.slack.signingSecretEnv, config.slack.appTokenEnv]));
    // With each Secret key present Redrive starts in the config's Slack mode with its store; only the Socket Mode token may be absent.
    const env = Object.fromEntries(secretRefs.map((e: { name: string }) => [e.name, 'from-secret']));
    expect(startupWith(config, env)).toEqual({ missing: [], slack: config.slack.mode });
    const optional = secretRefs.filter((e: { valueFrom: { secretKeyRef: { optional?: boolean } } }) => e.valueFrom.secretKeyRef.optional).map((e: { name: string }) => e.name);
    expect(optional).toEqual([config.slack.appTokenEnv]);
  });

  it('runs as the image user (node, uid 1000), non-root, read-only, with emptyDirs for /tmp and /app/.data', () => {
    expect(dockerfile).toMatch(/^USER node$/m);
    expect(pod.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 1000, runAsGroup: 1000 });
    expect(container.securityContext).toMatchObject({ readOnlyRootFilesystem: true, allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } });
    const dataVolume = /^VOLUME \["([^"]+)"\]$/m.exec(dockerfile)?.[1];
    for (const path of ['/tmp', dataVolume]) {
      const mount = container.volumeMounts.find((m: { mountPath: string }) => m.mountPath === path);
      expect(pod.volumes.find((v: { name: string }) => v.name === mount?.name)?.emptyDir, `${path} is an emptyDir`).toEqual({});
    }
  });

  it('selects its pods from the Service and scrapes /metrics through it with a ServiceMonitor', () => {
    const service = byKind(docs, 'Service');
    const podLabels = deployment.spec.template.metadata.labels;
    expect(podLabels).toMatchObject(service.spec.selector);
    expect(deployment.spec.selector.matchLabels).toEqual(service.spec.selector);
    expect(service.spec.ports[0].targetPort).toBe('http');
    const monitor = byKind(docs, 'ServiceMonitor');
    expect(service.metadata.labels).toMatchObject(monitor.spec.selector.matchLabels);
    expect(monitor.spec.endpoints).toEqual([expect.objectContaining({ port: service.spec.ports[0].name, path: '/metrics' })]);
    expect(render({ serviceMonitor: { enabled: false } }).map((d) => d.kind)).not.toContain('ServiceMonitor');
  });

  describe('probes', () => {
    const redrive = useLocalRedrive('redrive-probes-');

    it('ask readiness on /readyz and liveness on /healthz, paths a running Redrive answers, as the ServiceMonitor does /metrics', async () => {
      expect(container.readinessProbe.httpGet).toEqual({ path: '/readyz', port: 'http' });
      expect(container.livenessProbe.httpGet).toEqual({ path: '/healthz', port: 'http' });
      for (const path of ['/readyz', '/healthz', byKind(docs, 'ServiceMonitor').spec.endpoints[0].path]) {
        expect((await fetch(`${redrive().url}${path}`)).status, path).toBe(200);
      }
    });
  });
});

describe('the subset renderer', () => {
  const scope = { Values: { a: { b: 'x' }, on: true, off: false, text: 'l1\nl2' }, Release: { Name: 'r' }, Chart: {} };

  it('renders values, quote, nindent, if/else and the whitespace trims as Go templates do', () => {
    expect(renderTemplate('v: {{ .Values.a.b | quote }}', scope, 't')).toBe('v: "x"');
    expect(renderTemplate('k: |\n  {{- .Values.text | nindent 2 }}', scope, 't')).toBe('k: |\n  l1\n  l2');
    expect(renderTemplate('{{- if .Values.off }}\nyes\n{{- else }}\nno\n{{- end }}', scope, 't')).toBe('\nno');
    expect(renderTemplate('{{- if .Values.on -}}\n  yes\n{{- end }}', scope, 't')).toBe('yes');
  });

  it('refuses what it does not implement, and missing values, instead of rendering something helm would not', () => {
    expect(() => renderTemplate('{{ include "x" . }}', scope, 't')).toThrow(/unsupported/);
    expect(() => renderTemplate('{{ .Values.a | toYaml }}', scope, 't')).toThrow(/unsupported function/);
    expect(() => renderTemplate('{{ .Values.missing }}', scope, 't')).toThrow(/no value/);
    expect(() => renderTemplate('{{ .Values.a }}', scope, 't')).toThrow(/Go map/);
    expect(() => renderTemplate('{{ if .Values.on }}', scope, 't')).toThrow(/without "end"/);
  });
});
