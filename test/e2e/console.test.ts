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
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
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

/** Debian's chromium, headless, as every block starts it. */
const launchChromium = () => chromium.launch({ executablePath, args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'] });

/** axe-core on the page as it is: the serious and critical violations, each with up to 3 places. */
async function seriousViolations(page: Page): Promise<string[]> {
  await page.evaluate(axeSource);
  return (await page.evaluate(`axe.run({ resultTypes: ['violations'] }).then((r) => r.violations
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => v.id + ' (' + v.impact + '): ' + v.help + ' at ' + v.nodes.slice(0, 3).map((n) => n.target.join(' ') + ' [' + (n.any[0] ? n.any[0].message : '') + ']').join(', ')))`)) as string[];
}

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
    browser = await launchChromium();
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
    expect(await seriousViolations(page), `accessibility of ${name}`).toEqual([]);
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
 * The report pages against the real evaluation: a campaign with a 30% holdout and two variants
 * sent to contacts imported through the API, purchases posted afterwards (variant B converts far
 * more), the value model recomputed and the evaluation run, all through the API with the bearer
 * token. The pages must show the API's own figures: the verdicts' words, the uplift interval's
 * bounds, each group's size, the base report's month and the Pareto share, the basket rules.
 */
/**
 * Starts a platform for a second (or later) describe block of this file. The SDK clients and the
 * API handlers are made once per process, at first use, with the first platform's endpoints and
 * workspace (shared/db/client.ts, http-handler.ts); a later platform on other ports would be called
 * by none of them. So after a first platform in this process (its endpoints are still in the
 * environment, its emulators stopped), the next one starts on the same emulator ports, with the
 * same workspace: fresh and empty all the same (in memory).
 */
function startNextPlatform(): Promise<Platform> {
  const env = process.env;
  const portOf = (name: string) => (env[name] ? Number(new URL(env[name] as string).port) : undefined);
  const again = env.AWS_ENDPOINT_URL_DYNAMODB !== undefined;
  return startPlatform({
    token: randomBytes(12).toString('hex'),
    tenantId: again && env.DEFAULT_TENANT ? env.DEFAULT_TENANT : randomTenant(),
    retryBaseMs: 10,
    console: {},
    ports: again
      ? {
          dynamodb: portOf('AWS_ENDPOINT_URL_DYNAMODB'),
          ses: portOf('AWS_ENDPOINT_URL_SESV2'),
          sms: portOf('AWS_ENDPOINT_URL_PINPOINT_SMS_VOICE_V2'),
          sqs: portOf('AWS_ENDPOINT_URL_SQS'),
          events: portOf('AWS_ENDPOINT_URL_EVENTBRIDGE'),
        }
      : {},
  });
}

describe.skipIf(!executablePath)('console report pages in a browser', () => {
  const N = 240;
  let platform: Platform;
  let browser: Browser;
  let page: Page;
  let campaignId = '';
  const problems: string[] = [];

  const api = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(`${platform.apiUrl}${path}`, {
      method,
      headers: { authorization: `Bearer ${platform.token}`, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    if (!res.ok) throw new Error(`${method} ${path} answered ${res.status}: ${text}`);
    return text ? JSON.parse(text) : undefined;
  };

  /** Asks until `read` gives `want` (expect.poll is for tests, not beforeAll). */
  async function until(read: () => Promise<unknown>, want: unknown, timeoutMs = 30_000) {
    const end = Date.now() + timeoutMs;
    for (let got = await read(); got !== want; got = await read()) {
      if (Date.now() > end) throw new Error(`still ${String(got)}, not ${String(want)}, after ${timeoutMs} ms`);
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }

  /** POST /reports/run, then GET /reports/runs/{runId} until it is done. */
  async function evaluate() {
    const { runId } = await api('POST', '/reports/run');
    await platform.drainQueues(60_000);
    await until(async () => (await api('GET', `/reports/runs/${runId}`)).status, 'completed');
  }

  beforeAll(async () => {
    ensureConsoleBuilt(PROJECT_ROOT);
    platform = await startNextPlatform();
    await seedDemoData(process.env.DEFAULT_TENANT as string);

    // Contacts, a list, a campaign with a holdout and two variants, sent.
    const ids: string[] = [];
    for (let i = 0; i < N; i++)
      ids.push((await api('POST', '/contacts', { email: `rep${i}@example.com`, consent: { email: { status: 'subscribed' } } })).contactId);
    const list = await api('POST', '/lists', { name: 'Report audience' });
    await api('POST', `/lists/${list.listId}/members`, { contactIds: ids });
    const template = await api('POST', '/templates', { name: 'Sale', channel: 'email', email: { subject: 'Sale', html: '<p>Sale</p>' } });
    const campaign = await api('POST', '/campaigns', {
      name: 'E2E sale',
      channel: 'email',
      variants: [
        { name: 'A', email: template.templateId },
        { name: 'B', email: template.templateId },
      ],
      audience: { lists: [list.listId] },
      holdout: { percent: 30 },
      quietHours: null,
      attributionDays: 14,
    });
    campaignId = campaign.campaignId;
    await api('POST', `/campaigns/${campaignId}/launch`);
    await platform.drainQueues(60_000);
    await until(async () => (await api('GET', `/campaigns/${campaignId}`)).status, 'completed');

    // Purchases afterwards: the holdout converts least, B most.
    const recipients: { contactId: string; status: string; variant?: string }[] = [];
    let cursor: string | undefined;
    do {
      const pageOf = await api(
        'GET',
        `/campaigns/${campaignId}/recipients?limit=500${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
      );
      recipients.push(...pageOf.items);
      cursor = pageOf.cursor;
    } while (cursor);
    const rate: Record<string, number> = { holdout: 0.15, A: 0.2, B: 0.5 };
    const events = recipients.flatMap((r, k) => {
      const group = r.status === 'holdout' ? 'holdout' : (r.variant as string);
      if ((k * 0.6180339887) % 1 >= (rate[group] ?? 0)) return [];
      const total = 20 + (k % 7) * 11;
      const category = ['shoes', 'socks', 'bags'][k % 3] as string;
      return [
        {
          eventId: `e2e-${k}`,
          type: 'purchase',
          email: `rep${ids.indexOf(r.contactId)}@example.com`,
          orderId: `e2e-${k}`,
          total,
          currency: 'EUR',
          items: [{ sku: `${category}-1`, category, price: total, quantity: 1 }],
        },
      ];
    });
    await api('POST', '/events', { events });
    await platform.drainEvents(30_000);
    await api('POST', '/settings/value-model/recompute');
    await platform.drainQueues(60_000);
    await evaluate();

    mkdirSync(SHOTS, { recursive: true });
    browser = await launchChromium();
    const context = await browser.newContext({ viewport: { width: 1280, height: 860 }, locale: 'en-US', acceptDownloads: true });
    page = await context.newPage();
    page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
    page.on('console', (m) => {
      if (m.type() === 'error' || m.type() === 'warning') problems.push(`console ${m.type()}: ${m.text()}`);
    });
    await page.goto(`${platform.consoleUrl}/#token=${platform.token}`);
    await page.getByRole('table', { name: 'Contacts' }).waitFor();
  }, 240_000);

  afterAll(async () => {
    await browser?.close();
    await platform?.stop();
  });

  async function check(name: string) {
    expect(await seriousViolations(page), `accessibility of ${name}`).toEqual([]);
    await page.screenshot({ path: join(SHOTS, `${name}.png`) });
  }

  /** Percentage points as the page writes an interval's bound: 0.1632 → "+16.32". */
  const pts = (d: number) => `${d < 0 ? '−' : '+'}${Math.abs(d * 100).toFixed(2)}`;

  it('lists the started campaign on the reports page', async () => {
    await page.getByRole('link', { name: 'Reports' }).click();
    const table = page.getByRole('table', { name: 'Campaign reports' });
    await table.getByRole('link', { name: 'E2E sale' }).waitFor();
    expect(await table.getByRole('link', { name: 'Shoe week' }).count()).toBe(0); // a draft: no report
    await check('reports');
  });

  it("shows the campaign's verdicts, its uplift intervals with the API's bounds, and its groups", async () => {
    const report = await api('GET', `/reports/campaigns/${campaignId}`);
    await page.getByRole('link', { name: 'E2E sale' }).click();
    const plot = page.getByRole('img', { name: /^Conversion uplift over the holdout/ });
    await plot.waitFor();

    await page.getByText(report.effect.text, { exact: true }).waitFor();
    await page.getByText(report.abTest.text, { exact: true }).waitFor();
    expect(report.effect.kind, report.effect.text).toBe('uplift');

    const b = report.uplift.find((u: { variant: string }) => u.variant === 'B');
    const bounds = `${pts(b.conversion.ci.low)} to ${pts(b.conversion.ci.high)}`;
    // Drawn beside the interval, in the image's label, and in the table.
    expect(await plot.locator('text', { hasText: `(${bounds})` }).count()).toBe(1);
    expect(await plot.getAttribute('aria-label')).toContain(
      `B: ${pts(b.conversion.difference)} pts (95% interval ${pts(b.conversion.ci.low)} pts to ${pts(b.conversion.ci.high)} pts)`,
    );
    const row = page
      .getByRole('table', { name: 'Uplift over the holdout' })
      .getByRole('row')
      .filter({ hasText: /^BConversion rate/ });
    expect(await row.textContent()).toContain(`${bounds} pts`);
    // The interval sits right of the zero line: its left end is right of the dashed line.
    const [zeroX, lowX] = (await plot.evaluate((svg) => {
      const zero = [...svg.querySelectorAll('line')].find((l) => l.getAttribute('stroke-dasharray') === '4 3');
      const caps = [...svg.querySelectorAll('line')].filter((l) => l.getAttribute('y1') !== l.getAttribute('y2'));
      return [Number(zero?.getAttribute('x1')), Math.min(...caps.slice(-2).map((l) => Number(l.getAttribute('x1'))))];
    })) as [number, number];
    expect(lowX).toBeGreaterThan(zeroX);

    const groups = page.getByRole('table', { name: 'Groups' });
    const assigned = (
      await groups
        .getByRole('row')
        .filter({ hasText: /^Assigned/ })
        .getByRole('cell')
        .allTextContents()
    ).map(Number);
    expect(assigned).toEqual(report.groups.map((g: { assigned: number }) => g.assigned));
    expect(assigned.reduce((a, n) => a + n, 0)).toBe(N);
    await page.getByRole('img', { name: /^Funnel per group/ }).waitFor();
    // The screenshot from the verdicts down: the words and the intervals.
    await page.getByRole('heading', { name: 'Verdict' }).evaluate((h) => h.scrollIntoView());
    await check('report-campaign');
    await page.evaluate('window.scrollTo(0, 0)');
  });

  it('downloads the CSV and runs the evaluation again from the page', async () => {
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download CSV' }).click()]);
    expect(download.suggestedFilename()).toBe(`campaign-${campaignId}.csv`);
    const csv = readFileSync((await download.path()) as string, 'utf8');
    expect(csv.startsWith(`campaign,${campaignId},E2E sale`)).toBe(true);

    const refetched = page.waitForResponse((r) => r.url().endsWith(`/reports/campaigns/${campaignId}`) && r.request().method() === 'GET', {
      timeout: 30_000,
    });
    await page.getByRole('button', { name: 'Run evaluation now' }).click();
    await page
      .getByRole('status')
      .filter({ hasText: /Evaluation done/ })
      .waitFor({ timeout: 30_000 });
    const answer = await (await refetched).json();
    const latest = await api('GET', `/reports/campaigns/${campaignId}`);
    expect(answer.runId).toBe(latest.runId);
  });

  it('shows the base report: retention and churn, lifecycle flows, Pareto, RFM, NPS and loyalty', async () => {
    const base = await api('GET', '/reports/base');
    await page.goto(`${platform.consoleUrl}/reports/base`);
    const table = page.getByRole('table', { name: 'Retention and churn by month' });
    await table.waitFor();
    const current = base.months[base.months.length - 1];
    const row = table.getByRole('row').filter({ hasText: `${current.month} (to date)` });
    expect(await row.textContent()).toContain(`${current.activeCustomers}`);
    expect(await row.textContent()).toContain(`${current.staticChurn.lost} of ${current.staticChurn.customersAtStart}`);
    await page.getByRole('img', { name: /^Retention, static churn and dynamic churn per month/ }).waitFor();
    await check('report-base');

    await page.getByRole('tab', { name: 'Lifecycle' }).click();
    await page.getByRole('table', { name: `Lifecycle flows into ${current.month} (to date)` }).waitFor();
    await page.getByRole('img', { name: /^Contacts by lifecycle stage/ }).waitFor();
    await check('report-base-lifecycle');

    await page.getByRole('tab', { name: 'Value' }).click();
    await page.getByText(`The top 20% of customers bring ${base.pareto.top20Percent.toFixed(2)}% of revenue`).waitFor();
    await page.getByRole('img', { name: /^Pareto curve/ }).waitFor();
    expect(base.rfm).not.toBeNull();
    // The fullest cell of the grid shows the API's count and average revenue.
    const cells = base.rfm.cells as { r: number; f: number; customers: number; averageRevenue: number }[];
    const top = cells.reduce((a, c) => (c.customers > a.customers ? c : a));
    const rfmRow = page
      .getByRole('table', { name: /^RFM grid/ })
      .getByRole('row')
      .filter({ hasText: new RegExp(`^R${top.r}`) });
    expect(
      await rfmRow
        .getByRole('cell')
        .nth(top.f - 1)
        .textContent(),
    ).toBe(`${top.customers}avg ${top.averageRevenue.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`);
    await check('report-base-value');

    await page.getByRole('tab', { name: 'Satisfaction' }).click();
    await page.getByRole('table', { name: 'Loyalty matrix' }).waitFor();
    await check('report-base-satisfaction');
  });

  it('sorts the basket rules', async () => {
    const rules = await api('GET', '/reports/basket-rules');
    await page.getByRole('link', { name: 'Basket rules' }).click();
    const table = page.getByRole('table', { name: 'Basket rules between categories' });
    await table.waitFor();
    const first = rules.categories.rules[0];
    expect(await table.getByRole('row').nth(1).textContent()).toContain(`${first.antecedent.join(' + ')} ⇒`);
    await table.getByRole('button', { name: /Support/ }).click();
    expect(await table.getByRole('columnheader', { name: /Support/ }).getAttribute('aria-sort')).toBe('descending');
    const top = Math.max(...rules.categories.rules.map((r: { support: number }) => r.support));
    expect(await table.getByRole('row').nth(1).textContent()).toContain(`${(top * 100).toFixed(1)}%`);
    await check('report-basket-rules');
  });

  it('loads the report page cold, to the uplift chart, in a few seconds', async () => {
    await page.goto(`${platform.consoleUrl}/reports/campaigns/${campaignId}`);
    await page.getByRole('img', { name: /^Conversion uplift over the holdout/ }).waitFor();
    const [interactive, shown] = (await page.evaluate(
      `[performance.getEntriesByType('navigation')[0].domInteractive, performance.now()]`,
    )) as [number, number];
    console.log(
      `campaign report, cold load: DOM interactive at ${interactive.toFixed(0)} ms, uplift chart shown at ${shown.toFixed(0)} ms`,
    );
    expect(shown).toBeLessThan(10_000);
  });

  it('fits a tablet in portrait', async () => {
    await page.setViewportSize({ width: 768, height: 1024 });
    await page.goto(`${platform.consoleUrl}/reports/campaigns/${campaignId}`);
    const plot = page.getByRole('img', { name: /^Conversion uplift over the holdout/ });
    await plot.waitFor();
    expect(await page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(768);
    await page.getByRole('heading', { name: 'Uplift over the holdout' }).evaluate((h) => h.scrollIntoView());
    await check('report-campaign-tablet');
    await page.setViewportSize({ width: 1280, height: 860 });
  });

  it('logged no error in the browser', () => {
    expect(problems).toEqual([]);
  });
});

// A busy 2-core machine renders slowly: each step gets a minute.
describe.skipIf(!executablePath)('console: segments and templates in a browser', { timeout: 60_000 }, () => {
  let platform: Platform;
  let browser: Browser;
  let page: Page;
  const problems: string[] = [];
  /** Answers a step provokes on purpose (a Liquid error is a 400), which the browser logs as errors. */
  let expected: RegExp | undefined;

  beforeAll(async () => {
    ensureConsoleBuilt(PROJECT_ROOT);
    // After another block of this file: the same emulator ports and workspace (startNextPlatform).
    platform = await startNextPlatform();
    await seedDemoData(process.env.DEFAULT_TENANT as string);
    mkdirSync(SHOTS, { recursive: true });
    browser = await launchChromium();
    const context = await browser.newContext({ viewport: { width: 1280, height: 860 } });
    page = await context.newPage();
    page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
    page.on('console', (m) => {
      if (m.type() !== 'error' && m.type() !== 'warning') return;
      if (expected?.test(`${m.text()} ${m.location().url}`)) return;
      problems.push(`console ${m.type()}: ${m.text()} (${m.location().url})`);
    });
    await page.goto(`${platform.consoleUrl}/#token=${platform.token}`);
    await page.getByRole('table', { name: 'Contacts' }).waitFor();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await platform?.stop();
  });

  async function check(name: string) {
    expect(await seriousViolations(page), `accessibility of ${name}`).toEqual([]);
    // The whole page from its top (a scrolled page draws the fixed header mid-way), without passing notifications.
    await page.evaluate('window.scrollTo(0, 0)');
    await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true, style: '.mantine-Notifications-root { display: none }' });
  }

  const count = () => page.getByTestId('segment-count');

  it('opens the demo segment: its rule in the builder and the JSON, its live size and sample', async () => {
    await page.getByRole('link', { name: 'Segments' }).click();
    const table = page.getByRole('table', { name: 'Segments' });
    await table.waitFor();
    await check('segments');
    await table.getByRole('link', { name: 'Shoe buyers we can email' }).click();
    await page.getByRole('group', { name: 'Condition 1: Purchased' }).waitFor();
    await expect.poll(() => count().textContent(), { timeout: 10_000 }).toMatch(/^\d+ contacts?$/);
    const rule = JSON.parse(await page.getByRole('textbox', { name: /^Rule as JSON/ }).inputValue());
    expect(rule.and[0]).toEqual({ purchased: { category: 'shoes', within: 'P365D' } });
    expect(await page.getByRole('heading', { name: 'Sample of members' }).count()).toBe(1);
    await check('segment');
  });

  it('builds a segment: the size follows the builder and the JSON, then saves, lists members and counts the base', async () => {
    await page.goto(`${platform.consoleUrl}/segments/new`);
    await expect.poll(() => count().textContent(), { timeout: 10_000 }).toMatch(/contacts?$/);
    const reachable = Number((await count().textContent())?.split(' ')[0]);
    await page.getByLabel('Kind of condition to add to The rule').selectOption('purchased');
    await page.getByRole('button', { name: 'Add a condition to The rule' }).click();
    await page.getByRole('group', { name: 'Condition 2: Purchased' }).getByLabel('Category').fill('shoes');
    await page.getByRole('group', { name: 'Condition 2: Purchased' }).getByLabel('Within the last', { exact: true }).fill('365');
    await expect.poll(async () => Number((await count().textContent())?.split(' ')[0]), { timeout: 10_000 }).toBeLessThan(reachable);
    // The JSON view edits the builder: a lifecycle condition typed there shows as a form.
    const json = page.getByRole('textbox', { name: /^Rule as JSON/ });
    const rule = JSON.parse(await json.inputValue());
    rule.and.push({ field: 'lifecycle', op: 'in', value: ['active', 'loyal'] });
    await json.fill(JSON.stringify(rule, null, 2));
    await page.getByRole('group', { name: 'Condition 3: Contact field' }).getByRole('checkbox', { name: 'loyal' }).waitFor();
    await page.getByRole('textbox', { name: /^Name/ }).fill('E2E shoe regulars');
    await check('segment-new');
    await page.getByRole('button', { name: 'Save segment' }).click();
    await page.getByRole('tab', { name: 'Members' }).click();
    await page.getByRole('heading', { name: 'Members', exact: true }).waitFor();
    await page.getByRole('button', { name: 'Start a count' }).click();
    await page.getByText(/^Done · \d+ contacts? match/).waitFor({ timeout: 30_000 });
    await check('segment-members');
  });

  it('writes a template: a Liquid error on its line, then the preview for a contact and a test send in the mailbox', async () => {
    await page.getByRole('link', { name: 'Templates' }).click();
    await page.getByRole('table', { name: 'Templates' }).waitFor();
    await check('templates');
    await page.getByRole('button', { name: 'New template' }).first().click();
    await page.getByRole('dialog').getByLabel('Name').fill('E2E welcome');
    await page.getByRole('dialog').getByRole('button', { name: 'Create' }).click();
    await page.getByTitle(/^Email preview for /).waitFor();
    const html = page.getByRole('textbox', { name: 'HTML', exact: true });
    await html.fill('<h1>Hi {{ contact.firstName | default: "there" }}</h1>\n<p>{% iff x %}</p>');
    expected = /status of 400/;
    await page.getByRole('button', { name: 'Save changes' }).click();
    await page.getByRole('button', { name: 'Go to line 2' }).click();
    expected = undefined;
    expect(
      await html.evaluate((el) => {
        const t = el as unknown as { value: string; selectionStart: number; selectionEnd: number };
        return t.value.slice(t.selectionStart, t.selectionEnd);
      }),
    ).toBe('<p>{% iff x %}</p>');
    await html.fill('<h1>Hi {{ contact.firstName | default: "there" }}</h1>\n<p>You ordered {{ value.orders }} times.</p>');
    await page.getByRole('button', { name: 'Save changes' }).click();
    await page.getByText(/version 2 · updated/).waitFor();
    await page.getByLabel(/Preview for another contact/).fill('ada');
    await page.getByRole('list', { name: 'Matching contacts' }).getByRole('button').first().click();
    await page.getByTitle(/^Email preview for Ada /).waitFor();
    await expect.poll(() => page.frameLocator('iframe').locator('h1').textContent(), { timeout: 10_000 }).toBe('Hi Ada');
    await page.getByRole('textbox', { name: /^To \(up to 5/ }).fill('e2e.test@example.com');
    await page.getByRole('button', { name: 'Send test' }).click();
    await page.getByText(/✓ Sent to e2e.test@example.com/).waitFor();
    await check('template');
    const store = (await (await fetch(`${platform.mailboxUrl}/store`)).json()) as {
      emails: { subject: string; destination: { to: string[] } }[];
    };
    expect(store.emails.filter((e) => e.destination.to.includes('e2e.test@example.com')).map((e) => e.subject)).toEqual([
      '[Test] Ada, news from us',
    ]);
  });

  it('previews an SMS template with its encoding and segments', async () => {
    await page.getByRole('link', { name: 'Templates' }).click();
    await page.getByRole('link', { name: 'Flash sale SMS' }).click();
    await page.getByTestId('sms-preview').waitFor();
    await page.getByText(/^\d+ characters · 1 segment$/).waitFor();
    expect(await page.getByText('GSM-7', { exact: true }).count()).toBe(1);
    await check('template-sms');
  });

  it('fits a tablet in portrait: the segment and template editors stack without sideways scrolling', async () => {
    await page.setViewportSize({ width: 768, height: 1024 });
    await page.getByRole('button', { name: 'Open navigation' }).click();
    await page.getByRole('link', { name: 'Segments' }).click();
    await page.getByRole('table', { name: 'Segments' }).getByRole('link', { name: 'Shoe buyers we can email' }).click();
    await expect.poll(() => count().textContent(), { timeout: 10_000 }).toMatch(/contacts?$/);
    expect(await page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(768);
    await check('segment-tablet');
    await page.getByRole('button', { name: 'Open navigation' }).click();
    await page.getByRole('link', { name: 'Templates' }).click();
    await page.getByRole('link', { name: 'Shoe offer' }).click();
    await page.getByTitle(/^Email preview for /).waitFor();
    expect(await page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(768);
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
    platform = await startNextPlatform();
    await seedDemoData(process.env.DEFAULT_TENANT as string);
    // A webhook receiver on this machine (the local platform allows http:// to 127.0.0.1).
    receiver = createServer((req, res) => {
      received.push(String(req.headers['herald-event-type']));
      res.writeHead(204).end();
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    mkdirSync(SHOTS, { recursive: true });
    browser = await launchChromium();
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
    // Dialogs and notifications fade in: axe would measure half-transparent colours.
    await page.waitForTimeout(500);
    expect(await seriousViolations(page), `accessibility of ${name}`).toEqual([]);
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

describe.skipIf(!executablePath)('console campaigns and triggers in a browser', () => {
  let platform: Platform;
  let browser: Browser;
  let page: Page;
  const problems: string[] = [];

  beforeAll(async () => {
    ensureConsoleBuilt(PROJECT_ROOT);
    platform = await startNextPlatform();
    await seedDemoData(process.env.DEFAULT_TENANT as string);
    mkdirSync(SHOTS, { recursive: true });
    browser = await launchChromium();
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
    expect(await seriousViolations(page), `accessibility of ${name}`).toEqual([]);
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

  /** Picks an option of a select by the select's label and the option's text. */
  const choose = (label: string, option: string) =>
    page.getByRole('combobox', { name: label, exact: true }).selectOption({ label: option });

  let campaignId = '';

  it('builds a campaign in the wizard and reviews the numbers that would be sent', async () => {
    await page.getByRole('link', { name: 'Campaigns' }).click();
    await page.getByRole('table', { name: 'Campaigns' }).waitFor();
    await check('campaigns');
    await page.getByRole('link', { name: 'New campaign' }).first().click();
    await page.getByLabel('Campaign name').fill('E2E shoe offer');
    await page.getByRole('group', { name: 'Segments', exact: true }).getByRole('checkbox', { name: 'Shoe buyers we can email' }).check();
    await page.getByRole('button', { name: 'Next' }).click();
    await choose('Topic', 'Offers and sales (offers, opt-in)');
    await page.getByLabel('Holdout share (%)').fill('20');
    await check('campaign-wizard-channel');
    await page.getByRole('button', { name: 'Next' }).click();
    await choose('Email template', 'Shoe offer');
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
    await page.getByRole('link', { name: 'Report', exact: true }).waitFor();
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
