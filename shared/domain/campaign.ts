/**
 * Campaigns: what a marketer launches (channel, variants, audience, holdout, schedule, limits),
 * the status machine every change goes through, and the pure rules of delivery: deterministic
 * assignment to a variant or the holdout, the channel a contact is reached on, quiet hours in the
 * recipient's zone and the frequency cap. Storage is in shared/db/campaign-repo.ts.
 */
import * as z from 'zod';
import { type Channel, isReachable, type Reach, TopicName } from './contact.ts';
import { inQuietHours } from './sending.ts';
import { InvalidTransition } from './errors.ts';
import { TriggerSpec } from './trigger.ts';

const ClockTime = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be a time of day such as 21:00');
const Ref = z.string().min(1).max(100);

export const CampaignChannel = z.enum(['email', 'sms', 'preferred']);
export type CampaignChannel = z.infer<typeof CampaignChannel>;

/** A variant's name is part of counters, message tags and reports: short and plain. */
export const VariantName = z.string().regex(/^[A-Za-z0-9_-]{1,20}$/, 'must be 1-20 letters, digits, _ or -');

export const Variant = z.strictObject({
  name: VariantName,
  /** Relative share of the treated recipients (weights need not add up to 100). */
  weight: z.number().int().min(1).max(1000).default(1),
  /** Template for email recipients (channel `email` or `preferred`). */
  email: Ref.optional(),
  /** Template for SMS recipients (channel `sms` or `preferred`). */
  sms: Ref.optional(),
});
export type Variant = z.infer<typeof Variant>;

export const Audience = z
  .strictObject({
    segments: z.array(Ref).max(20).default([]),
    lists: z.array(Ref).max(20).default([]),
    excludeSegments: z.array(Ref).max(20).default([]),
    excludeLists: z.array(Ref).max(20).default([]),
  })
  .refine((a) => a.segments.length + a.lists.length > 0, { message: 'name at least one segment or list', path: ['segments'] });
export type Audience = z.infer<typeof Audience>;

/** A random share of the eligible audience, or the members of a list or segment (a control group drawn elsewhere). */
export const Holdout = z.union([
  z.strictObject({ percent: z.number().min(0).max(90) }),
  z.strictObject({ listId: Ref }),
  z.strictObject({ segmentId: Ref }),
]);
export type Holdout = z.infer<typeof Holdout>;

export const CampaignSchedule = z.strictObject({
  /** When to send; with `localTime`, the wall-clock time of this instant (in UTC) in each recipient's zone. */
  at: z.iso.datetime({ offset: true }),
  localTime: z.boolean().default(false),
});
export type CampaignSchedule = z.infer<typeof CampaignSchedule>;

export const Goal = z.union([
  z.strictObject({ event: z.literal('purchase') }),
  z.strictObject({ event: z.literal('custom'), name: z.string().min(1).max(64) }),
]);
export type Goal = z.infer<typeof Goal>;

const campaignFields = {
  name: z.string().trim().min(1, 'must not be empty').max(200),
  description: z.string().max(1000).optional(),
  channel: CampaignChannel,
  variants: z.array(Variant).min(1).max(10),
  /** Who a one-off campaign goes to (a triggered campaign has none: its trigger picks each recipient). */
  audience: Audience.optional(),
  /**
   * An NPS survey: templates get the 11 signed score links (`{{ links.nps[0] }}` … `[10]`), and a
   * digit reply (0-10) to its SMS is an answer (docs/triggers.md, NPS).
   */
  survey: z.literal('nps').optional(),
  /** Makes this a triggered campaign: active from launch until paused or cancelled, one message per firing. */
  trigger: TriggerSpec.optional(),
  holdout: Holdout.optional(),
  /** Absent: send at launch. */
  schedule: CampaignSchedule.optional(),
  /** Absent: the workspace's quiet hours; `null`: none for this campaign. */
  quietHours: z
    .strictObject({ start: ClockTime, end: ClockTime })
    .refine((q) => q.start !== q.end, { message: 'must differ from end', path: ['start'] })
    .nullable()
    .optional(),
  /** Most messages per second for this campaign (below the account's own rate). */
  ratePerSecond: z.number().int().min(1).max(10_000).optional(),
  attributionDays: z.number().int().min(1).max(90),
  goal: Goal.optional(),
  /**
   * A workspace topic (sending settings): only contacts subscribed to it get the message, on
   * top of channel consent. Absent: no topic.
   */
  topic: TopicName.optional(),
};

