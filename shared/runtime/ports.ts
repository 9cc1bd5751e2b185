/**
 * The ports use cases depend on: interfaces that shared/db and shared/aws implement. A use case
 * asks for the parts it needs (`Pick<Deps, 'contacts' | 'now'>`), and a handler names the
 * providers of exactly those parts, so a function's bundle holds only the adapters it uses.
 */
import type { Channel, ConsentEvent, Contact, Identity, IdentityKind } from '../domain/contact.ts';
import type { Suppression } from '../domain/suppression.ts';
import type { BatchCounts, ImportJob, RowError } from '../domain/import.ts';
import type { TargetList } from '../domain/list.ts';
import type { Aggregates, Boundaries, ValueSettings } from '../domain/value.ts';
import type { StoredEvent } from '../domain/event.ts';
import type { Segment, SegmentCount, SegmentCountPart } from '../domain/segment.ts';
import type { Template } from '../domain/template.ts';
import type { SendingSettings } from '../domain/sending.ts';
import type { OutgoingEmail, OutgoingText } from '../domain/message.ts';
import type { QueueMessage, QueueName } from '../api/messages.ts';
import type { Campaign, CounterDelta, SendRecord, SendStatus } from '../domain/campaign.ts';
import type { TokenClaims } from '../domain/tracking.ts';
import type { DropReason, DueWork, Firing } from '../domain/trigger.ts';
import type { RuleSet } from '../domain/basket-rules.ts';
import type { WebhookDeadLetter, WebhookSubscription } from '../domain/webhook.ts';
import type { Assignment, ConversionDelta, EvaluatedCampaign, EvaluationRun, PendingConversion } from '../domain/evaluation.ts';

/** One page of a listing and the opaque cursor of the next, if any. */
export interface Page<T> {
  items: T[];
  cursor?: string;
}

/** The key of a stored item, for erasure. */
export interface StoredKey {
  pk: string;
  sk: string;
}

/** What Herald holds about one contact, as read from its partition. */
export interface ContactContents {
  profile?: Contact;
  consentHistory: ConsentEvent[];
  listIds: string[];
  events: StoredEvent[];
  aggregates?: Aggregates;
  /** The trigger firings in its partition (their send records carry the starting event's data). */
  firings: Firing[];
  itemKeys: StoredKey[];
}

export interface ContactStore {
  get(tenantId: string, contactId: string): Promise<Contact | undefined>;
  /** The contact and its raw value aggregates (parsed by the caller), in one read. */
  getWithAggregates(tenantId: string, contactId: string): Promise<{ contact: Contact; aggregates?: unknown } | undefined>;
  getMany(tenantId: string, contactIds: string[]): Promise<Map<string, Contact>>;
  /** Stored contact items (profile, `value` aggregates, `lists`, `suppressed`) by id; read defensively. */
  getManyItems(tenantId: string, contactIds: string[]): Promise<Map<string, Record<string, unknown>>>;
  findManyByIdentity(tenantId: string, identities: Identity[]): Promise<Map<string, string>>;
  claimIdentity(tenantId: string, identity: Identity, contactId: string): Promise<void>;
  releaseIdentity(tenantId: string, identity: Identity, contactId: string): Promise<void>;
  save(tenantId: string, contact: Contact, readVersion: number): Promise<void>;
  saveAggregates(tenantId: string, contactId: string, aggregates: Aggregates): Promise<boolean>;
  /** Sets or clears the contact's `suppressed.<channel>` flag (audiences and senders skip a suppressed channel). */
  setSuppressed(tenantId: string, contactId: string, channel: Channel, suppressed: boolean): Promise<void>;
  /** Raw stored contact items of one key range, for segment evaluation (segment-eval.ts reads them defensively). */
  scanRange(tenantId: string, part: number, parts: number, limit: number, cursor?: string): Promise<Page<Record<string, unknown>>>;
  appendConsentEvents(tenantId: string, events: { contactId: string; event: ConsentEvent }[]): Promise<void>;
  list(tenantId: string, limit: number, cursor?: string): Promise<Page<Contact>>;
  searchIdentities(tenantId: string, kind: IdentityKind, prefix: string, limit: number, cursor?: string): Promise<Page<string>>;
  contents(tenantId: string, contactId: string): Promise<ContactContents>;
  deleteKeys(itemKeys: StoredKey[]): Promise<void>;
}

