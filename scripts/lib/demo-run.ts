/**
 * `npm run demo`'s work, through the public API only: Hillstrom's e-mail experiment replayed on a
 * running Herald. Each sampled customer becomes a contact (imported from a temporary CSV); the
 * randomised groups become three lists; two campaigns ("Mens E-Mail", "Womens E-Mail") each send
 * to their arm and keep the same No E-Mail list as their holdout; after sending, the purchases the
 * data records are posted as events; then the evaluation runs and each campaign's report is
 * returned with the figures computed straight from the same rows.
 *
 * Idempotent: contacts are keyed by email (`hillstrom-<row>@example.com`) and re-importing changes
 * nothing; lists, templates and campaigns are found by name before anything is created, and a
 * campaign that has already run is not launched again; purchases have stable event and order ids
 * (`hillstrom-<row>`), so a repeat is a duplicate. A second run prints the same report.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { csvTable } from '../../shared/domain/csv.ts';
import type { CampaignReport } from '../../shared/domain/evaluation.ts';
import { MAX_EVENTS_PER_BATCH } from '../../shared/domain/event.ts';
import { type ApiTarget, call, evaluateNow } from './api.ts';
import {
  type ArmResult,
  CONTROL,
  categoryOf,
  experimentFigures,
  type GroupResult,
  type HillstromRow,
  type Segment,
  sampleRows,
} from './hillstrom.ts';
import { importCsvFile } from './import-client.ts';

export const ATTRIBUTION_DAYS = 14; // the experiment tracked the two weeks after the e-mail
const ARMS = [
  { segment: 'Mens E-Mail', variant: 'mens_email', line: "men's" },
  { segment: 'Womens E-Mail', variant: 'womens_email', line: "women's" },
] as const satisfies readonly { segment: Segment; variant: string; line: string }[];

export interface DemoOptions {
  target: ApiTarget;
  /** Every row of the file (readHillstrom). */
  rows: readonly HillstromRow[];
  /** How many rows to load, spread evenly over the file. */
  sampleSize: number;
  /** A finished line of output. */
  log?: (line: string) => void;
  /** A line that the next one replaces (progress). */
  progress?: (line: string) => void;
  /** How long to wait for both campaigns to finish sending (default 2 hours; the whole file takes about 20 minutes here). */
  sendTimeoutMs?: number;
}

export interface ArmOutcome {
  segment: Segment;
  campaignId: string;
  report: CampaignReport;
  /** The arm and No E-Mail, from the CSV rows. */
  expected: { arm: ArmResult; control: GroupResult };
  /** Each check of the report against the CSV that failed (empty when every figure matches). */
  mismatches: string[];
}

export interface DemoResult {
  sample: HillstromRow[];
  label: string;
  arms: ArmOutcome[];
  evaluation: { runId: string; durationMs?: number };
  timings: { step: string; seconds: number }[];
}

interface Page<T> {
  items: T[];
  cursor?: string;
}

async function all<T>(target: ApiTarget, path: string): Promise<T[]> {
  const out: T[] = [];
  let cursor: string | undefined;
  do {
    const sep = path.includes('?') ? '&' : '?';
    const page = await call<Page<T>>(target, 'GET', `${path}${sep}limit=500${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
    out.push(...page.items);
    cursor = page.cursor;
  } while (cursor);
  return out;
}

const emailOf = (r: HillstromRow) => `hillstrom-${r.row}@example.com`;
const fmt = (n: number) => n.toLocaleString('en-US');
const pct = (r: number, digits = 2) => `${(r * 100).toFixed(digits)}%`;
const points = (r: number) => `${r >= 0 ? '+' : ''}${(r * 100).toFixed(3)}`;

/** The sample's name in list and campaign names: a workspace holds one sample (see checkOneSample). */
export const sampleLabel = (size: number, total: number) =>
  size >= total ? `all ${fmt(total)} rows` : `${fmt(size)} of ${fmt(total)} rows`;
const NAME_PREFIX = 'Hillstrom (';
const nameOf = (label: string, what: string) => `${NAME_PREFIX}${label}): ${what}`;

/**
 * A workspace holds one sample's demo. The purchases of another sample's rows were posted when its
 * campaigns ran; rows both samples share would have bought before this sample's campaigns started,
 * so they could not count for them and the report would not match the data.
 */
async function checkOneSample(target: ApiTarget, label: string) {
  const campaigns = await all<{ name: string; startedAt?: string }>(target, '/campaigns');
  const other = campaigns.find((c) => c.name.startsWith(NAME_PREFIX) && c.startedAt && !c.name.startsWith(nameOf(label, '')));
  if (other) {
    throw new Error(
      `This workspace already holds the demo for another sample ("${other.name}"). That sample's purchases were posted when ` +
        "its campaigns ran: customers both samples share would have bought before this sample's campaigns started, so their " +
        'purchases could not count for them and the report would not match the data. Run that --rows again, or start a fresh ' +
        'workspace (e.g. HERALD_DATA_DIR=/tmp/herald-demo-2 HERALD_PORT=5010 npm start, then HERALD_DATA_DIR=/tmp/herald-demo-2 npm run demo).',
    );
  }
  return campaigns;
}