function checkKind(c: { audience?: unknown; trigger?: unknown; schedule?: unknown; holdout?: Holdout | undefined }, ctx: z.RefinementCtx) {
  if (c.trigger === undefined) {
    if (c.audience === undefined)
      ctx.addIssue({ code: 'custom', message: 'a campaign needs an audience (or a trigger)', path: ['audience'] });
    return;
  }
  if (c.audience !== undefined)
    ctx.addIssue({ code: 'custom', message: 'a triggered campaign has no audience: its trigger picks each recipient', path: ['audience'] });
  if (c.schedule !== undefined)
    ctx.addIssue({ code: 'custom', message: 'a triggered campaign has no schedule: use trigger.delay', path: ['schedule'] });
  if (c.holdout && !('percent' in c.holdout))
    ctx.addIssue({ code: 'custom', message: 'a triggered campaign takes a holdout percentage only', path: ['holdout'] });
}

function checkVariants(c: { channel: CampaignChannel; variants: Variant[] }, ctx: z.RefinementCtx) {
  const needs: Channel[] = c.channel === 'preferred' ? ['email', 'sms'] : [c.channel];
  const seen = new Set<string>();
  c.variants.forEach((v, i) => {
    if (seen.has(v.name)) ctx.addIssue({ code: 'custom', message: 'variant names must differ', path: ['variants', i, 'name'] });
    seen.add(v.name);
    for (const channel of needs) {
      if (!v[channel])
        ctx.addIssue({
          code: 'custom',
          message: `a ${channel} template is needed for channel ${c.channel}`,
          path: ['variants', i, channel],
        });
    }
  });
}

export const CreateCampaign = z
  .strictObject({ ...campaignFields, attributionDays: campaignFields.attributionDays.default(7) })
  .superRefine(checkVariants)
  .superRefine(checkKind);
export type CreateCampaign = z.input<typeof CreateCampaign>;

/** A draft may change anything; channel and variants are checked together. `topic: null` removes the topic. */
export const UpdateCampaign = z
  .strictObject({ ...campaignFields, topic: TopicName.nullable() })
  .partial()
  .refine((c) => Object.keys(c).length > 0, 'name at least one field to change');
export type UpdateCampaign = z.infer<typeof UpdateCampaign>;

export const CampaignStatus = z.enum(['draft', 'scheduled', 'sending', 'paused', 'completed', 'cancelled', 'failed']);
export type CampaignStatus = z.infer<typeof CampaignStatus>;

export const Campaign = z.object({
  campaignId: z.string(),
  ...campaignFields,
  attributionDays: campaignFields.attributionDays.default(7),
  status: CampaignStatus,
  /** Why a campaign failed (an empty audience, a template deleted before launch). */
  error: z.string().optional(),
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
  launchedAt: z.iso.datetime().optional(),
  /** When sending started (launch, or the scheduled time). */
  startedAt: z.iso.datetime().optional(),
  finishedAt: z.iso.datetime().optional(),
  version: z.number().int(),
});
export type Campaign = z.infer<typeof Campaign>;

// ---------------------------------------------------------------------------------------------
// The status machine

export type CampaignAction = 'launch' | 'start' | 'pause' | 'resume' | 'cancel' | 'complete' | 'fail';