export interface ListStore {
  create(tenantId: string, list: TargetList): Promise<void>;
  get(tenantId: string, listId: string): Promise<TargetList | undefined>;
  list(tenantId: string, limit: number, cursor?: string): Promise<Page<TargetList>>;
  update(tenantId: string, listId: string, change: { name?: string; description?: string }, now: string): Promise<TargetList>;
  delete(tenantId: string, listId: string): Promise<void>;
  addMembers(tenantId: string, listId: string, contactIds: string[], now: string): Promise<number>;
  removeMembers(tenantId: string, listId: string, contactIds: string[]): Promise<number>;
  members(tenantId: string, listId: string, limit: number, cursor?: string): Promise<Page<string>>;
  purgeMembershipPage(tenantId: string, listId: string, pageSize: number): Promise<boolean>;
  forgetMember(tenantId: string, listIds: string[]): Promise<void>;
}

export interface ImportStore {
  create(tenantId: string, job: ImportJob): Promise<void>;
  get(tenantId: string, jobId: string): Promise<ImportJob | undefined>;
  recordBatch(tenantId: string, jobId: string, firstRow: number, counts: BatchCounts, errors: RowError[]): Promise<BatchCounts | undefined>;
  addProgress(tenantId: string, jobId: string, counts: BatchCounts, now: string, bytesRead?: number): Promise<ImportJob>;
  finish(
    tenantId: string,
    jobId: string,
    status: 'completed' | 'abandoned',
    now: string,
    staleBefore?: string,
  ): Promise<ImportJob | undefined>;
  errors(tenantId: string, jobId: string, limit: number, cursor?: string): Promise<Page<RowError>>;
  staleOpenJobs(before: string, limit: number): Promise<{ tenantId: string; jobId: string }[]>;
}

export interface EventStore {
  put(tenantId: string, contactId: string, event: StoredEvent): Promise<'accepted' | 'duplicate'>;
  forContact(tenantId: string, contactId: string): Promise<StoredEvent[]>;
}

export interface SettingsStore {
  valueModel(tenantId: string): Promise<{ settings: ValueSettings; boundaries?: Boundaries }>;
  saveValueSettings(tenantId: string, settings: ValueSettings): Promise<void>;
  saveBoundaries(tenantId: string, boundaries: Boundaries): Promise<void>;
  /**
   * Association rules mined from the workspace's purchases, between categories (the cross-sell
   * recommendations) or products (once there are enough baskets); undefined until first mined.
   */
  rules(tenantId: string, level?: 'category' | 'product'): Promise<RuleSet | undefined>;
  saveRules(tenantId: string, rules: RuleSet, level?: 'category' | 'product'): Promise<void>;
  /** Sender identities and sending limits; `{}` until set. */
  sending(tenantId: string): Promise<SendingSettings>;
  saveSending(tenantId: string, settings: SendingSettings): Promise<void>;
  /** Records that a workspace sends from an SMS origination identity; false if another workspace does. */
  claimSmsOrigin(tenantId: string, identity: string): Promise<boolean>;
  /** The workspace that sends from an SMS origination identity. */
  smsOriginOwner(identity: string): Promise<string | undefined>;
  /** Workspaces that have sent events: the schedule recomputes boundaries for each. */
  registerTenant(tenantId: string): Promise<void>;
  tenants(): Promise<string[]>;
}

export interface SegmentStore {
  create(tenantId: string, segment: Segment): Promise<void>;
  get(tenantId: string, segmentId: string): Promise<Segment | undefined>;
  list(tenantId: string, limit: number, cursor?: string): Promise<Page<Segment>>;
  replace(tenantId: string, segment: Segment, readUpdatedAt: string): Promise<void>;
  delete(tenantId: string, segmentId: string): Promise<void>;
  createCount(tenantId: string, job: SegmentCount): Promise<void>;
  getCount(tenantId: string, countId: string): Promise<{ job: SegmentCount; parts: SegmentCountPart[] } | undefined>;
  advancePart(tenantId: string, countId: string, next: SegmentCountPart): Promise<boolean>;
}

