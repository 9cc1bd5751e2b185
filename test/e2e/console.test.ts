/**
 * The console in a real browser (Debian's chromium, driven by playwright-core) against the whole
 * local platform on free ports, seeded with the demo data: sign in, search contacts, open a
 * contact, import a small CSV and watch the progress finish, the lists. Each page is checked with
 * axe-core (no serious or critical accessibility violation) and saved as a screenshot under
 * test-results/console/ (docs/console/ keeps a copy of the good ones).
 *
 * The browser must log no error or warning (CSP violations included) on the way.
 *
 * Without a chromium binary the suite is skipped with a message; in CI (CI=true) it fails instead.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureConsoleBuilt } from '../../local/console.ts';
import { PROJECT_ROOT, type Platform, startPlatform } from '../../local/platform.ts';
import { seedDemoData } from '../../local/seed.ts';
import { randomTenant } from '../helpers/builders.ts';

const CANDIDATES = [process.env.HERALD_CHROMIUM, '/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'];
const executablePath = CANDIDATES.find((p): p is string => !!p && existsSync(p));
const SHOTS = join(PROJECT_ROOT, 'test-results/console');

if (!executablePath) {
  const message = 'no chromium binary (apt-get install chromium, or set HERALD_CHROMIUM): the console end-to-end tests are skipped';
  if (process.env.CI === 'true')
    throw new Error(`${message.split(':')[0]}, and CI must run the console end-to-end tests (.ci/run installs it)`);
  console.warn(message);
}

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

describe.skipIf(!executablePath)('console in a browser', () => {
  let platform: Platform;
  let browser: Browser;
  let page: Page;
  const problems: string[] = [];

  beforeAll(async () => {
    ensureConsoleBuilt(PROJECT_ROOT);
    const tenantId = randomTenant();
    platform = await startPlatform({ token: randomBytes(12).toString('hex'), tenantId, retryBaseMs: 10, console: {} });
    await seedDemoData(tenantId);
    mkdirSync(SHOTS, { recursive: true });
    browser = await chromium.launch({ executablePath, args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'] });
    // The console's own CSP stays on: a violation (an eval, an inline script) is a console error, which fails the last test.
    const context = await browser.newContext({ viewport: { width: 1280, height: 860 } });
    page = await context.newPage();
    page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
    page.on('console', (m) => {
      if (m.type() === 'error' || m.type() === 'warning') problems.push(`console ${m.type()}: ${m.text()}`);
    });
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await platform?.stop();
  });

  /** No serious or critical axe violation on the page as it is, then a screenshot. */
  async function check(name: string) {
    await page.evaluate(axeSource);
    const violations = (await page.evaluate(`axe.run({ resultTypes: ['violations'] }).then((r) => r.violations
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => v.id + ' (' + v.impact + '): ' + v.help + ' at ' + v.nodes.slice(0, 3).map((n) => n.target.join(' ') + ' [' + (n.any[0] ? n.any[0].message : '') + ']').join(', ')))`)) as string[];
    expect(violations, `accessibility of ${name}`).toEqual([]);
    await page.screenshot({ path: join(SHOTS, `${name}.png`) });
  }

  it('signs in with the pasted token', async () => {
    await page.goto(`${platform.consoleUrl}/contacts`);
    await page.getByLabel('Bearer token').waitFor();
    await check('sign-in');
    await page.getByLabel('Bearer token').fill(platform.token);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('table', { name: 'Contacts' }).waitFor();
    expect(new URL(page.url()).pathname).toBe('/contacts');
    await check('contacts');
  });

  it('signs in from the link npm start prints, and drops the token from the address', async () => {
    await page.evaluate('sessionStorage.clear()');
    await page.goto(`${platform.consoleUrl}/#token=${platform.token}`);
    await page.getByRole('table', { name: 'Contacts' }).waitFor();
    expect(page.url()).toBe(`${platform.consoleUrl}/contacts`);
  });

  it('searches contacts by email prefix', async () => {
    await page.getByLabel('Email starts with').fill('ada');
    await page.waitForURL(/email=ada/);
    const rows = page.getByRole('table', { name: 'Contacts' }).getByRole('row');
    await expect.poll(async () => (await rows.allInnerTexts()).slice(1).every((r) => r.includes('ada.'))).toBe(true);
    expect(await rows.count()).toBeGreaterThan(1);
    await check('contacts-search');
  });

  it("opens a contact's page with its value model and purchases", async () => {
    await page.getByRole('table', { name: 'Contacts' }).getByRole('link').first().click();
    await page.getByRole('tab', { name: 'Value' }).click();
    await page.getByText('Lifecycle stage').waitFor();
    await page.getByRole('tab', { name: 'Consent' }).click();
    await page.getByRole('table', { name: 'Consent history' }).waitFor();
    await page.getByRole('tab', { name: 'Value' }).click();
    await page.locator('.recharts-surface').first().waitFor({ timeout: 10_000 });
    await check('contact');
  });

  it('imports a small CSV and follows the progress to the end, with the row errors', async () => {
    await page.getByRole('link', { name: 'Import contacts' }).click();
    await page.getByLabel('CSV file').waitFor();
    const csv = [
      'email,first_name,spend,email_consent',
      'e2e.one@example.com,One,12.5,yes',
      'not-an-email,Two,3,yes',
      'e2e.three@example.com,Three,7,no',
    ].join('\n');
    await page.locator('input[type=file]').setInputFiles({ name: 'e2e.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
    const mapping = page.getByRole('table', { name: 'Column mapping' });
    await mapping.waitFor();
    await mapping.getByLabel('Import column first_name as').selectOption('firstName');
    await mapping.getByLabel('Import column spend as').selectOption('attributes.spend:number');
    await check('import-mapping');
    await page.getByRole('button', { name: 'Import e2e.csv' }).click();
    await page.getByText('Import complete').waitFor({ timeout: 20_000 });
    await expect.poll(() => page.getByRole('progressbar').getAttribute('aria-valuenow')).toBe('100');
    await page.getByRole('cell', { name: /email address/ }).waitFor();
    expect(await page.getByText(/3 rows received: 2 new/).count()).toBe(1);
    await check('import-done');
    // The imported contact is there, with its typed attribute.
    await page.goto(`${platform.consoleUrl}/contacts?email=e2e.one`);
    await page.getByRole('link', { name: 'One' }).click();
    await page.getByText('12.5').waitFor();
  });

  it('lists the lists and opens one with its members', async () => {
    await page.getByRole('link', { name: 'Lists' }).click();
    const table = page.getByRole('table', { name: 'Lists' });
    await table.waitFor();
    await check('lists');
    await table.getByRole('link').first().click();
    await page.getByRole('heading', { name: 'Members' }).waitFor();
    await page.getByRole('checkbox').first().waitFor();
    await check('list');
  });

  it('fits a tablet in portrait: no sideways scrolling, the navigation behind a button', async () => {
    await page.setViewportSize({ width: 768, height: 1024 });
    await page.goto(`${platform.consoleUrl}/contacts`);
    await page.getByRole('table', { name: 'Contacts' }).waitFor();
    expect(await page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(768);
    // The whole table is visible: its scroll container does not scroll either.
    expect(
      await page.evaluate(`(() => { const t = document.querySelector('table'); return t.getBoundingClientRect().right; })()`),
    ).toBeLessThanOrEqual(768);
    await check('tablet');
    await page.getByRole('button', { name: 'Open navigation' }).click();
    await page.getByRole('link', { name: 'Lists' }).click();
    await page.getByRole('table', { name: 'Lists' }).waitFor();
    await page.setViewportSize({ width: 1280, height: 860 });
  });

  it('logged no error in the browser', () => {
    expect(problems).toEqual([]);
  });
});

describe.skipIf(!executablePath)('settings in a browser', () => {
  let platform: Platform;
  let browser: Browser;
  let page: Page;
  let receiver: Server;
  const received: string[] = [];
  const problems: string[] = [];

  beforeAll(async () => {
    ensureConsoleBuilt(PROJECT_ROOT);
    const tenantId = randomTenant();
    platform = await startPlatform({ token: randomBytes(12).toString('hex'), tenantId, retryBaseMs: 10, console: {} });
    await seedDemoData(tenantId);
    // A webhook receiver on this machine (the local platform allows http:// to 127.0.0.1).
    receiver = createServer((req, res) => {
      received.push(String(req.headers['herald-event-type']));
      res.writeHead(204).end();
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    mkdirSync(SHOTS, { recursive: true });
    browser = await chromium.launch({ executablePath, args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'] });
    page = await (await browser.newContext({ viewport: { width: 1280, height: 860 } })).newPage();
    page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
    page.on('console', (m) => {
      if (m.type() === 'error' || m.type() === 'warning') problems.push(`console ${m.type()}: ${m.text()}`);
    });
    await page.goto(`${platform.consoleUrl}/#token=${platform.token}`);
    await page.getByRole('table', { name: 'Contacts' }).waitFor();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await new Promise((resolve) => receiver?.close(resolve));
    await platform?.stop();
  });

  async function check(name: string) {
    await page.evaluate(axeSource);
    const violations = (await page.evaluate(`axe.run({ resultTypes: ['violations'] }).then((r) => r.violations
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => v.id + ' (' + v.impact + '): ' + v.help + ' at ' + v.nodes.slice(0, 3).map((n) => n.target.join(' ') + ' [' + (n.any[0] ? n.any[0].message : '') + ']').join(', ')))`)) as string[];
    expect(violations, `accessibility of ${name}`).toEqual([]);
    await page.screenshot({ path: join(SHOTS, `${name}.png`) });
  }
  const region = (name: string) => page.getByRole('region', { name });

  it('changes the quiet hours, which a reload shows kept, and refuses a bad reply-to on its field', async () => {
    await page.getByRole('link', { name: 'Settings' }).click();
    await page.waitForURL(/\/settings\/sending$/);
    const quiet = region('Quiet hours');
    await quiet.getByLabel('From').fill('22:30');
    await quiet.getByRole('button', { name: 'Save quiet hours' }).click();
    await page.getByText('Quiet hours saved.').waitFor();
    const email = region('Email sender');
    await email.getByLabel(/Reply-to address/).fill('not-an-address');
    await email.getByRole('button', { name: 'Save email sender' }).click();
    await email.getByText('must be an email address').waitFor();
    await check('settings-sending');
    await page.reload();
    expect(await region('Quiet hours').getByLabel('From').inputValue()).toBe('22:30');
    // The topics (seeded) are still there: the save put the whole object back.
    await page.getByRole('link', { name: 'Topics' }).click();
    await page.getByRole('cell', { name: 'newsletter', exact: true }).waitFor();
  });

  it('adds a topic', async () => {
    await page.goto(`${platform.consoleUrl}/settings/topics`);
    await page.getByRole('button', { name: 'Add a topic' }).click();
    const dialog = page.getByRole('dialog', { name: 'Add a topic' });
    await dialog.getByLabel(/^Name/).fill('product_news');
    await dialog.getByLabel(/^Display name/).fill('Product news');
    await dialog.getByLabel(/^Opt-out/).check();
    await dialog.getByRole('button', { name: 'Add a translation' }).click();
    await dialog.getByLabel('Language of translation 1').fill('de');
    await dialog.getByLabel('Display name in translation 1').fill('Neuigkeiten');
    await page.waitForTimeout(400); // the dialog's fade-in: axe would measure half-transparent colours
    await check('settings-topic-dialog');
    await dialog.getByRole('button', { name: 'Add topic' }).click();
    await page.getByRole('cell', { name: 'product_news', exact: true }).waitFor();
    await check('settings-topics');
  });

  it('shows the boundaries and recomputes them', async () => {
    await page.goto(`${platform.consoleUrl}/settings/lifecycle`);
    await page.getByRole('table', { name: 'RFM score boundaries' }).waitFor();
    await page.getByRole('button', { name: 'Recompute now' }).click();
    await page.getByText(/^Recomputed at/).waitFor({ timeout: 30_000 });
    await check('settings-lifecycle');
  });

  it('adds a webhook, shows its secret once, and sends a test to the receiver', async () => {
    await page.goto(`${platform.consoleUrl}/settings/webhooks`);
    await page.getByText('No webhooks yet').waitFor();
    await page.getByRole('button', { name: 'Add a webhook' }).first().click();
    const dialog = page.getByRole('dialog', { name: 'Add a webhook' });
    const { port } = receiver.address() as AddressInfo;
    await dialog.getByLabel(/Endpoint URL/).fill(`http://127.0.0.1:${port}/herald`);
    await dialog.getByLabel('Description').fill('E2E receiver');
    await dialog.getByRole('button', { name: 'Add webhook' }).click();
    const secret = page.getByRole('dialog', { name: 'Webhook added' });
    expect(await secret.getByRole('textbox', { name: 'Signing secret' }).inputValue()).toMatch(/^whsec_/);
    await page.waitForTimeout(400); // the dialog's fade-in: axe would measure half-transparent colours
    await check('settings-webhook-secret');
    await secret.getByRole('button', { name: 'I have stored it' }).click();
    await page.getByRole('heading', { name: 'Dead letters' }).waitFor();
    await page.getByRole('button', { name: 'Send a test' }).click();
    await page.getByText(/The endpoint answered 204 in \d+ ms/).waitFor();
    expect(received).toContain('webhook.test');
    await check('settings-webhook');
  });

  it('suppresses a phone number and takes it off after a confirmation', async () => {
    await page.goto(`${platform.consoleUrl}/settings/suppressions`);
    await page.getByText('SMS', { exact: true }).click();
    await page.waitForURL(/channel=sms/);
    await page.getByLabel(/^Phone number/).fill('+44 7700 900123');
    await page.getByLabel('Reason').selectOption('legal');
    await page.getByRole('button', { name: 'Suppress' }).click();
    const table = page.getByRole('table', { name: 'Suppressed phone numbers' });
    await table.getByRole('cell', { name: '+447700900123', exact: true }).waitFor();
    await check('settings-suppressions');
    await table.getByRole('button', { name: 'Remove +447700900123' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Remove' }).click();
    await page.getByText('No suppressed phone numbers').waitFor();
  });

  it('fits a tablet in portrait', async () => {
    await page.setViewportSize({ width: 768, height: 1024 });
    await page.goto(`${platform.consoleUrl}/settings/sending`);
    await region('Quiet hours').waitFor();
    expect(await page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(768);
    await check('settings-tablet');
    await page.goto(`${platform.consoleUrl}/settings/lifecycle`);
    await page.getByRole('table', { name: 'Pareto tiers' }).waitFor();
    expect(await page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(768);
  });

  it('logged no error in the browser', () => {
    expect(problems).toEqual([]);
  });
});