const TRANSITIONS: Record<CampaignAction, { from: CampaignStatus[]; to: CampaignStatus }> = {
  launch: { from: ['draft'], to: 'sending' },
  /** A scheduled campaign whose time has come. */
  start: { from: ['scheduled'], to: 'sending' },
  pause: { from: ['sending'], to: 'paused' },
  resume: { from: ['paused'], to: 'sending' },
  cancel: { from: ['scheduled', 'sending', 'paused'], to: 'cancelled' },
  complete: { from: ['sending'], to: 'completed' },
  fail: { from: ['scheduled', 'sending', 'paused'], to: 'failed' },
};

/**
 * The status after `action`, or InvalidTransition (409) naming the current status. A launch
 * with a schedule in the future goes to `scheduled` instead of `sending`.
 */
export function nextStatus(current: CampaignStatus, action: CampaignAction, scheduledLater = false): CampaignStatus {
  const t = TRANSITIONS[action];
  if (!t.from.includes(current)) {
    throw new InvalidTransition(`cannot ${action} a campaign that is ${current} (allowed from: ${t.from.join(', ')})`);
  }
  return action === 'launch' && scheduledLater ? 'scheduled' : t.to;
}

export const isActive = (s: CampaignStatus) => s === 'sending' || s === 'paused' || s === 'scheduled';

// ---------------------------------------------------------------------------------------------
// Send records: one per recipient, from resolution to a final status

export const SendStatus = z.enum(['holdout', 'queued', 'deferred', 'sent', 'failed', 'skipped', 'unknown', 'cancelled']);
export type SendStatus = z.infer<typeof SendStatus>;
export const FINAL_STATUSES: ReadonlySet<SendStatus> = new Set(['holdout', 'sent', 'failed', 'skipped', 'unknown', 'cancelled']);
export const PENDING_STATUSES: SendStatus[] = ['queued', 'deferred'];

export const SkipReason = z.enum(['no_consent', 'suppressed', 'topic_unsubscribed', 'frequency_cap', 'invalid_address', 'contact_erased']);
export type SkipReason = z.infer<typeof SkipReason>;
export const FailReason = z.enum(['render_error', 'refused', 'dead_letter']);
export type FailReason = z.infer<typeof FailReason>;

export const SendRecord = z.object({
  sendId: z.string(),
  campaignId: z.string(),
  contactId: z.string(),
  /** A triggered campaign's firing: one contact may get one message per firing. */
  firingId: z.string().optional(),
  status: SendStatus,
  variant: z.string().optional(),
  /** A triggered message's templates, fixed when it fired (an edit of the campaign affects later firings only). */
  templates: z.object({ email: z.string().optional(), sms: z.string().optional() }).optional(),
  /** Data for the template's `trigger` variable (the recommended categories, the starting event). */
  data: z.record(z.string(), z.unknown()).optional(),
  channel: z.enum(['email', 'sms']).optional(),
  reason: z.string().optional(),
  /** A render error's or a refusal's message. */
  detail: z.string().optional(),
  /** Not before (deferred by quiet hours or a local-time schedule). */
  dueAt: z.iso.datetime().optional(),
  messageId: z.string().optional(),
  sentAt: z.iso.datetime().optional(),
  /** What the channel reported afterwards (SES events through the configuration set). */
  deliveredAt: z.iso.datetime().optional(),
  bouncedAt: z.iso.datetime().optional(),
  /** Permanent (a hard bounce) or Transient. */
  bounceType: z.string().optional(),
  complainedAt: z.iso.datetime().optional(),
  /** The message's tracked links, in order (a click token names one by its index). */
  links: z.array(z.string()).optional(),
  /** What the recipient did: first open and click, totals, unsubscribe. */
  openedAt: z.iso.datetime().optional(),
  opens: z.number().int().optional(),
  clickedAt: z.iso.datetime().optional(),
  clicks: z.number().int().optional(),
  unsubscribedAt: z.iso.datetime().optional(),
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
});
export type SendRecord = z.infer<typeof SendRecord>;

/** A pending record is due when it has no time of its own or that time is (about) now. */
export const isDue = (r: Pick<SendRecord, 'dueAt'>, now: Date) => !r.dueAt || Date.parse(r.dueAt) <= now.getTime() + 60_000;

