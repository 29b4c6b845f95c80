import { describe, expect, it } from 'vitest';
import { axisFigure, niceMax, renderDepthChart, CHART_COLORS } from '../../../src/core/chart/depth-chart.ts';
import { runbookSteps } from '../../../src/core/escalation/runbook-steps.ts';
import { INCIDENT_ACTIONS } from '../../../src/presentation/slack/block-kit/incident-actions.ts';
import { bulkReplayModal } from '../../../src/presentation/slack/block-kit/modals.ts';
import {
  formatDuration,
  renderAlertReply,
  renderLevelReply,
  renderOpenedReply,
  renderPage,
  renderParent,
  renderResolvedReply,
  type ParentView,
} from '../../../src/presentation/slack/replies/incident-blocks.ts';
import { sparkline } from '../../../src/core/text/sparkline.ts';
import { checkMessage } from '../../../src/slack-api-emulator/block-kit-validator.ts';
import { at, series } from '../escalation/escalation-fixtures.ts';

const HOSTILE = '<!channel> <https://evil.example|click> & password=hunter2 token=xoxb-1234567890-abcdef';

const view = (overrides: Partial<ParentView> = {}): ParentView => ({
  incidentId: 'inc-1',
  queue: 'orders-dlq',
  status: 'open',
  level: 'L2',
  levelSince: at(5),
  openedAt: at(0),
  acknowledgedBy: null,
  acknowledgedAt: null,
  reading: { at: at(6), depth: 250, growthPerMinute: 12.5, oldestAgeSeconds: 3_900 },
  sparkline: '▁▃▅█',
  sourceAlert: { name: 'orders-dlq-visible', source: 'CloudWatch', state: 'firing', level: 'L1', at: at(1), reason: HOSTILE },
  reasons: [`depth 250 > 200 → L2`, `alert x firing: ${HOSTILE}`],
  holdUntil: null,
  summary: null,
  ...overrides,
});

const valid = (message: { text: string; blocks: unknown[] }) => expect(checkMessage(message)).toMatchObject({ ok: true });
const noPings = (message: { text: string; blocks: unknown[] }) => {
  const json = JSON.stringify(message);
  expect(json).not.toContain('<!channel>');
  expect(json).not.toContain('<https://evil');
  expect(json).not.toContain('hunter2');
  expect(json).not.toContain('xoxb-1234567890');
};

describe('incident parent message', () => {
  it('shows level, depth, growth, oldest age, sparkline, source alarm and the four buttons', () => {
    const message = renderParent(view());
    valid(message);
    noPings(message);
    const json = JSON.stringify(message.blocks);
    expect(message.blocks[0]).toEqual({ type: 'header', text: { type: 'plain_text', text: 'L2 critical — orders-dlq', emoji: true } });
    for (const part of ['*Depth*\\n250', '+12.5/min', '1 h 5 min', '▁▃▅█', 'Source alarm', 'not yet']) expect(json).toContain(part);
    const actions = message.blocks.find((b) => b.type === 'actions') as unknown as { elements: { action_id: string; value: string; confirm?: unknown }[] };
    expect(actions.elements.map((e) => e.action_id)).toEqual([INCIDENT_ACTIONS.peek, INCIDENT_ACTIONS.analyze, INCIDENT_ACTIONS.redriveAll, INCIDENT_ACTIONS.acknowledge]);
    // Redrive all opens the bulk replay modal: the modal is the confirmation, no dialog before it,
    // and it is titled as the button reads ("Redrive all…" opens "Redrive all").
    const redrive = actions.elements.find((e) => e.action_id === INCIDENT_ACTIONS.redriveAll) as { confirm?: unknown; text?: { text: string } } | undefined;
    expect(redrive?.confirm).toBeUndefined();
    expect(redrive?.text?.text).toBe('Redrive all…');
    const modal = bulkReplayModal('orders-dlq', { channel: 'C1', messageTs: '1.1', threadTs: null }, 'sqs', INCIDENT_ACTIONS.redriveAll) as unknown as { title: { text: string } };
    expect(`${modal.title.text}…`).toBe(redrive?.text?.text);
    expect((bulkReplayModal('orders-dlq', { channel: 'C1', messageTs: null, threadTs: null }, 'sqs') as unknown as { title: { text: string } }).title.text).toBe('Bulk replay');
    expect(actions.elements.find((e) => e.action_id === INCIDENT_ACTIONS.acknowledge)?.value).toBe('inc-1');
    expect(message.text).toBe('L2 critical: orders-dlq has 250 message(s) in its DLQ');
  });

  it('drops the Acknowledge button once acknowledged and names who', () => {
    const message = renderParent(view({ acknowledgedBy: 'U_ALICE', acknowledgedAt: at(7) }));
    expect(JSON.stringify(message)).not.toContain(INCIDENT_ACTIONS.acknowledge);
    expect(JSON.stringify(message)).toContain('<@U_ALICE> at <!date^');
  });

  it('shows a resolved incident with its summary and no buttons', () => {
    const summary = { durationMinutes: 95, peakDepth: 260, peakLevel: 'L3' as const, replayed: 250, resolved: 7, stillFailing: 3, returnedAfterReplay: 0 };
    const message = renderParent(view({ status: 'resolved', level: 'OK', summary }));
    valid(message);
    expect(message.blocks.some((b) => b.type === 'actions')).toBe(false);
    expect(JSON.stringify(message)).toContain('Lasted 1 h 35 min · peak depth 260 (L3 page) · replayed 250 · resolved 7 · still failing 3');
  });

  it('mentions when a lower level will be taken', () => {
    expect(JSON.stringify(renderParent(view({ holdUntil: at(20) })))).toContain('Steps down at <!date^');
  });
});

