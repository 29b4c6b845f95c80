// The local console in a real browser: `redrive serve` without Slack credentials or queues, opened in
// Debian's chromium through playwright-core. A person waits for the demo incident, peeks from its
// parent message, views a message in a modal, replays one (confirm dialog), resolves one with a
// reason (modal), checks the thread and the audit, and sees the incident escalate to L2, the rise
// also sent to the channel. Screenshots of the incident thread and of the broadcast rise (channel and
// thread) are saved under test-artifacts/.

import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromium, type BrowserContext, type Locator, type Page } from 'playwright-core';
import { serveRedrive, type ServingRedrive } from '../support/run-redrive.ts';

const CHROMIUM = process.env.REDRIVE_CHROMIUM ?? '/usr/bin/chromium';
const ARTIFACTS = resolve(import.meta.dirname, '../../test-artifacts');
const haveBrowser = existsSync(CHROMIUM);

if (!haveBrowser) {
  const message = `browser test: ${CHROMIUM} is missing; run scripts/install-chromium.sh as root (apt-get install -y chromium)`;
  if (process.env.CI === 'true') throw new Error(message);
  console.warn(`\n*** SKIPPED: ${message} ***\n`);
}

describe.skipIf(!haveBrowser)('local console in a browser', () => {
  let dir: string;
  let server: ServingRedrive;
  let context: BrowserContext;
  let page: Page;
  let startedAt: number;
  let consoleUrl: string;
  const timings: Record<string, number> = {};
  const pageErrors: string[] = [];

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'redrive-console-'));
    const config = join(dir, 'redrive.yml');
    writeFileSync(config, `server: {port: 0}\nstore: {kind: sqlite, path: ${join(dir, 'redrive.db')}}\n`);
    startedAt = Date.now();
    server = await serveRedrive(['--config', config], { env: { SLACK_BOT_TOKEN: '', SLACK_SIGNING_SECRET: '', SLACK_APP_TOKEN: '' }, timeoutMs: 60_000 });
    timings.serveMs = Date.now() - startedAt;
    // The URL a person opens is the one `serve` prints.
    const printedUrl = (): string | null => /Local console \(no Slack configured\): open (http:\/\/\S+)/.exec(server.output())?.[1] ?? null;
    for (let waited = 0; printedUrl() === null && waited < 10_000; waited += 50) await new Promise((done) => setTimeout(done, 50));
    expect(printedUrl(), server.output()).not.toBeNull();
    consoleUrl = printedUrl()!;
    context = await chromium.launchPersistentContext(join(dir, 'chromium-profile'), {
      executablePath: CHROMIUM,
      headless: true,
      // Headless, no sandbox (root in CI), nothing that reaches a network; /dev/shm off (64 MB in containers).
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'],
      viewport: { width: 1440, height: 900 },
    });
    page = context.pages()[0] ?? (await context.newPage());
    // Script errors and refused resources (CSP) would break the page silently: collect them.
    page.on('pageerror', (error) => pageErrors.push(error.message));
    page.on('console', (message) => {
      if (message.type() === 'error') pageErrors.push(message.text());
    });
  });

  afterAll(async () => {
    await context?.close();
    if (server) expect(await server.stop()).toBe(0);
    mkdirSync(ARTIFACTS, { recursive: true });
    writeFileSync(join(ARTIFACTS, 'console-timings.json'), `${JSON.stringify(timings, null, 2)}\n`);
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const thread = (): Locator => page.locator('#thread-messages');
  /** The incident parent message of the SQS-like demo queue in #dlq-alerts. */
  const parent = (): Locator => page.locator('#messages .message').filter({ has: page.locator('.bk-header', { hasText: 'demo-downloads-dlq' }) });

  it('shows the demo incident and lets a person work it through with the mouse', async () => {
    const navigation = Date.now();
    await page.goto(consoleUrl);
    await page.locator('#connection', { hasText: 'live' }).waitFor();
    timings.pageLoadMs = Date.now() - navigation;
    await expect.poll(() => page.locator('#top').textContent()).toContain('Connect a real Slack workspace');
    expect(await page.locator('#demo-banner').isVisible()).toBe(true);
    expect(await page.locator('#queues').textContent()).toMatch(/demo-downloads-dlq\s*SQS-like · demo/);

    // The incident opens on the first poll: its parent message, with the runbook's buttons.
    await parent().getByRole('button', { name: 'Peek', exact: true }).waitFor({ timeout: 20_000 });
    timings.firstIncidentMs = Date.now() - startedAt;
    expect(await parent().textContent()).toMatch(/L[12] (warning|critical)/);

    await parent().getByRole('button', { name: 'Peek', exact: true }).click();
    await parent().locator('.thread-link').click();
    const peek = thread().locator('.message').filter({ has: page.locator('.bk-header', { hasText: /^Peek demo-downloads-dlq/ }) });
    await peek.waitFor();
    expect(await thread().textContent()).toMatch(/Incident opened at L1/);

    // View: the message in a modal, with the runbook's fields.
    await peek.getByRole('button', { name: 'View', exact: true }).first().click();
    const modal = page.getByRole('dialog');
    await modal.waitFor();
    await expect.poll(() => modal.textContent(), { timeout: 10_000 }).toMatch(/trace id/);
    expect(await modal.textContent()).toMatch(/job-demo-[a-z0-9]+-\d{4}/);
    await page.locator('#modal-close').click();
    await modal.waitFor({ state: 'hidden' });

    // Replay, behind Slack's confirm dialog.
    await peek.getByRole('button', { name: 'Replay', exact: true }).nth(1).click();
    const confirm = page.getByRole('alertdialog');
    await confirm.waitFor();
    expect(await confirm.textContent()).toContain('Replay this message?');
    await page.locator('#confirm-ok').click();
    await page.locator('.message', { hasText: /Replayed demo-[a-z0-9]+-\d+/ }).first().waitFor();

    // Resolve with a reason, in a modal.
    await peek.getByRole('button', { name: 'Resolve', exact: true }).nth(2).click();
    await modal.waitFor();
    await modal.locator('textarea').fill('presigned URL expired; the customer re-uploaded the file');
    await page.locator('#modal-submit').click();
    await modal.waitFor({ state: 'hidden' });
    await page.locator('.message', { hasText: /Resolved demo-[a-z0-9]+-\d+/ }).first().waitFor();

    // The thread holds the opening, the peek and (in the thread or to the clicker) the results.
    const threadText = (await thread().textContent()) ?? '';
    expect(threadText).toMatch(/Peek demo-downloads-dlq/);

    // The audit: /dlq audit lists the console user's replay and resolve.
    await page.locator('#composer-input').fill('/dlq audit');
    await page.locator('#composer-send').click();
    const audit = page.locator('#messages .message').filter({ hasText: /resolve/ }).filter({ hasText: /replay/ }).last();
    await audit.waitFor();
    const auditText = (await audit.textContent()) ?? '';
    // The console user (<@U0CONSOLE>, drawn as a mention) did both; the reason is on record.
    expect(auditText).toMatch(/success · resolve by @you/);
    expect(auditText).toMatch(/success · replay by @you/);
    expect(auditText).toContain('presigned URL expired; the customer re-uploaded the file');

    // Acknowledge: the parent message is edited in place to name who did.
    await parent().getByRole('button', { name: 'Acknowledge', exact: true }).click();
    await parent().getByText(/@you/).first().waitFor();

    mkdirSync(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: join(ARTIFACTS, 'console-incident-thread.png') });

    // It keeps filling: the incident escalates to L2 within a minute or so of start.
    await parent().locator('.bk-header', { hasText: /L2 critical/ }).waitFor({ timeout: 90_000 });
    timings.escalatedToL2Ms = Date.now() - startedAt;
    // The rise is a thread reply also sent to the channel (Acknowledge did not stop it): in the
    // channel, marked as a reply to the incident's thread.
    const rise = page.locator('#messages .message')
      .filter({ has: page.locator('.broadcast-note', { hasText: 'demo-downloads-dlq' }) })
      .filter({ hasText: 'L1 warning → L2 critical' })
      .first();
    await rise.waitFor({ timeout: 10_000 });
    expect(await rise.locator('.broadcast-note').textContent()).toMatch(/^Replied to a thread: .*demo-downloads-dlq.* · also sent to the channel$/);
    await rise.scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(ARTIFACTS, 'console-incident-l2.png') });
    // In the thread, the same reply says it went to the channel too.
    await rise.locator('.broadcast-note .thread-link').click();
    await thread().locator('.message', { hasText: 'L1 warning → L2 critical' }).locator('.broadcast-note', { hasText: 'Also sent to the channel' }).waitFor();
    await page.screenshot({ path: join(ARTIFACTS, 'console-incident-l2-thread.png') });

    // The demo feed can be paused from the page (to drain the queue and watch the incident resolve).
    await page.locator('#demo-toggle').click();
    await page.locator('#demo-toggle', { hasText: 'Resume demo feed' }).waitFor();
    expect(await (await fetch(`${consoleUrl}/state`)).json()).toMatchObject({ console: { demo: { running: false } } });
    expect(pageErrors).toEqual([]);
  });
});