/**
 * A record's key within its campaign: the contact id, or `<contact>-<firing>` for a triggered
 * message (one trigger may message a contact once per firing). Everything that addresses a record
 * (send ids, tokens, short links, the queue messages) carries this key; `contactOf` gives back the contact.
 * The separator is one SES message tags and SMS context values keep as it is (they turn `~` into `_`).
 */
const FIRING_SEPARATOR = '-';
export const recipientKey = (contactId: string, firingId?: string | undefined) =>
  firingId ? `${contactId}${FIRING_SEPARATOR}${firingId}` : contactId;
export const keyOf = (r: Pick<SendRecord, 'contactId' | 'firingId'>) => recipientKey(r.contactId, r.firingId);
export const contactOf = (key: string) => key.split(FIRING_SEPARATOR, 1)[0] as string;
/** The claim in the contact's send log: the campaign id, and the firing for a triggered message. */
export const claimKeyOf = (campaignId: string, key: string) => {
  const at = key.indexOf(FIRING_SEPARATOR);
  return at < 0 ? campaignId : `${campaignId}${key.slice(at)}`;
};
/** The campaign and record key a claim in a contact's send log stands for. */
export function recipientOfClaim(claimKey: string, contactId: string): { campaignId: string; key: string } {
  const at = claimKey.indexOf(FIRING_SEPARATOR);
  return at < 0
    ? { campaignId: claimKey, key: contactId }
    : { campaignId: claimKey.slice(0, at), key: `${contactId}${claimKey.slice(at)}` };
}

/** The send id: deterministic from campaign and record key, so every retry names the same record. */
export const sendIdOf = (campaignId: string, key: string) => `${campaignId}.${key}`;
export function parseSendId(sendId: string): { campaignId: string; contactId: string } | undefined {
  const m = /^(cp_[a-z0-9]{1,60})\.(ct_[a-z0-9]{1,60}(?:-[a-z0-9]{1,40})?)$/.exec(sendId);
  return m ? { campaignId: m[1] as string, contactId: m[2] as string } : undefined;
}

/** Live counts, as kept by atomic ADDs and reconciled from the records when a campaign ends. */
export const CampaignCounts = z.object({
  /** Recipients resolved so far: every record written, whatever its status. */
  audience: z.number().int(),
  holdout: z.number().int(),
  variants: z.record(
    z.string(),
    z.object({
      queued: z.number().int(),
      sent: z.number().int(),
      failed: z.number().int(),
      unknown: z.number().int(),
      /** From the channel's own events, as they arrive. */
      delivered: z.number().int(),
      bounced: z.number().int(),
      complained: z.number().int(),
      /** Recipients who opened or clicked at least once (unique), and all opens and clicks (total). */
      opened: z.number().int(),
      opens: z.number().int(),
      clicked: z.number().int(),
      clicks: z.number().int(),
      unsubscribed: z.number().int(),
      /** Requests by link scanners and prefetchers, kept apart from people's. */
      machineOpens: z.number().int(),
      machineClicks: z.number().int(),
      /** Clicks by link index in the variant's message. */
      links: z.record(z.string(), z.number().int()),
    }),
  ),
  skipped: z.record(z.string(), z.number().int()),
  failed: z.record(z.string(), z.number().int()),
  /** Waiting now for quiet hours or a local-time schedule to end. */
  deferred: z.number().int(),
  cancelled: z.number().int(),
  /** True once every part of the audience has been read. */
  audienceResolved: z.boolean(),
  /** A triggered campaign's firings: started, fired (a record written), dropped by reason; waiting = started − fired − dropped. */
  firings: z
    .object({
      started: z.number().int(),
      fired: z.number().int(),
      dropped: z.record(z.string(), z.number().int()),
      waiting: z.number().int(),
    })
    .optional(),
});
export type CampaignCounts = z.infer<typeof CampaignCounts>;

export type FeedbackKind = 'delivered' | 'bounced' | 'complained';
export type EngagementCounter = 'opened' | 'opens' | 'clicked' | 'clicks' | 'unsubscribed' | 'machineOpens' | 'machineClicks';

