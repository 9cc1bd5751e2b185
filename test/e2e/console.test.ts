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
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureConsoleBuilt } from '../../local/console.ts';
import { PROJECT_ROOT, type Platform, type PlatformOptions, startPlatform } from '../../local/platform.ts';
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

/**
 * The ports of a platform this process started before (an earlier describe block's, stopped by
 * now): the SDK clients made at module scope then keep its endpoints, so a second platform only
 * works on the same ports. None when this block runs alone.
 */
function portsOfAnEarlierPlatform(): PlatformOptions['ports'] {
  const port = (url: string | undefined) => (url ? Number(new URL(url).port) : undefined);
  const env = process.env;
  if (!env.AWS_ENDPOINT_URL_DYNAMODB) return undefined;
  return {
    api: port(env.PUBLIC_URL),
    dynamodb: port(env.AWS_ENDPOINT_URL_DYNAMODB),
    ses: port(env.AWS_ENDPOINT_URL_SESV2),
    sms: port(env.AWS_ENDPOINT_URL_PINPOINT_SMS_VOICE_V2),
    sqs: port(env.AWS_ENDPOINT_URL_SQS),
    events: port(env.AWS_ENDPOINT_URL_EVENTBRIDGE),
  };
}

describe.skipIf(!executablePath)('console campaigns and triggers in a browser', () => {
  let platform: Platform;
  let browser: Browser;
  let page: Page;
  const problems: string[] = [];

  beforeAll(async () => {
    ensureConsoleBuilt(PROJECT_ROOT);
    const tenantId = randomTenant();
    platform = await startPlatform({
      token: randomBytes(12).toString('hex'),
      tenantId,
      retryBaseMs: 10,
      console: {},
      ports: portsOfAnEarlierPlatform(),
    });
    await seedDemoData(tenantId);
    mkdirSync(SHOTS, { recursive: true });
    browser = await chromium.launch({ executablePath, args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'] });
    const context = await browser.newContext({ viewport: { width: 1280, height: 860 } });
    page = await context.newPage();
    page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
    page.on('console', (m) => {
      if (m.type() === 'error' || m.type() === 'warning') problems.push(`console ${m.type()}: ${m.text()}`);
    });
    await page.goto(`${platform.consoleUrl}/#token=${platform.token}`);
    await page.getByRole('table', { name: 'Contacts' }).waitFor();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await platform?.stop();
  });

  async function check(name: string) {
    // The confirmations of what was just done would cover the page's own buttons in the screenshot.
    const closers = page.getByRole('button', { name: 'Close the message' });
    for (const close of await closers.all()) await close.click();
    await expect.poll(() => closers.count()).toBe(0);
    await page.mouse.move(0, 0); // nothing hovered: axe measures the colours at rest
    await page.evaluate(axeSource);
    const violations = (await page.evaluate(`axe.run({ resultTypes: ['violations'] }).then((r) => r.violations
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => v.id + ' (' + v.impact + '): ' + v.help + ' at ' + v.nodes.slice(0, 3).map((n) => n.target.join(' ') + ' [' + (n.any[0] ? n.any[0].message : '') + ']').join(', ')))`)) as string[];
    expect(violations, `accessibility of ${name}`).toEqual([]);
    await page.screenshot({ path: join(SHOTS, `${name}.png`) });
  }

  const api = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(`${platform.apiUrl}${path}`, {
      method,
      headers: { authorization: `Bearer ${platform.token}`, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return res.json() as Promise<Record<string, unknown>>;
  };

  /** Picks an option of a Mantine Select or MultiSelect by the input's label. */
  async function pick(label: string, option: string, nth = 0) {
    await page.getByRole('combobox', { name: label, exact: true }).nth(nth).click();
    await page.getByRole('option', { name: option }).click();
    await page.keyboard.press('Escape');
  }

  let campaignId = '';

  it('builds a campaign in the wizard and reviews the numbers that would be sent', async () => {
    await page.getByRole('link', { name: 'Campaigns' }).click();
    await page.getByRole('table', { name: 'Campaigns' }).waitFor();
    await check('campaigns');
    await page.getByRole('link', { name: 'New campaign' }).first().click();
    await page.getByLabel('Campaign name').fill('E2E shoe offer');
    await pick('Segments', 'Shoe buyers we can email');
    await page.getByRole('button', { name: 'Next' }).click();
    await pick('Topic', 'Offers and sales (offers, opt-in)');
    await page.getByLabel('Holdout share (%)').fill('20');
    await check('campaign-wizard-channel');
    await page.getByRole('button', { name: 'Next' }).click();
    await pick('Email template', 'Shoe offer');
    await page.getByRole('button', { name: 'Next' }).click();
    // No quiet hours for this one: every recipient is due now, whatever the machine's clock says.
    await page.getByRole('radio', { name: 'None for this campaign' }).check();
    await page.getByRole('button', { name: 'Next' }).click();
    await page.getByRole('button', { name: 'Next' }).click();
    const toSend = page.getByRole('row', { name: /Messages to send/ });
    await toSend.waitFor();
    const eligible = Number((await page.getByRole('row', { name: /^Eligible/ }).textContent())?.replace(/\D/g, ''));
    const audience = Number((await page.getByRole('row', { name: /Contacts in the audience/ }).textContent())?.replace(/\D/g, ''));
    expect(audience).toBeGreaterThan(0);
    expect(eligible).toBeGreaterThan(0);
    await check('campaign-review');
    await page.getByRole('button', { name: 'Save draft' }).click();
    await page.waitForURL(/\/campaigns\/cp_/);
    campaignId = new URL(page.url()).pathname.split('/').at(-1) as string;
    await page.getByRole('heading', { name: 'E2E shoe offer' }).waitFor();
  }, 60_000);

  it('launches it after confirming and follows the sending to the end', async () => {
    await page.getByRole('button', { name: 'Launch…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Launch this campaign?' });
    await dialog.waitFor();
    await page.waitForTimeout(500); // the modal's fade-in: axe would measure the contrast halfway
    await check('campaign-launch');
    await dialog.getByRole('button', { name: 'Launch', exact: true }).click();
    await page.getByText('completed', { exact: true }).first().waitFor({ timeout: 40_000 });
    await page.getByRole('table', { name: 'Recipients' }).getByRole('row').nth(1).waitFor();
    const view = (await api('GET', `/campaigns/${campaignId}`)) as { counts: { variants: Record<string, { sent: number }> } };
    const sent = Object.values(view.counts.variants).reduce((a, v) => a + v.sent, 0);
    await page.getByText(new RegExp(`^${sent} of \\d+ assigned to a variant`)).waitFor();
    const mail = (await (await fetch(`${platform.mailboxUrl}/messages`)).json()) as { emails: { tags?: Record<string, string> }[] };
    expect(mail.emails.filter((e) => e.tags?.campaign === campaignId)).toHaveLength(sent);
    await check('campaign');
    await page.getByRole('link', { name: 'Report' }).waitFor();
  }, 60_000);

  it('turns a trigger on and sees a firing start', async () => {
    await page.getByRole('link', { name: 'Triggers' }).click();
    const table = page.getByRole('table', { name: 'Triggers' });
    await table.waitFor();
    await check('triggers');
    await table.getByRole('link', { name: 'Welcome after the first purchase' }).click();
    await page.getByRole('link', { name: 'Edit' }).click();
    await page.getByRole('textbox', { name: 'Wait', exact: true }).fill('0');
    await check('trigger-edit');
    await page.getByRole('button', { name: 'Save changes' }).click();
    await page.getByText("A contact's first purchase: sends the message at once.").waitFor();
    await page.getByRole('button', { name: 'Turn on…' }).click();
    await page.getByRole('dialog', { name: 'Turn this trigger on?' }).getByRole('button', { name: 'Turn on', exact: true }).click();
    await page.getByRole('button', { name: 'Turn off…' }).waitFor();
    await api('POST', '/contacts', { email: 'e2e.first@example.com', consent: { email: { status: 'subscribed' } } });
    await api('POST', '/events', {
      events: [{ eventId: 'e2e-first-1', type: 'purchase', email: 'e2e.first@example.com', orderId: 'e2e-1', total: 30, currency: 'EUR' }],
    });
    const firings = page.getByRole('region', { name: 'Pending firings' });
    await expect.poll(async () => firings.textContent(), { timeout: 20_000 }).toMatch(/Started\s*1(?!\d)/);
    await expect.poll(async () => firings.textContent(), { timeout: 20_000 }).toMatch(/Fired\s*1(?!\d)/);
    await check('trigger');
  }, 60_000);

  it('fits a tablet in portrait: the wizard and the campaign page', async () => {
    await page.setViewportSize({ width: 768, height: 1024 });
    await page.goto(`${platform.consoleUrl}/campaigns/${campaignId}`);
    await page.getByRole('heading', { name: 'E2E shoe offer' }).waitFor();
    expect(await page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(768);
    await page.goto(`${platform.consoleUrl}/campaigns/new`);
    await page.getByLabel('Campaign name').waitFor();
    expect(await page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(768);
    await check('campaign-wizard-tablet');
    await page.setViewportSize({ width: 1280, height: 860 });
  });

  it('logged no error in the browser', () => {
    expect(problems).toEqual([]);
  });
});
