// deploy/monitoring against a running Redrive: every metric the Grafana dashboard and the Prometheus
// alert rules query is one the real /metrics exports (counters under rate/increase, gauges under
// deriv/delta), every Redrive metric has a panel, each PromQL expression parses, and the rules carry
// the Kafka runbook's alert names, severities and thresholds in the shape Redrive's Alertmanager
// route maps to the right queue and level. Metric names come from the live app, so a rename fails here.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { beforeAll, describe, expect, it } from 'vitest';
import { BUILTIN_ALERT_LEVELS, mapAlertmanagerAlert } from '../../src/core/alerts/map-alertmanager-alert.ts';
import { parseConfig } from '../../src/config/load-config.ts';
import { familyOf, metricFamilies, ROOT, runDeployCheck, useLocalRedrive } from '../support/deploy-tools.ts';

interface Target {
  expr: string;
  refId: string;
}
interface Panel {
  id: number;
  title: string;
  datasource: { type: string; uid: string };
  gridPos: { h: number; w: number; x: number; y: number };
  targets: Target[];
}
interface Dashboard {
  uid: string;
  title: string;
  panels: Panel[];
  templating: { list: { name: string; type: string; query: unknown; definition?: string }[] };
}
interface Rule {
  alert: string;
  expr: string;
  for: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
}
interface ParsedExpr {
  expr: string;
  error: string | null;
  metrics: { name: string; function: string | null }[];
}

const dashboard = JSON.parse(readFileSync(join(ROOT, 'deploy/monitoring/grafana-dashboard.json'), 'utf8')) as Dashboard;
const rules = (parse(readFileSync(join(ROOT, 'deploy/monitoring/prometheus-rules.yaml'), 'utf8')) as { groups: { name: string; rules: Rule[] }[] }).groups.flatMap(
  (g) => g.rules,
);

// Grafana's variables, replaced by values Prometheus would see.
const grafanaToPromql = (expr: string): string => expr.replaceAll('$__rate_interval', '1m').replaceAll('$queue', '.*');

const COUNTER_FUNCTIONS = ['rate', 'irate', 'increase'];
const GAUGE_FUNCTIONS = ['deriv', 'delta', 'idelta', 'predict_linear'];

const redrive = useLocalRedrive('redrive-metrics-');
let families: Map<string, string>;

beforeAll(async () => {
  families = metricFamilies(await (await fetch(`${redrive().url}/metrics`)).text());
});

/** Every PromQL expression parsed; each metric it names must be exported with a type fit for the function applied. */
const checkAgainstMetrics = (exprs: string[]): ParsedExpr[] => {
  const parsed = runDeployCheck<ParsedExpr[]>(['promql'], JSON.stringify(exprs));
  for (const result of parsed) {
    expect(result.error, result.expr).toBeNull();
    expect(result.metrics.length, result.expr).toBeGreaterThan(0);
    for (const { name, function: fn } of result.metrics) {
      const family = familyOf(name, families);
      expect(family, `${name} in "${result.expr}" is not exported by /metrics (exported: ${[...families.keys()].join(', ')})`).not.toBeNull();
      const type = families.get(family ?? '');
      if (fn && COUNTER_FUNCTIONS.includes(fn)) expect(type, `${fn}(${name}) needs a counter`).toMatch(/^(counter|histogram|summary)$/);
      if (fn && GAUGE_FUNCTIONS.includes(fn)) expect(type, `${fn}(${name}) needs a gauge`).toBe('gauge');
    }
  }
  return parsed;
};