/** A counter name in the counts item, for an atomic ADD: `sent#A`, `skipped#no_consent`. */
export type CounterDelta = Record<string, number>;
export const counter = {
  audience: 'audience',
  holdout: 'holdout',
  deferred: 'deferred',
  cancelled: 'cancelled',
  queued: (variant: string) => `queued#${variant}`,
  sent: (variant: string) => `sent#${variant}`,
  failedVariant: (variant: string) => `failed#${variant}`,
  unknown: (variant: string) => `unknown#${variant}`,
  skipped: (reason: string) => `skipped#${reason}`,
  feedback: (kind: FeedbackKind, variant: string) => `${kind}#${variant}`,
  engagement: (kind: EngagementCounter, variant: string) => `${kind}#${variant}`,
  link: (variant: string, index: number) => `link#${variant}#${index}`,
  failedReason: (reason: string) => `failedReason#${reason}`,
  /** A triggered campaign's firings: `started`, `fired`, `dropped#<reason>`. */
  firings: (what: string) => `firings#${what}`,
};

/** Counters that a recount of the records derives (countersOf in campaign-progress.ts). */
/**
 * (Not what arrives after the send — SES's delivered, bounced, complained; opens, clicks,
 * unsubscribes: each is a record write then a counter ADD at any time, also while a recount runs,
 * so a recount that set them could count one twice or lose it; the records keep them, and their
 * counters are left as they are.)
 */
export function isRecordCounter(name: string): boolean {
  const kind = name.split('#', 1)[0] as string;
  return ['audience', 'holdout', 'deferred', 'cancelled', 'queued', 'sent', 'failed', 'unknown', 'skipped', 'failedReason'].includes(kind);
}

export function addTo(delta: CounterDelta, name: string, n = 1): void {
  delta[name] = (delta[name] ?? 0) + n;
}

type VariantCounter = Exclude<keyof CampaignCounts['variants'][string], 'links'>;
const VARIANT_COUNTERS: ReadonlySet<string> = new Set<VariantCounter>([
  'queued',
  'sent',
  'unknown',
  'delivered',
  'bounced',
  'complained',
  'opened',
  'opens',
  'clicked',
  'clicks',
  'unsubscribed',
  'machineOpens',
  'machineClicks',
]);

/** Counts from the stored counters (a flat map of numbers). */
export function countsFrom(raw: Record<string, unknown>, parts: number): CampaignCounts {
  const counts: CampaignCounts = {
    audience: 0,
    holdout: 0,
    variants: {},
    skipped: {},
    failed: {},
    deferred: 0,
    cancelled: 0,
    audienceResolved: false,
  };
  const variant = (name: string) => {
    counts.variants[name] ??= {
      queued: 0,
      sent: 0,
      failed: 0,
      unknown: 0,
      delivered: 0,
      bounced: 0,
      complained: 0,
      opened: 0,
      opens: 0,
      clicked: 0,
      clicks: 0,
      unsubscribed: 0,
      machineOpens: 0,
      machineClicks: 0,
      links: {},
    };
    return counts.variants[name];
  };
  for (const [key, value] of Object.entries(raw)) {
    if (key === 'resolvedParts') {
      const size = value instanceof Set ? value.size : Array.isArray(value) ? value.length : 0;
      counts.audienceResolved = size >= parts;
      continue;
    }
    if (typeof value !== 'number') continue;
    const cut = key.indexOf('#');
    const kind = cut < 0 ? key : key.slice(0, cut);
    const name = cut < 0 ? undefined : key.slice(cut + 1);
    if (name === undefined) {
      if (kind === 'audience' || kind === 'holdout' || kind === 'deferred' || kind === 'cancelled') counts[kind] = value;
      continue;
    }
    if (kind === 'link') {
      const at = name.lastIndexOf('#');
      variant(name.slice(0, at)).links[name.slice(at + 1)] = value;
    } else if (VARIANT_COUNTERS.has(kind)) variant(name)[kind as VariantCounter] = value;
    else if (kind === 'failed') variant(name).failed = value;
    else if (kind === 'skipped') counts.skipped[name] = value;
    else if (kind === 'failedReason') counts.failed[name] = value;
    else if (kind === 'firings') {
      counts.firings ??= { started: 0, fired: 0, dropped: {}, waiting: 0 };
      const f = counts.firings;
      if (name === 'started' || name === 'fired') f[name] = value;
      else if (name.startsWith('dropped#')) f.dropped[name.slice(8)] = value;
    }
  }
  if (counts.firings) {
    const f = counts.firings;
    f.waiting = Math.max(0, f.started - f.fired - Object.values(f.dropped).reduce((a, b) => a + b, 0));
  }
  return counts;
}