export interface TemplateStore {
  create(tenantId: string, template: Template): Promise<void>;
  get(tenantId: string, templateId: string): Promise<Template | undefined>;
  list(tenantId: string, limit: number, cursor?: string): Promise<Page<Template>>;
  replace(tenantId: string, template: Template, readVersion: number): Promise<void>;
  delete(tenantId: string, templateId: string): Promise<void>;
}

export interface CampaignStore {
  create(tenantId: string, campaign: Campaign): Promise<void>;
  get(tenantId: string, campaignId: string): Promise<Campaign | undefined>;
  list(tenantId: string, limit: number, cursor?: string): Promise<Page<Campaign>>;
  /** Saves a changed campaign if its version is still `readVersion` (ConcurrentChange otherwise). */
  replace(tenantId: string, campaign: Campaign, readVersion: number): Promise<void>;
  delete(tenantId: string, campaignId: string): Promise<void>;
  /** The raw counters item (a flat map of numbers, and `resolvedParts`). */
  counts(tenantId: string, campaignId: string): Promise<Record<string, unknown>>;
  /** Atomic ADD of every delta (and of `resolvedPart` to the set of resolved audience parts); the counters after it. */
  addCounts(tenantId: string, campaignId: string, delta: CounterDelta, resolvedPart?: number): Promise<Record<string, unknown>>;
  /**
   * Overwrites the counters with exact values (reconciliation): the given ones are set, the other
   * record-derived counters (see countersOf) are set to 0, anything else (resolved parts, the
   * resolution heartbeat) is kept.
   */
  setCounts(tenantId: string, campaignId: string, counts: CounterDelta): Promise<void>;
  markScheduled(tenantId: string, campaignId: string, at: string): Promise<void>;
  unmarkScheduled(tenantId: string, campaignId: string, at: string): Promise<void>;
  /** Scheduled campaigns whose time is at or before `before`, across tenants, oldest first. */
  dueScheduled(before: string, limit: number): Promise<{ tenantId: string; campaignId: string; at: string }[]>;
  /** Marks a campaign active; `progress` is what the progress sweep saw last (to notice a stall). */
  markActive(tenantId: string, campaignId: string, progress?: ActiveProgress): Promise<void>;
  unmarkActive(tenantId: string, campaignId: string): Promise<void>;
  /** Every active campaign, across tenants (a small partition: one item per campaign sending or paused). */
  active(): Promise<{ tenantId: string; campaignId: string; progress?: ActiveProgress }[]>;
}

/** A contact's send log. */
export interface SendLog {
  claims: Record<string, number>;
  version: number;
}

/** A fingerprint of a campaign's counters and when it was first seen. */
export interface ActiveProgress {
  mark: string;
  since: string;
}