describe('thread replies and the page', () => {
  it('says why a level changed, with the runbook steps for the new level', () => {
    const message = renderLevelReply('L1', 'L2', ['depth 250 > 200 → L2'], runbookSteps('sqs-runbook', 'L2'));
    valid(message);
    expect(JSON.stringify(message)).toContain(':arrow_up: *L1 warning → L2 critical*');
    expect(JSON.stringify(message)).toContain('Stop Step Functions executions');
    expect(JSON.stringify(renderLevelReply('L3', 'L1', ['x'], []))).toContain(':arrow_down:');
    valid(renderOpenedReply('L1', ['depth 60 > 50 → L1'], runbookSteps('kafka-runbook', 'L1')));
  });

  it('escapes alert text', () => {
    const message = renderAlertReply({ name: '<!here>', source: 'Alertmanager', state: 'firing', level: 'L2', at: at(0), reason: HOSTILE });
    valid(message);
    noPings(message);
    expect(JSON.stringify(message)).not.toContain('<!here>');
  });

  it('resolution summary', () => {
    const message = renderResolvedReply({ durationMinutes: 30, peakDepth: 60, peakLevel: 'L1', replayed: 0, resolved: 60, stillFailing: 0, returnedAfterReplay: 2 }, ['below every threshold for 15 min (was L1)']);
    valid(message);
    expect(JSON.stringify(message)).toContain('2 came back after replay');
  });

  it('pages with the escalation information, escaped and redacted', () => {
    const message = renderPage({
      queue: 'downloads-dlq',
      userGroup: 'SONCALL',
      permalink: 'https://redrive-test.slack.com/archives/C1/p1',
      reading: { at: at(0), depth: 1_200, growthPerMinute: 55, oldestAgeSeconds: 60 },
      reasons: ['growing 55.0/min > 50/min → L3'],
      analysis: {
        at: at(0), topSignature: 'ssl', topSignatureCount: 120, unknownCategories: [], replayFailures: 0, scanned: 1_000,
        topPatterns: [{ label: `Systematic: ${HOSTILE}`, count: 120, action: 'Pause the worker and escalate.' }],
        sample: { messageKey: '0:42', text: `{"url":"https://x.example/a?X-Amz-Signature=abc","note":"${HOSTILE}"}` },
      },
      actions: [{ id: 1, at: at(1), action: 'replay', queue: 'downloads-dlq', messageId: '0:1', traceId: null, partition: 0, offset: '1', actor: 'U_BOB', result: 'success', error: null, incidentId: 'i', jobId: null, details: {} }],
    });
    valid(message);
    noPings(message);
    const json = JSON.stringify(message);
    expect(message.text.startsWith('<!subteam^SONCALL> L3 page: downloads-dlq')).toBe(true);
    for (const part of ['<https://redrive-test.slack.com/archives/C1/p1|incident thread>', '1,200 message(s), growth +55.0/min', 'Top error patterns', 'Sample message', 'replay by <@U_BOB>: success']) expect(json).toContain(part);
    expect(json).not.toContain('abc"');
  });

  it('formats durations', () => {
    expect([formatDuration(0), formatDuration(59), formatDuration(60), formatDuration(95)]).toEqual(['0 min', '59 min', '1 h', '1 h 35 min']);
  });
});

describe('sparkline', () => {
  it('scales from zero to the highest depth in at most `width` characters', () => {
    expect(sparkline(series([0, 0], [1, 50], [2, 100]))).toBe('▁▅█');
    expect(sparkline(series([0, 0], [1, 0]))).toBe('▁▁');
    expect(sparkline([])).toBe('');
    const many = Array.from({ length: 200 }, (_, i) => ({ at: at(i), depth: i }));
    const line = sparkline(many, 24);
    expect([...line]).toHaveLength(24);
    expect(line.endsWith('█')).toBe(true);
    expect(line.startsWith('▁')).toBe(true);
  });
});

describe('depth chart raster', () => {
  it('draws the line and thresholds on a white background', () => {
    const raster = renderDepthChart({ points: series([0, 0], [30, 250], [60, 0]), thresholds: [{ value: 200, color: CHART_COLORS.l2 }], width: 200, height: 100 });
    expect(raster.data).toHaveLength(200 * 100 * 4);
    const colors = new Set<string>();
    for (let i = 0; i < raster.data.length; i += 4) colors.add(`${raster.data[i]},${raster.data[i + 1]},${raster.data[i + 2]}`);
    expect(colors).toContain(CHART_COLORS.line.join(','));
    expect(colors).toContain(CHART_COLORS.l2.join(','));
    expect(colors).toContain(CHART_COLORS.background.join(','));
  });

  it('rounds the axis', () => {
    expect([niceMax(0), niceMax(7), niceMax(250), niceMax(1_001)]).toEqual([10, 10, 500, 2_000]);
    expect([axisFigure(375), axisFigure(12_500), axisFigure(250_000)]).toEqual(['375', '12.5k', '250k']);
  });
});