/** Records with a final status, by the counters. */
export function finishedCount(c: CampaignCounts): number {
  let n = c.holdout + c.cancelled;
  for (const v of Object.values(c.skipped)) n += v;
  for (const v of Object.values(c.variants)) n += v.sent + v.failed + v.unknown;
  return n;
}

/** Every recipient has a final status, so the campaign is done. */
export const isDone = (c: CampaignCounts) => c.audienceResolved && finishedCount(c) >= c.audience;

// ---------------------------------------------------------------------------------------------
// Assignment

/**
 * A number in [0, 1) from a hash of the parts: the same inputs, the same number, anywhere (the
 * browser included). cyrb53, a 53-bit non-cryptographic hash with good avalanche.
 */
export function uniform(...parts: string[]): number {
  const s = parts.join('\n');
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  for (let i = 0; i < s.length; i++) {
    const ch = s.charCodeAt(i);
    h1 = Math.imul(h1 ^ ch, 2654435761);
    h2 = Math.imul(h2 ^ ch, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return ((h2 >>> 0) * 2 ** 21 + (h1 >>> 11)) / 2 ** 53;
}

/**
 * Holdout or variant for one eligible contact: deterministic in (campaign, contact), so a re-run
 * of resolution assigns everyone the same way. `inExplicitHoldout`: the contact is in the
 * holdout list or segment.
 */
export function assign(
  campaign: Pick<Campaign, 'campaignId' | 'variants' | 'holdout'>,
  contactId: string,
  inExplicitHoldout: boolean,
): { holdout: true } | { holdout: false; variant: string } {
  const h = campaign.holdout;
  if (h && 'percent' in h ? uniform(campaign.campaignId, contactId, 'holdout') * 100 < h.percent : inExplicitHoldout) {
    return { holdout: true };
  }
  const total = campaign.variants.reduce((sum, v) => sum + v.weight, 0);
  let x = uniform(campaign.campaignId, contactId, 'variant') * total;
  for (const v of campaign.variants) {
    x -= v.weight;
    if (x < 0) return { holdout: false, variant: v.name };
  }
  return { holdout: false, variant: (campaign.variants.at(-1) as Variant).name };
}

export type { Reach } from './contact.ts';

/**
 * The channel a contact is messaged on, or why none: `preferred` takes the contact's preferred
 * channel when reachable there, else the other reachable one.
 */
export function chooseChannel(
  channel: CampaignChannel,
  reach: Record<Channel, Reach>,
  preferred: Channel | undefined,
): { channel: Channel } | { skip: SkipReason } {
  const ok = (c: Channel) => isReachable(reach[c]);
  const order: Channel[] = channel === 'preferred' ? (preferred === 'sms' ? ['sms', 'email'] : ['email', 'sms']) : [channel];
  for (const c of order) if (ok(c)) return { channel: c };
  // Why not: suppression outranks missing consent, so the count says what a marketer can act on.
  return order.some((c) => reach[c].suppressed && reach[c].address) ? { skip: 'suppressed' } : { skip: 'no_consent' };
}

// ---------------------------------------------------------------------------------------------
// Time rules

/** One formatter per zone: building one costs far more than using it. */
const formatters = new Map<string, Intl.DateTimeFormat>();

/** The wall-clock date and time of `at` in `zone` (IANA), as parts. */
function zoned(at: Date, zone: string): { y: number; m: number; d: number; hh: number; mm: number; ss: number } {
  let format = formatters.get(zone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatters.set(zone, format);
  }
  const parts = format.formatToParts(at);
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value);
  return { y: get('year'), m: get('month'), d: get('day'), hh: get('hour'), mm: get('minute'), ss: get('second') };
}

/** The zone's offset from UTC at `at`, in ms (positive east of Greenwich). */
function offsetMs(at: Date, zone: string): number {
  const z = zoned(at, zone);
  return Date.UTC(z.y, z.m - 1, z.d, z.hh, z.mm, z.ss) - Math.floor(at.getTime() / 1000) * 1000;
}

/** The instant when it is `wall` (the UTC wall-clock reading of a date) in `zone`. */
export function wallTimeIn(wall: Date, zone: string): Date {
  const guess = new Date(wall.getTime() - offsetMs(wall, zone));
  // Once more at the guess: the offset may differ there (a daylight-saving change in between).
  return new Date(wall.getTime() - offsetMs(guess, zone));
}

/** Local-time schedules start this early: the first zone to reach the time is UTC+14. */
export const EARLIEST_OFFSET_MS = 14 * 3600_000;
/** …and the last to reach it is UTC-12. */
export const LATEST_OFFSET_MS = 12 * 3600_000;

/**
 * The wall-clock reading of an ISO date-time as written, offset ignored:
 * `2026-12-01T09:00:00+09:00` → 09:00 on 1 December (as a UTC Date holding that reading).
 */
export function wallClockOf(iso: string): Date {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?/.exec(iso);
  if (!m) return new Date(iso);
  const [, y, mo, d, h, mi, se] = m;
  return new Date(Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(se ?? 0)));
}