export interface SendStore {
  /** Puts each record unless one exists for its (campaign, contact); the existing ones are returned by contact id. */
  createMany(tenantId: string, records: SendRecord[]): Promise<Map<string, SendRecord>>;
  getMany(tenantId: string, campaignId: string, contactIds: string[]): Promise<Map<string, SendRecord>>;
  /**
   * Changes a record's status (and the other fields given) only if it is now in one of `from`;
   * false when it was not (another sender got there first).
   */
  transition(
    tenantId: string,
    campaignId: string,
    contactId: string,
    from: SendStatus[],
    change: Partial<Omit<SendRecord, 'sendId' | 'campaignId' | 'contactId' | 'createdAt'>> & { status: SendStatus; updatedAt: string },
  ): Promise<boolean>;
  /** One page of one shard's records, optionally only those in `statuses`. */
  page(
    tenantId: string,
    campaignId: string,
    shard: number,
    options: { limit: number; cursor?: string; statuses?: SendStatus[] },
  ): Promise<Page<SendRecord>>;
  /**
   * Notes what the channel reported for a sent message (`deliveredAt`, `bouncedAt`,
   * `complainedAt`), once: the record when this was new, undefined for a repeat or an unknown send.
   */
  markFeedback(
    tenantId: string,
    campaignId: string,
    contactId: string,
    field: 'deliveredAt' | 'bouncedAt' | 'complainedAt' | 'unsubscribedAt',
    at: string,
    extra?: { bounceType?: string },
  ): Promise<SendRecord | undefined>;
  /**
   * Counts an open or a click on a sent message: the first time sets `openedAt` / `clickedAt`,
   * every time adds 1 to `opens` / `clicks`. Returns the record as it was before (its links,
   * variant, and whether this was the first), or undefined when no sent message has that id.
   */
  recordEngagement(
    tenantId: string,
    campaignId: string,
    contactId: string,
    kind: 'open' | 'click',
    at: string,
  ): Promise<{ before: SendRecord; first: boolean } | undefined>;
  /** Records whose message an SMS short link code belongs to (the link targets stay on the send record). */
  saveShortLink(code: string, owner: { tenantId: string; campaignId: string; contactId: string }): Promise<void>;
  shortLink(code: string): Promise<{ tenantId: string; campaignId: string; contactId: string } | undefined>;
  /** Removes what a record holds of a person beyond its status: link targets, a trigger's data (erasure). */
  forgetPersonalData(tenantId: string, campaignId: string, key: string): Promise<void>;
  /** Each contact's send log: claimed sends (send key → epoch ms) and its version. */
  sendLogs(tenantId: string, contactIds: string[]): Promise<Map<string, SendLog>>;
  /**
   * Claims the send `key` for a contact at `at` (epoch ms), removing the `expired` keys, if the
   * log is still at `readVersion` (0: no log yet) and the key is not claimed: the claim is what
   * makes a send happen at most once, the version what keeps two campaigns from both passing the
   * frequency cap. `busy` when either condition failed (read the log again to know which).
   */
  claim(tenantId: string, contactId: string, key: string, at: number, expired: string[], readVersion: number): Promise<'claimed' | 'busy'>;
  /** Gives a claim back (the message was provably not sent: throttled, refused). */
  release(tenantId: string, contactId: string, key: string, at: number): Promise<void>;
}

export interface SuppressionStore {
  /** Adds the address; false when it was there already (the first entry is kept). */
  add(tenantId: string, suppression: Suppression): Promise<boolean>;
  remove(tenantId: string, channel: Channel, address: string): Promise<boolean>;
  get(tenantId: string, channel: Channel, address: string): Promise<Suppression | undefined>;
  list(tenantId: string, channel: Channel, limit: number, cursor?: string): Promise<Page<Suppression>>;
  /** Which of these addresses are suppressed. */
  suppressed(tenantId: string, channel: Channel, addresses: string[]): Promise<Set<string>>;
}

/** A rate limiter shared by every concurrent sender (DynamoDB on AWS and locally). */
export interface PacerPort {
  /**
   * Takes up to `want` tokens from `bucket` (at most `perSecond` per second in total, across all
   * callers). `granted` may be fewer, or 0 with `waitMs` until the next tokens.
   */
  take(bucket: string, want: number, perSecond: number): Promise<{ granted: number; waitMs: number }>;
}

/** Signs and checks the tokens of tracked links, the open pixel, unsubscribe and preference links. */
export interface TokenPort {
  sign(claims: TokenClaims): Promise<string>;
  /** A signer that needs no more waiting (the secret read): a sender signs many tokens per message. */
  signer(): Promise<(claims: TokenClaims) => string>;
  /** The claims of a genuine token; undefined for anything else (never throws). */
  verify(token: string): Promise<TokenClaims | undefined>;
}

/** Delivers one email (SES v2 locally and on AWS). */
export interface EmailPort {
  send(email: OutgoingEmail): Promise<{ messageId: string }>;
  /** The account's maximum send rate per second (SES GetAccount). */
  maxSendRate(): Promise<number>;
}

/** Delivers one text message (AWS End User Messaging SMS). */
export interface SmsPort {
  send(text: OutgoingText): Promise<{ messageId: string }>;
}