async function ensureSender(target: ApiTarget, log: (l: string) => void) {
  const settings = await call<{ email?: { from: string } }>(target, 'GET', '/settings/sending');
  if (settings.email?.from) return;
  await call(target, 'PUT', '/settings/sending', { ...settings, email: { from: 'offers@shop.example', fromName: 'Hillstrom demo shop' } });
  log('  Sending settings: no email sender was set; set offers@shop.example.');
}

async function importContacts(target: ApiTarget, sample: HillstromRow[], log: (l: string) => void, progress: (l: string) => void) {
  const dir = mkdtempSync(join(tmpdir(), 'herald-demo-'));
  const file = join(dir, 'hillstrom-contacts.csv');
  try {
    const header = [
      'email',
      'email_consent',
      'recency',
      'history_segment',
      'history',
      'mens',
      'womens',
      'zip_code',
      'newbie',
      'channel',
      'hillstrom_segment',
    ];
    const flag = (b: boolean) => (b ? 1 : 0);
    const lines = sample.map((r) => [
      emailOf(r),
      'subscribed',
      r.recency,
      r.historySegment,
      r.history,
      flag(r.mens),
      flag(r.womens),
      r.zipCode,
      flag(r.newbie),
      r.channel,
      r.segment,
    ]);
    writeFileSync(file, csvTable(header, lines));
    const summary = await importCsvFile({
      apiUrl: target.apiUrl,
      token: target.token,
      file,
      consentSource: 'hillstrom-demo',
      mapping: {
        recency: 'attributes.recency:number',
        history: 'attributes.history:number',
        mens: 'attributes.mens:boolean',
        womens: 'attributes.womens:boolean',
        newbie: 'attributes.newbie:boolean',
      },
      onProgress: (p) => progress(`  Importing contacts: ${fmt(p.rows)} / ${fmt(sample.length)} rows`),
    });
    if (summary.failed > 0)
      throw new Error(`the import of the contacts failed for ${summary.failed} rows (GET /imports/${summary.jobId}/errors)`);
    log(
      `  Contacts: ${fmt(summary.rows)} rows imported in ${summary.seconds.toFixed(1)} s ` +
        `(${fmt(summary.imported)} new, ${fmt(summary.updated)} updated, ${fmt(summary.unchanged)} unchanged)`,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Contact ids of the sample, by email (GET /contacts?email=<prefix>, 500 a page). */
async function contactIds(target: ApiTarget, sample: HillstromRow[]): Promise<Map<number, string>> {
  const byEmail = new Map<string, string>();
  for (const c of await all<{ contactId: string; email?: string }>(target, '/contacts?email=hillstrom-')) {
    if (c.email) byEmail.set(c.email, c.contactId);
  }
  const ids = new Map<number, string>();
  const missing: string[] = [];
  for (const r of sample) {
    const id = byEmail.get(emailOf(r));
    if (id) ids.set(r.row, id);
    else missing.push(emailOf(r));
  }
  if (missing.length > 0)
    throw new Error(`${missing.length} imported contacts are not found by email (${missing.slice(0, 3).join(', ')}…)`);
  return ids;
}

/** Finds the list by name or creates it, and adds the members it lacks (a repeated add would rewrite every member's contact item). */
async function ensureList(target: ApiTarget, lists: { listId: string; name: string }[], name: string, members: string[]) {
  const found = lists.find((l) => l.name === name);
  const list =
    found ??
    (await call<{ listId: string; name: string }>(target, 'POST', '/lists', {
      name,
      description: "A randomised group of Hillstrom's MineThatData e-mail experiment (2008), loaded by npm run demo",
    }));
  const present = new Set(found ? (await all<{ contactId: string }>(target, `/lists/${list.listId}/members`)).map((c) => c.contactId) : []);
  const wanted = new Set(members);
  const missing = members.filter((id) => !present.has(id));
  const extra = [...present].filter((id) => !wanted.has(id)).length;
  let added = 0;
  for (let i = 0; i < missing.length; i += 1000) {
    const result = await call<{ changed: number; notFound: string[] }>(target, 'POST', `/lists/${list.listId}/members`, {
      contactIds: missing.slice(i, i + 1000),
    });
    if (result.notFound.length > 0) throw new Error(`list ${name}: ${result.notFound.length} contacts not found`);
    added += result.changed;
  }
  return { listId: list.listId, added, memberCount: present.size + added, extra };
}

async function ensureTemplate(target: ApiTarget, templates: { templateId: string; name: string }[], arm: (typeof ARMS)[number]) {
  const name = `Hillstrom: ${arm.segment}`;
  const found = templates.find((t) => t.name === name);
  if (found) return found.templateId;
  const created = await call<{ templateId: string }>(target, 'POST', '/templates', {
    name,
    channel: 'email',
    email: {
      subject: `New this season: our ${arm.line} collection`,
      html: `<p>Hello,</p><p>Our new ${arm.line} collection is in the shop. <a href="https://shop.example/${arm.variant}">Have a look</a>.</p><p><a href="{% unsubscribe_url %}">Unsubscribe</a></p>`,
    },
  });
  return created.templateId;
}

interface CampaignState {
  campaignId: string;
  name: string;
  status: string;
  error?: string;
  counts: { audience: number; holdout: number; variants: Record<string, { queued: number; sent: number }> };
  finishedAt?: string;
}

/** Finds the arm's campaign by name or creates it; launches it when it is a draft. Returns whether it was launched now. */
async function ensureCampaign(
  target: ApiTarget,
  campaigns: { campaignId: string; name: string; status: string }[],
  name: string,
  body: object,
): Promise<{ campaignId: string; launched: boolean; status: string }> {
  const found = campaigns.find((c) => c.name === name);
  const campaign = found ?? (await call<{ campaignId: string; status: string }>(target, 'POST', '/campaigns', { name, ...body }));
  if (campaign.status !== 'draft') return { campaignId: campaign.campaignId, launched: false, status: campaign.status };
  const launched = await call<{ status: string }>(target, 'POST', `/campaigns/${campaign.campaignId}/launch`);
  return { campaignId: campaign.campaignId, launched: true, status: launched.status };
}

async function waitForCampaigns(
  target: ApiTarget,
  ids: string[],
  timeoutMs: number,
  progress: (l: string) => void,
): Promise<CampaignState[]> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const states = await Promise.all(ids.map((id) => call<CampaignState>(target, 'GET', `/campaigns/${id}`)));
    const bad = states.find((s) => ['paused', 'cancelled', 'failed'].includes(s.status));
    if (bad) throw new Error(`campaign "${bad.name}" (${bad.campaignId}) is ${bad.status}${bad.error ? `: ${bad.error}` : ''}`);
    if (states.every((s) => s.status === 'completed')) return states;
    progress(
      `  Sending: ${states
        .map((s) => {
          const v = Object.values(s.counts.variants);
          const sent = v.reduce((a, x) => a + x.sent, 0);
          return `${s.name.split(': ').pop()} ${fmt(sent)} sent, ${fmt(s.counts.holdout)} held out (${s.status})`;
        })
        .join('; ')}`,
    );
    if (Date.now() > until) throw new Error(`the campaigns are still sending after ${timeoutMs / 1000} s`);
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
}

/**
 * The purchases the data records: one per row that converted, its spend as the order total, dated
 * `at` (see runDemo).
 */
export function purchaseEvents(sample: readonly HillstromRow[], at: string) {
  return sample
    .filter((r) => r.conversion)
    .map((r) => {
      const category = categoryOf(r);
      return {
        eventId: `hillstrom-${r.row}`,
        type: 'purchase',
        email: emailOf(r),
        orderId: `hillstrom-${r.row}`,
        total: r.spend,
        currency: 'USD',
        items: [{ sku: `hillstrom-${category}`, name: `${category} merchandise`, category, price: r.spend, quantity: 1 }],
        at,
      };
    });
}

function compareArm(report: CampaignReport, variant: string, arm: ArmResult, control: GroupResult): string[] {
  const out: string[] = [];
  const check = (what: string, got: number | null | undefined, want: number, tolerance = 0) => {
    if (got === null || got === undefined || Math.abs(got - want) > tolerance) out.push(`${what}: report ${got}, data ${want}`);
  };
  const holdout = report.groups.find((g) => g.kind === 'holdout');
  const treated = report.groups.find((g) => g.group === variant);
  for (const [g, want, name] of [
    [treated, arm, arm.segment],
    [holdout, control, `${control.segment} (holdout)`],
  ] as const) {
    if (!g) {
      out.push(`${name}: no such group in the report`);
      continue;
    }
    check(`${name} assigned`, g.assigned, want.n);
    check(`${name} converters`, g.converters, want.conversions);
    check(`${name} revenue`, g.revenue, want.spend, 0.005);
  }
  const uplift = report.uplift.find((u) => u.variant === variant);
  check(`${arm.segment} − ${control.segment} difference`, uplift?.conversion.difference, arm.difference, 1e-9);
  check(`${arm.segment} − ${control.segment} CI low`, uplift?.conversion.ci?.low, arm.ci.low, 1e-9);
  check(`${arm.segment} − ${control.segment} CI high`, uplift?.conversion.ci?.high, arm.ci.high, 1e-9);
  return out;
}

/** The figures from the CSV, in the same words as the report, and whether the report matches. */
export function dataText(outcome: ArmOutcome, label: string): string {
  const { arm, control } = outcome.expected;
  const row = (g: GroupResult) =>
    `  ${g.segment.padEnd(14)} ${fmt(g.n).padStart(9)} ${fmt(g.conversions).padStart(8)} ${pct(g.rate).padStart(7)} ${g.spend.toFixed(2).padStart(10)}`;
  return [
    `Straight from the CSV, for the same rows (${label}):`,
    `  ${'group'.padEnd(14)} ${'customers'.padStart(9)} ${'bought'.padStart(8)} ${'rate'.padStart(7)} ${'spend'.padStart(10)}`,
    row(arm),
    row(control),
    `  ${arm.segment} − ${control.segment}: ${points(arm.difference)} points, 95% CI ${points(arm.ci.low)} to ${points(arm.ci.high)}`,
    outcome.mismatches.length === 0
      ? "  ✓ Herald's report matches the data: group sizes, converters, revenue, the difference and its interval."
      : `  ✗ Herald's report differs from the data:\n${outcome.mismatches.map((m) => `    - ${m}`).join('\n')}`,
  ].join('\n');
}

export async function runDemo(options: DemoOptions): Promise<DemoResult> {
  const { target, rows } = options;
  const log = options.log ?? (() => {});
  const progress = options.progress ?? (() => {});
  const timings: DemoResult['timings'] = [];
  let stepStarted = Date.now();
  const step = (name: string) => {
    const now = Date.now();
    timings.push({ step: name, seconds: (now - stepStarted) / 1000 });
    stepStarted = now;
  };

  const sample = sampleRows(rows, options.sampleSize);
  const label = sampleLabel(sample.length, rows.length);
  const figures = experimentFigures(sample);
  log(
    `Sample: ${label} (${Object.values(figures.groups)
      .map((g) => `${g.segment} ${fmt(g.n)}`)
      .join(', ')}; ${fmt(sample.filter((r) => r.conversion).length)} bought)`,
  );

  log('1. Contacts');
  const campaigns = await checkOneSample(target, label);
  await ensureSender(target, log);
  await importContacts(target, sample, log, progress);
  const ids = await contactIds(target, sample);
  step('import contacts');

  log('2. Lists from the randomised groups');
  const existingLists = await all<{ listId: string; name: string }>(target, '/lists');
  const listIds = {} as Record<Segment, string>;
  for (const segment of ['Mens E-Mail', 'Womens E-Mail', 'No E-Mail'] as const) {
    const members = sample.filter((r) => r.segment === segment).map((r) => ids.get(r.row) as string);
    const list = await ensureList(target, existingLists, nameOf(label, segment), members);
    listIds[segment] = list.listId;
    log(`  "${nameOf(label, segment)}" (${list.listId}): ${fmt(list.memberCount)} members (${fmt(list.added)} added now)`);
    if (list.extra > 0)
      log(`  ! ${fmt(list.extra)} members of that list are not in this sample: the campaigns' groups will differ from the data`);
  }
  step('lists');

  log(`3. Two campaigns, one per arm, each with the same No E-Mail list as its holdout (attribution window ${ATTRIBUTION_DAYS} days)`);
  const templates = await all<{ templateId: string; name: string }>(target, '/templates');
  const launched: { arm: (typeof ARMS)[number]; campaignId: string }[] = [];
  for (const arm of ARMS) {
    const templateId = await ensureTemplate(target, templates, arm);
    const name = nameOf(label, arm.segment);
    const c = await ensureCampaign(target, campaigns as { campaignId: string; name: string; status: string }[], name, {
      description: `Replays the ${arm.segment} arm of Hillstrom's MineThatData e-mail experiment (2008) against its randomised No E-Mail group`,
      channel: 'email',
      variants: [{ name: arm.variant, email: templateId }],
      audience: { lists: [listIds[arm.segment], listIds[CONTROL]] },
      holdout: { listId: listIds[CONTROL] },
      quietHours: null, // the experiment's e-mails went out at once; the workspace's quiet hours would hold them
      attributionDays: ATTRIBUTION_DAYS,
    });
    log(`  "${name}" (${c.campaignId}): ${c.launched ? 'launched now' : `found, ${c.status} (not launched again)`}`);
    launched.push({ arm, campaignId: c.campaignId });
  }
  const states = await waitForCampaigns(
    target,
    launched.map((l) => l.campaignId),
    options.sendTimeoutMs ?? 120 * 60_000,
    progress,
  );
  for (const s of states) {
    const sent = Object.values(s.counts.variants).reduce((a, v) => a + v.sent, 0);
    log(`  "${s.name}": completed, ${fmt(sent)} e-mails sent, ${fmt(s.counts.holdout)} held out`);
  }
  step('campaigns: send');

  log('4. Purchases in the two weeks after, as the data records them');
  // Dated when the later campaign finished sending: after both starts, inside both 14-day windows,
  // and the same instant on every run, so a repeat is the very same event (not "now" again).
  const at = states
    .map((s) => s.finishedAt ?? new Date().toISOString())
    .sort()
    .at(-1) as string;
  const events = purchaseEvents(sample, at);
  const totals = { accepted: 0, duplicates: 0 };
  for (let i = 0; i < events.length; i += MAX_EVENTS_PER_BATCH) {
    const batch = events.slice(i, i + MAX_EVENTS_PER_BATCH);
    const result = await call<{
      accepted: number;
      duplicates: number;
      rejected: number;
      results: { status: string; errors?: { field: string; message: string }[] }[];
    }>(target, 'POST', '/events', { events: batch });
    if (result.rejected > 0) {
      const first = result.results.find((r) => r.status === 'rejected');
      throw new Error(`${result.rejected} purchases rejected: ${JSON.stringify(first?.errors)}`);
    }
    totals.accepted += result.accepted;
    totals.duplicates += result.duplicates;
  }
  log(`  ${fmt(events.length)} purchase events dated ${at} posted: ${fmt(totals.accepted)} new, ${fmt(totals.duplicates)} already there`);
  step('purchases');

  log('5. Evaluation');
  const run = await evaluateNow(target);
  log(`  Run ${run.runId}: ${run.campaigns ?? 0} campaigns evaluated in ${run.durationMs ?? '?'} ms`);
  const arms: ArmOutcome[] = [];
  for (const { arm, campaignId } of launched) {
    const report = await call<CampaignReport>(target, 'GET', `/reports/campaigns/${campaignId}`);
    const expected = { arm: figures.arms.find((a) => a.segment === arm.segment) as ArmResult, control: figures.groups[CONTROL] };
    arms.push({
      segment: arm.segment,
      campaignId,
      report,
      expected,
      mismatches: compareArm(report, arm.variant, expected.arm, expected.control),
    });
  }
  step('evaluation');
  return {
    sample,
    label,
    arms,
    evaluation: { runId: run.runId, ...(run.durationMs === undefined ? {} : { durationMs: run.durationMs }) },
    timings,
  };
}