/**
 * When a recipient's message is due: the schedule's time, or (localTime) the schedule's
 * wall-clock time as written, in the recipient's zone. A recipient whose zone has passed that
 * time when sending starts is due at once.
 */
export function dueFor(schedule: CampaignSchedule | undefined, zone: string | undefined, startedAt: Date): Date {
  if (!schedule) return startedAt;
  return schedule.localTime ? wallTimeIn(wallClockOf(schedule.at), zone ?? 'UTC') : new Date(schedule.at);
}

/** The recipient's time of day, HH:MM. */
export function localClock(at: Date, zone: string | undefined): string {
  const z = zoned(at, zone ?? 'UTC');
  return `${String(z.hh).padStart(2, '0')}:${String(z.mm).padStart(2, '0')}`;
}

/**
 * When quiet hours end for a recipient, or undefined when `at` is outside them: the first minute
 * outside them, found a minute at a time (at most a day), so any window however short is found
 * and zones with odd offsets and daylight-saving changes are the zone database's business.
 */
export function quietHoursEnd(
  quiet: { start: string; end: string } | undefined | null,
  at: Date,
  zone: string | undefined,
): Date | undefined {
  if (!quiet || !inQuietHours(quiet, localClock(at, zone))) return undefined;
  let t = Math.ceil((at.getTime() + 1) / 60_000) * 60_000;
  for (let i = 0; i <= 24 * 60; i++, t += 60_000) {
    if (!inQuietHours(quiet, localClock(new Date(t), zone))) return new Date(t);
  }
  return new Date(t);
}

/**
 * Whether one more marketing message is allowed: the contact's claimed sends (epoch ms, other
 * campaigns) within the rolling window, against the cap.
 */
export function underFrequencyCap(cap: { messages: number; withinDays: number } | undefined, sentAt: number[], now: Date): boolean {
  if (!cap) return true;
  const since = now.getTime() - cap.withinDays * 86_400_000;
  return sentAt.filter((t) => t > since).length < cap.messages;
}

/** Which shard of a campaign's send records a contact's lives in (spreads writes over partitions). */
export const SEND_SHARDS = 16;
export function shardOf(contactId: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < contactId.length; i++) {
    h ^= contactId.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h % SEND_SHARDS;
}