/** Hands work to a queue; the message type follows from the queue's entry in the queue table. */
export interface QueuePort {
  /** `delaySeconds`: not delivered before then (0-900, SQS's limit). */
  send<Q extends QueueName>(queue: Q, message: QueueMessage<Q>, options?: { delaySeconds?: number }): Promise<void>;
  /** Many messages, in batches of SQS's ten. */
  sendMany<Q extends QueueName>(queue: Q, messages: QueueMessage<Q>[], options?: { delaySeconds?: number }): Promise<void>;
}

export type { DueWork };

export interface TriggerStore {
  /** AP40 the workspace's triggered campaigns that are sending (each as it was when it became active or was edited). */
  active(tenantId: string): Promise<Campaign[]>;
  /** Both conditional on the campaign's version: what an older read would write changes nothing. */
  setActive(tenantId: string, campaign: Campaign): Promise<void>;
  setInactive(tenantId: string, campaignId: string, version: number): Promise<void>;
  getFiring(tenantId: string, contactId: string, campaignId: string, firingId: string): Promise<Firing | undefined>;
  /** Puts a firing unless it exists (false then): one firing per trigger, contact and starting event. */
  createFiring(tenantId: string, firing: Firing): Promise<boolean>;
  /** Ends a waiting firing (false when it was not waiting any more). */
  endFiring(
    tenantId: string,
    firing: Pick<Firing, 'contactId' | 'campaignId' | 'firingId'>,
    change: { status: 'fired' | 'dropped'; reason?: DropReason; sendId?: string; updatedAt: string },
  ): Promise<boolean>;
  /**
   * The cooldown: records `firingId` as the contact's latest firing of the trigger at `at` (epoch
   * ms) unless another firing took it after `notBefore`. True for the same firing again (a replay).
   */
  takeCooldown(tenantId: string, contactId: string, campaignId: string, firingId: string, at: number, notBefore: number): Promise<boolean>;
  /** AP42 a segment trigger's last known membership of the contact (for which segment, and the event that brought it in). */
  segmentState(
    tenantId: string,
    contactId: string,
    campaignId: string,
  ): Promise<{ inSegment: boolean; segmentId: string; entryKey?: string } | undefined>;
  /**
   * The contact entered the segment through `entryKey` (an event): true for the one call that made
   * the entry, or a replay of it; false when another event's entry is recorded (concurrent events).
   */
  enterSegment(tenantId: string, contactId: string, campaignId: string, segmentId: string, entryKey: string): Promise<boolean>;
  /** Out, unless an entry other than `seenEntryKey` (the one the caller saw, if any) is recorded meanwhile. */
  leaveSegment(tenantId: string, contactId: string, campaignId: string, segmentId: string, seenEntryKey?: string): Promise<void>;
  /** AP43 puts work due at `dueAt` (idempotent: the same id, the same item). */
  addDue(dueAt: string, id: string, work: DueWork): Promise<void>;
  /** Work due at or before `before` in one shard of the index, earliest first. */
  dueIn(shard: number, before: string, limit: number): Promise<{ dueAt: string; id: string; work: DueWork }[]>;
  removeDue(tenantId: string, dueAt: string, id: string): Promise<void>;
}

/** Webhook subscriptions and their dead letters (docs/webhooks.md). */
export interface WebhookStore {
  create(tenantId: string, subscription: WebhookSubscription): Promise<void>;
  get(tenantId: string, webhookId: string): Promise<WebhookSubscription | undefined>;
  list(tenantId: string, limit: number, cursor?: string): Promise<Page<WebhookSubscription>>;
  /** Saves a changed subscription if its version is still `readVersion` (Conflict otherwise, or when it was deleted). */
  replace(tenantId: string, subscription: WebhookSubscription, readVersion: number): Promise<void>;
  /** Deletes the subscription and its dead letters; false when there was none. */
  delete(tenantId: string, webhookId: string): Promise<boolean>;
  /** Keeps a delivery that failed for good (one per subscription and event: a repeat overwrites it). */
  putDeadLetter(tenantId: string, deadLetter: WebhookDeadLetter): Promise<void>;
  getDeadLetter(tenantId: string, webhookId: string, eventId: string): Promise<WebhookDeadLetter | undefined>;
  deadLetters(tenantId: string, webhookId: string, limit: number, cursor?: string): Promise<Page<WebhookDeadLetter>>;
  /** Deletes a dead letter (only the one that failed at `failedAt`, when given: a redrive never removes a newer failure). */
  deleteDeadLetter(tenantId: string, webhookId: string, eventId: string, failedAt?: string): Promise<boolean>;
}