describe('Grafana dashboard', () => {
  it('queries only metrics the running app exports, with functions fit for their type', () => {
    expect(families.size).toBeGreaterThan(5);
    const exprs = dashboard.panels.flatMap((p) => p.targets.map((t) => grafanaToPromql(t.expr)));
    checkAgainstMetrics(exprs);
    // The queue variable lists the label values of an exported metric.
    const queueVariable = dashboard.templating.list.find((v) => v.name === 'queue');
    const labelValues = /^label_values\((\w+), *(\w+)\)$/.exec(queueVariable?.definition ?? '');
    expect(labelValues?.[1] && families.has(labelValues[1])).toBe(true);
    expect(labelValues?.[2]).toBe('queue');
  });

  it('shows every Redrive metric (not the process defaults) on some panel', () => {
    const exprs = dashboard.panels.flatMap((p) => p.targets.map((t) => t.expr)).join('\n');
    const own = [...families.keys()].filter((name) => name.startsWith('redrive_') && !/process_|nodejs_/.test(name));
    expect(own.length).toBeGreaterThan(3);
    for (const name of own) expect(exprs, `${name} has no panel`).toMatch(new RegExp(`\\b${name}\\b`));
  });

  it('is an importable dashboard: unique panel ids and refIds, a datasource variable, panels on the 24-column grid', () => {
    expect(dashboard.uid).toMatch(/^[a-z0-9-]{1,40}$/);
    expect(dashboard.title).toMatch(/Redrive/);
    expect(new Set(dashboard.panels.map((p) => p.id)).size).toBe(dashboard.panels.length);
    expect(dashboard.templating.list.find((v) => v.name === 'datasource')?.type).toBe('datasource');
    for (const panel of dashboard.panels) {
      // biome-ignore lint/suspicious/noTemplateCurlyInString: Grafana's dashboard variable, not a template
      expect(panel.datasource.uid).toBe('${datasource}');
      expect(panel.gridPos.x + panel.gridPos.w).toBeLessThanOrEqual(24);
      expect(new Set(panel.targets.map((t) => t.refId)).size).toBe(panel.targets.length);
    }
  });
});

describe('Prometheus alert rules', () => {
  const queueLabel = (() => {
    const parsed = parseConfig({});
    if (!parsed.ok) throw new Error('the empty config does not parse');
    return parsed.config.alerts.alertmanager.queueLabel;
  })();

  it('parse, and query only exported metrics', () => {
    expect(rules.length).toBe(3);
    checkAgainstMetrics(rules.map((r) => r.expr));
    for (const rule of rules) expect(rule.for).toMatch(/^(\d+[smhdwy])+$/);
  });

  it("carry the runbook's alert names with the severity of the level Redrive gives them", () => {
    expect(rules.map((r) => r.alert).sort()).toEqual(Object.keys(BUILTIN_ALERT_LEVELS).sort());
    for (const rule of rules) {
      const level = BUILTIN_ALERT_LEVELS[rule.alert];
      expect(rule.labels.severity, rule.alert).toBe(level === 'L1' ? 'warning' : 'critical');
    }
  });

  it("use the runbook's severity table: critical above 10/min over 5 min, warning at 5 per 10 min, warning above 1,000", () => {
    const byName = new Map(rules.map((r) => [r.alert, r]));
    expect(byName.get('KafkaDLQGrowthRapid')?.expr).toMatch(/deriv\(redrive_queue_depth\[5m\]\) \* 60 > 10\b/);
    expect(byName.get('KafkaDLQGrowthWarning')?.expr).toMatch(/delta\(redrive_queue_depth\[10m\]\) >= 5\b/);
    expect(byName.get('KafkaDLQSizeHigh')?.expr).toMatch(/redrive_queue_depth > 1000\b/);
  });

  it("label the queue the way Redrive's Alertmanager route finds it, at the level the runbook gives", () => {
    const queues = [{ name: 'downloads-dlq', kind: 'kafka' as const, topic: 'xact.downloads.dlq', alarmNames: [] }];
    for (const rule of rules) {
      // label_replace copies the metric's queue label into the label Redrive reads (alerts.alertmanager.queueLabel).
      const copied = /label_replace\(.*, "(\w+)", "\$1", "queue", "\(\.\*\)"\)$/.exec(rule.expr);
      expect(copied?.[1], rule.alert).toBe(queueLabel);
      const mapped = mapAlertmanagerAlert(
        { status: 'firing', labels: { alertname: rule.alert, queue: 'downloads-dlq', [queueLabel]: 'downloads-dlq', ...rule.labels }, annotations: {}, startsAt: '2026-01-01T00:00:00Z' },
        queues,
        { queueLabel },
      );
      expect(mapped.kind === 'mapped' && mapped.alert.queue).toBe('downloads-dlq');
      expect(mapped.kind === 'mapped' && mapped.alert.level).toBe(BUILTIN_ALERT_LEVELS[rule.alert]);
    }
  });
});