/** POSTs a webhook to its receiver (global fetch on AWS and locally). */
export interface WebhookClient {
  /** The receiver's status; throws when there is none (refused, reset, timed out). Redirects are not followed. */
  post(url: string, body: string, headers: Record<string, string>, timeoutMs: number): Promise<{ status: number }>;
}

/** Which stored report: a campaign's, or the base's. */
export type ReportOf = { campaignId: string } | 'base';

/** Conversion counting as events arrive, and the evaluation's reports (shared/db/evaluation-repo.ts). */
export interface EvaluationStore {
  /** AP46 notes a campaign that started (the first start is kept). */
  markStarted(tenantId: string, entry: EvaluatedCampaign): Promise<void>;
  /** AP46 every campaign that started and is not final. */
  started(tenantId: string): Promise<EvaluatedCampaign[]>;
  /** Takes a campaign out of the index: its report is final. */
  markFinal(tenantId: string, campaignId: string): Promise<void>;
  /** AP23 these assignments' send records with their conversion state (missing ones are left out). */
  assignments(tenantId: string, refs: { campaignId: string; key: string }[]): Promise<Assignment[]>;
  /** AP45 the contact's fired firings (each became a send record keyed contact-firing). */
  firedFirings(tenantId: string, contactId: string): Promise<{ campaignId: string; firingId: string; firedAt: string }[]>;
  /**
   * Writes a conversion on its assignment: the token counted, the new state, and `pending` (what
   * the counters still have to get), if the record's conversion version is still the one read.
   */
  recordConversion(
    tenantId: string,
    assignment: Assignment,
    pending: PendingConversion,
    next: { revenue: number; convertedAt?: string | undefined; crossSold: boolean; recommendedBought: boolean },
  ): Promise<boolean>;
  /** Removes `pending` once the counters hold it (only if it is still the one for `token`). */
  clearPending(tenantId: string, campaignId: string, key: string, token: string): Promise<void>;
  /** AP47 adds `delta` to the group's counters unless `token` (any string; stored hashed) was counted lately: 'duplicate' then. */
  addConversion(
    tenantId: string,
    campaignId: string,
    group: string,
    token: string,
    delta: ConversionDelta,
    now: Date,
  ): Promise<'applied' | 'duplicate'>;
  /** AP47 a campaign's conversion counters, summed over shards, by group key. */
  conversionTotals(tenantId: string, campaignId: string): Promise<Record<string, ConversionDelta>>;
  /** AP48 the latest report of a campaign, or of the base. */
  saveReport(tenantId: string, of: ReportOf, report: unknown): Promise<void>;
  report(tenantId: string, of: ReportOf): Promise<unknown>;
  /** AP49 */
  saveRun(tenantId: string, run: EvaluationRun): Promise<void>;
  run(tenantId: string, runId: string): Promise<EvaluationRun | undefined>;
}

export interface Deps {
  contacts: ContactStore;
  lists: ListStore;
  imports: ImportStore;
  events: EventStore;
  settings: SettingsStore;
  segments: SegmentStore;
  templates: TemplateStore;
  campaigns: CampaignStore;
  sends: SendStore;
  triggers: TriggerStore;
  pacer: PacerPort;
  suppressions: SuppressionStore;
  tokens: TokenPort;
  queue: QueuePort;
  email: EmailPort;
  sms: SmsPort;
  webhooks: WebhookStore;
  webhookClient: WebhookClient;
  evaluation: EvaluationStore;
  now: () => Date;
  newId: () => string;
  /** Waits (the senders' pacing); tests pass one that advances a simulated clock. */
  sleep: (ms: number) => Promise<void>;
}

/** The authenticated caller's workspace; every use case is scoped by it. */
export interface Caller {
  tenantId: string;
}
