/**
 * In-memory fakes of the ports (shared/runtime/ports.ts), for use-case tests only. Each one
 * reproduces the conditions of its DynamoDB repository in shared/db (conditional puts, version
 * checks, "page full ⇒ cursor", sort-key order) and nothing more; integration tests in
 * test/integration run the real repositories against the emulator.
 *
 * Reads and writes copy (structuredClone), as a round trip through DynamoDB does, so a use case
 * can never change stored state by mutating what it read; reads parse with the same zod schemas
 * the repositories use.
 */
import { ContactFields, Contact, consentSlot, identityKey, type ConsentEvent, type IdentityKind } from '../../shared/domain/contact.ts';
import { ConcurrentChange, Conflict, NotFound, ValidationFailed } from '../../shared/domain/errors.ts';
import { StoredEvent } from '../../shared/domain/event.ts';
import { BatchCounts, ImportJob, RowError } from '../../shared/domain/import.ts';
import { TargetList } from '../../shared/domain/list.ts';
import { Segment, SegmentCount, SegmentCountPart } from '../../shared/domain/segment.ts';
import type { OutgoingEmail, OutgoingText } from '../../shared/domain/message.ts';
import { SendingSettings } from '../../shared/domain/sending.ts';
import { Template } from '../../shared/domain/template.ts';
import { signToken, verifyToken } from '../../shared/domain/tracking.ts';
import { Suppression } from '../../shared/domain/suppression.ts';
import { Campaign, isRecordCounter, keyOf, SendRecord, shardOf } from '../../shared/domain/campaign.ts';
import { dueShardOf, Firing } from '../../shared/domain/trigger.ts';
import type { RuleSet } from '../../shared/domain/basket-rules.ts';
import { WebhookDeadLetter, WebhookSubscription } from '../../shared/domain/webhook.ts';
import { Aggregates, Boundaries, DEFAULT_VALUE_SETTINGS, ValueSettings } from '../../shared/domain/value.ts';
import type { QueueMessage, QueueName } from '../../shared/api/messages.ts';
import { contactRange } from '../../shared/db/keys.ts';
import type {
  ContactStore,
  Deps,
  EventStore,
  ImportStore,
  ListStore,
  Page,
  SegmentStore,
  TemplateStore,
  SettingsStore,
  StoredKey,
  CampaignStore,
  SendStore,
  EvaluationStore,
  TriggerStore,
  DueWork,
  PacerPort,
  WebhookStore,
} from '../../shared/runtime/ports.ts';

import {
  type ConversionDelta,
  EvaluatedCampaign,
  EvaluationRun,
  type PendingConversion,
  ZERO_DELTA,
} from '../../shared/domain/evaluation.ts';
const copy = <T>(value: T): T => structuredClone(value);
const byKey = <T>([a]: [string, T], [b]: [string, T]) => (a < b ? -1 : a > b ? 1 : 0);

/** Nested maps: tenant → id → value, created on first use. */
class Scoped<T> {
  private readonly tenants = new Map<string, Map<string, T>>();
  of(tenantId: string): Map<string, T> {
    const map = this.tenants.get(tenantId) ?? new Map<string, T>();
    this.tenants.set(tenantId, map);
    return map;
  }
  /** The value at `id`, made and stored first if absent. */
  ensure(tenantId: string, id: string, make: () => T): T {
    const value = this.get(tenantId, id) ?? make();
    this.of(tenantId).set(id, value);
    return value;
  }
  get(tenantId: string, id: string): T | undefined {
    return this.tenants.get(tenantId)?.get(id);
  }
  tenantIds(): string[] {
    return [...this.tenants.keys()];
  }
  /** Entries in sort-key order, as a Query returns them. */
  sorted(tenantId: string): [string, T][] {
    return [...this.of(tenantId)].sort(byKey);
  }
}

/** Opaque cursors, rejected (400 `query.cursor`) when they come from another listing, as decodeCursor does. */
const encode = (scope: string, after: string) => Buffer.from(JSON.stringify({ scope, after })).toString('base64url');
function decode(scope: string, cursor: string | undefined): string | undefined {
  if (cursor === undefined) return undefined;
  let parsed: { scope?: unknown; after?: unknown } | undefined;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    parsed = undefined;
  }
  if (parsed?.scope !== scope || typeof parsed.after !== 'string')
    throw new ValidationFailed([{ field: 'query.cursor', message: 'is not a cursor from this listing' }]);
  return parsed.after;
}

/** One page of sorted entries. Like DynamoDB with Limit, a full page carries a cursor even when nothing follows. */
function pageOf<T, R>(
  scope: string,
  sorted: [string, T][],
  limit: number,
  cursor: string | undefined,
  map: (value: T, key: string) => R,
): Page<R> {
  const after = decode(scope, cursor);
  const items = (after === undefined ? sorted : sorted.filter(([k]) => k > after)).slice(0, limit);
  const last = items[items.length - 1];
  return { items: items.map(([k, v]) => map(v, k)), cursor: items.length === limit && last ? encode(scope, last[0]) : undefined };
}

/** Everything the fakes hold: one "table" shared by the stores, as the real ones share one. */
export interface FakeWorld {
  /** Raw contact items: the profile fields plus `value` (aggregates) and `lists` (a Set), as stored. */
  contacts: Scoped<Record<string, unknown>>;
  identities: Scoped<string>;
  /** contactId → `at#channel` → event (the real sort key, so a same-key append overwrites). */
  consent: Scoped<Map<string, ConsentEvent>>;
  /** contactId → eventId → event. */
  events: Scoped<Map<string, StoredEvent>>;
  lists: Scoped<TargetList>;
  /** listId → contactId → addedAt. The membership items live in the contacts' partitions. */
  members: Scoped<Map<string, string>>;
  imports: Scoped<{ job: ImportJob; batches: Map<number, BatchCounts>; errors: Map<string, RowError> }>;
  segments: Scoped<Segment>;
  templates: Scoped<Template>;
  counts: Scoped<SegmentCount>;
  /** countId → part → part item (in the job's partition; written even if the job item is gone). */
  countParts: Scoped<Map<number, SegmentCountPart>>;
  settings: Scoped<{
    settings?: ValueSettings;
    boundaries?: Boundaries;
    sending?: SendingSettings;
    rules?: RuleSet;
    productRules?: RuleSet;
  }>;
  tenants: Set<string>;
  campaigns: Scoped<Campaign>;
  /** campaignId → counter name → value (and `resolvedParts`, a Set). */
  campaignCounts: Scoped<Record<string, unknown>>;
  /** `campaignId.contactId` (the send id) → record. */
  sends: Scoped<SendRecord>;
  /** contactId → `s_<send key>` → claimed at (epoch ms), and `v`, the log's version. */
  sendLogs: Scoped<Record<string, number>>;
  scheduled: Map<string, { tenantId: string; campaignId: string; at: string }>;
  active: Map<string, { tenantId: string; campaignId: string; progress?: { mark: string; since: string } }>;
  /** SMS short link code → whose message it is. */
  shortLinks: Map<string, { tenantId: string; campaignId: string; contactId: string }>;
  /** SMS origination identity → the workspace that sends from it. */
  smsOrigins: Map<string, string>;
  /** `channel#address` → suppression. */
  suppressions: Scoped<Suppression>;
  /** bucket → { sec, n }: the pacer's current window. */
  pacer: Map<string, { sec: number; n: number }>;
  /** campaignId → the active triggered campaign (absent: a tombstone), with the campaign's version. */
  activeTriggers: Scoped<{ v: number; campaign?: Campaign }>;
  /** `contactId#campaignId#firingId` → firing. */
  firings: Scoped<Firing>;
  /** campaignId → the evaluation index entry. */
  evaluated: Scoped<EvaluatedCampaign>;
  /** `campaignId#group` → the group's conversion counters and the two days' token sets. */
  conversions: Scoped<{ totals: ConversionDelta; tokens: [Set<string>, Set<string>]; days: [number, number] }>;
  /** `campaign:<id>`, `base` or `run:<id>` → the stored value. */
  reports: Scoped<unknown>;
  /** `contactId#campaignId` → the cooldown state. */
  triggerStates: Scoped<{ lastAt: number; firingId: string }>;
  /** `contactId#campaignId` → in the segment trigger's segment when last checked. */
  segmentStates: Scoped<{ inSegment: boolean; segmentId: string; entryKey?: string }>;
  /** `dueAt#tenant#id` (the sort key) → due work. */
  due: Map<string, { dueAt: string; id: string; work: DueWork }>;
  /** webhookId → subscription. */
  webhooks: Scoped<WebhookSubscription>;
  /** `webhookId#eventId` → dead letter (the real sort key order within a subscription). */
  webhookDeadLetters: Scoped<WebhookDeadLetter>;
}

const PROFILE_OPTIONAL_FIELDS = ContactFields.keyof().options;

function contactStore(w: FakeWorld): ContactStore {
  const listIdsOf = (tenantId: string, contactId: string) => {
    return [...w.members.of(tenantId)]
      .filter(([, m]) => m.has(contactId))
      .map(([listId]) => listId)
      .sort();
  };
  return {
    async get(tenantId, contactId) {
      const item = w.contacts.get(tenantId, contactId);
      return item ? Contact.parse(copy(item)) : undefined;
    },
    async getWithAggregates(tenantId, contactId) {
      const item = w.contacts.get(tenantId, contactId);
      if (!item) return undefined;
      return { contact: Contact.parse(copy(item)), ...(item.value === undefined ? {} : { aggregates: copy(item.value) }) };
    },
    async getMany(tenantId, contactIds) {
      const found = new Map<string, Contact>();
      for (const id of new Set(contactIds)) {
        const item = w.contacts.get(tenantId, id);
        if (item) found.set(id, Contact.parse(copy(item)));
      }
      return found;
    },
    async setSuppressed(tenantId, contactId, channel, suppressed) {
      const item = w.contacts.get(tenantId, contactId);
      if (item) item.suppressed = { ...((item.suppressed as Record<string, boolean> | undefined) ?? {}), [channel]: suppressed };
    },
    async getManyItems(tenantId, contactIds) {
      const found = new Map<string, Record<string, unknown>>();
      for (const id of new Set(contactIds)) {
        const item = w.contacts.get(tenantId, id);
        if (item) found.set(id, copy(item));
      }
      return found;
    },
    async findManyByIdentity(tenantId, identities) {
      const found = new Map<string, string>();
      for (const identity of identities) {
        const owner = w.identities.get(tenantId, identityKey(identity));
        if (owner !== undefined) found.set(identityKey(identity), owner);
      }
      return found;
    },
    /** `attribute_not_exists(pk) OR contactId = :id`, else Conflict. */
    async claimIdentity(tenantId, identity, contactId) {
      const owner = w.identities.get(tenantId, identityKey(identity));
      if (owner !== undefined && owner !== contactId)
        throw new Conflict(`${identity.kind} ${identity.value} belongs to another contact`, { field: identity.kind });
      w.identities.of(tenantId).set(identityKey(identity), contactId);
    },
    /** `contactId = :id`, else nothing. */
    async releaseIdentity(tenantId, identity, contactId) {
      if (w.identities.get(tenantId, identityKey(identity)) === contactId) w.identities.of(tenantId).delete(identityKey(identity));
    },
    /** Version 0: `attribute_not_exists(pk)`; otherwise `version = :v` and an update that keeps `value` and `lists`. */
    async save(tenantId, contact, readVersion) {
      const current = w.contacts.get(tenantId, contact.contactId);
      const conflict = () => new ConcurrentChange(`contact ${contact.contactId} was changed by someone else; retry`);
      if (readVersion === 0) {
        if (current) throw conflict();
        w.contacts.of(tenantId).set(contact.contactId, { entity: 'contact', tenantId, ...copy(contact) });
        return;
      }
      if (!current || current.version !== readVersion) throw conflict();
      const next: Record<string, unknown> = { ...current };
      for (const field of PROFILE_OPTIONAL_FIELDS) if (contact[field] === undefined) delete next[field];
      w.contacts.of(tenantId).set(contact.contactId, { ...next, ...copy(contact) });
    },
    /** `attribute_exists(pk) AND (attribute_not_exists(value) OR value.eventCount < :n)`. */
    async saveAggregates(tenantId, contactId, aggregates) {
      const current = w.contacts.get(tenantId, contactId);
      if (!current) return false;
      const stored = (current.value as { eventCount?: unknown } | undefined)?.eventCount;
      if (current.value !== undefined && !(typeof stored === 'number' && stored < aggregates.eventCount)) return false;
      current.value = copy(aggregates);
      return true;
    },
    /** The contacts index (sorted by contact id) cut by contactRange; raw items, `lists` as a Set. */
    async scanRange(tenantId, part, parts, limit, cursor) {
      const { low, high } = contactRange(part, parts);
      const inRange = w.contacts.sorted(tenantId).filter(([id]) => (low === undefined || id >= low) && (high === undefined || id <= high));
      return pageOf(`contacts:${tenantId}`, inRange, limit, cursor, (item) => copy(item));
    },
    async appendConsentEvents(tenantId, events) {
      for (const { contactId, event } of events) {
        w.consent.ensure(tenantId, contactId, () => new Map()).set(`${event.at}#${consentSlot(event)}`, copy(event));
      }
    },
    async list(tenantId, limit, cursor) {
      return pageOf(`contacts:${tenantId}`, w.contacts.sorted(tenantId), limit, cursor, (item) => Contact.parse(copy(item)));
    },
    async searchIdentities(tenantId, kind: IdentityKind, prefix, limit, cursor) {
      const matching = w.identities
        .sorted(tenantId)
        .filter(([key]) => key.startsWith(`${kind}:${prefix}`))
        .map(([key, id]): [string, string] => [key.slice(kind.length + 1), id]);
      return pageOf(`identities:${tenantId}:${kind}:${prefix}`, matching, limit, cursor, (id) => id);
    },
    async contents(tenantId, contactId) {
      const profile = w.contacts.get(tenantId, contactId);
      const consent = [...(w.consent.get(tenantId, contactId) ?? [])].sort(byKey);
      const listIds = listIdsOf(tenantId, contactId);
      const eventIds = [...(w.events.get(tenantId, contactId)?.keys() ?? [])].sort();
      const firings = w.firings.sorted(tenantId).filter(([, f]) => f.contactId === contactId);
      const pk = JSON.stringify([tenantId, contactId]);
      const itemKeys: StoredKey[] = [
        ...consent.map(([sk]) => ({ pk, sk: `consent:${sk}` })),
        ...eventIds.map((id) => ({ pk, sk: `event:${id}` })),
        ...listIds.map((id) => ({ pk, sk: `list:${id}` })),
        ...firings.map(([id]) => ({ pk, sk: `firing:${id}` })),
        ...(profile ? [{ pk, sk: 'profile' }] : []),
      ];
      return {
        profile: profile ? Contact.parse(copy(profile)) : undefined,
        consentHistory: consent.map(([, e]) => copy(e)),
        listIds,
        events: eventIds.map((id) => StoredEvent.parse(copy(w.events.get(tenantId, contactId)?.get(id)))),
        ...(profile?.value === undefined ? {} : { aggregates: Aggregates.parse(copy(profile.value)) }),
        firings: firings.map(([, f]) => Firing.parse(copy(f))),
        itemKeys,
      };
    },
    async deleteKeys(itemKeys) {
      for (const { pk, sk } of itemKeys) {
        const [tenantId, contactId] = JSON.parse(pk) as [string, string];
        const [kind, ...rest] = sk.split(':');
        const id = rest.join(':');
        if (kind === 'profile') w.contacts.of(tenantId).delete(contactId);
        if (kind === 'consent') w.consent.get(tenantId, contactId)?.delete(id);
        if (kind === 'event') w.events.get(tenantId, contactId)?.delete(id);
        if (kind === 'list') w.members.get(tenantId, id)?.delete(contactId);
        if (kind === 'firing') w.firings.of(tenantId).delete(id);
      }
    },
  };
}

function listStore(w: FakeWorld): ListStore {
  /** `ADD memberCount :d` on condition the list exists. */
  const adjustCount = (tenantId: string, listId: string, delta: number) => {
    const list = w.lists.get(tenantId, listId);
    if (list && delta !== 0) list.memberCount += delta;
  };
  /** `ADD|DELETE lists :ids` on the contact item if it exists; an emptied set disappears. */
  const markContact = (tenantId: string, contactId: string, listId: string, action: 'ADD' | 'DELETE') => {
    const item = w.contacts.get(tenantId, contactId);
    if (!item) return;
    const lists = new Set(item.lists instanceof Set ? (item.lists as Set<string>) : []);
    if (action === 'ADD') lists.add(listId);
    else lists.delete(listId);
    if (lists.size > 0) item.lists = lists;
    else delete item.lists;
  };
  const membersOf = (tenantId: string, listId: string) => w.members.ensure(tenantId, listId, () => new Map());
  return {
    async create(tenantId, list) {
      if (w.lists.get(tenantId, list.listId)) throw new Conflict(`list ${list.listId} already exists`);
      w.lists.of(tenantId).set(list.listId, copy(list));
    },
    async get(tenantId, listId) {
      const list = w.lists.get(tenantId, listId);
      return list ? TargetList.parse(copy(list)) : undefined;
    },
    async list(tenantId, limit, cursor) {
      return pageOf(`lists:${tenantId}`, w.lists.sorted(tenantId), limit, cursor, (l) => TargetList.parse(copy(l)));
    },
    async update(tenantId, listId, change, now) {
      const list = w.lists.get(tenantId, listId);
      if (!list) throw new NotFound(`list ${listId}`);
      if (change.name !== undefined) list.name = change.name;
      if (change.description !== undefined) list.description = change.description;
      list.updatedAt = now;
      return TargetList.parse(copy(list));
    },
    /** Memberships stay until the list-cleanup worker purges them. */
    async delete(tenantId, listId) {
      if (!w.lists.of(tenantId).delete(listId)) throw new NotFound(`list ${listId}`);
    },
    async addMembers(tenantId, listId, contactIds, now) {
      const members = membersOf(tenantId, listId);
      let added = 0;
      for (const contactId of contactIds) {
        if (!members.has(contactId)) {
          members.set(contactId, now);
          added++;
        }
        markContact(tenantId, contactId, listId, 'ADD');
      }
      adjustCount(tenantId, listId, added);
      return added;
    },
    async removeMembers(tenantId, listId, contactIds) {
      const members = membersOf(tenantId, listId);
      let removed = 0;
      for (const contactId of contactIds) {
        if (members.delete(contactId)) removed++;
        markContact(tenantId, contactId, listId, 'DELETE');
      }
      adjustCount(tenantId, listId, -removed);
      return removed;
    },
    async members(tenantId, listId, limit, cursor) {
      const sorted = [...membersOf(tenantId, listId)].sort(byKey);
      return pageOf(`members:${tenantId}:${listId}`, sorted, limit, cursor, (_, contactId) => contactId);
    },
    /** True when the page was full (DynamoDB returns LastEvaluatedKey then, even if nothing follows). */
    async purgeMembershipPage(tenantId, listId, pageSize) {
      const members = membersOf(tenantId, listId);
      const page = [...members.keys()].sort().slice(0, pageSize);
      for (const contactId of page) {
        markContact(tenantId, contactId, listId, 'DELETE');
        members.delete(contactId);
      }
      return page.length === pageSize;
    },
    async forgetMember(tenantId, listIds) {
      for (const listId of listIds) adjustCount(tenantId, listId, -1);
    },
  };
}

function importStore(w: FakeWorld): ImportStore {
  const openKey = (tenantId: string, job: ImportJob) => `${job.updatedAt}#${tenantId}#${job.jobId}`;
  return {
    async create(tenantId, job) {
      if (w.imports.get(tenantId, job.jobId)) throw new Conflict(`import ${job.jobId} already exists`);
      w.imports.of(tenantId).set(job.jobId, { job: copy(job), batches: new Map(), errors: new Map() });
    },
    async get(tenantId, jobId) {
      const entry = w.imports.get(tenantId, jobId);
      return entry ? ImportJob.parse(copy(entry.job)) : undefined;
    },
    /** The first call records the batch (and its errors); a repeat returns the first call's counts. */
    async recordBatch(tenantId, jobId, firstRow, counts, errors) {
      const entry = w.imports.get(tenantId, jobId);
      const previous = entry?.batches.get(firstRow);
      if (previous) return BatchCounts.parse(copy(previous));
      if (!entry) throw new Error(`fake: import ${jobId} has no partition`);
      entry.batches.set(firstRow, copy(counts));
      for (const e of errors) entry.errors.set(`${String(e.row).padStart(10, '0')}#${e.field}`, copy(e));
      return undefined;
    },
    /** Conditional on `status = receiving`, else Conflict. Returns the job as the first update left it (before bytes move). */
    async addProgress(tenantId, jobId, counts, now, bytesRead) {
      const entry = w.imports.get(tenantId, jobId);
      if (entry?.job.status !== 'receiving') throw new Conflict(`import ${jobId} is no longer receiving rows`);
      const job = entry.job;
      job.updatedAt = now;
      job.rowsReceived += counts.rowsReceived;
      job.imported += counts.imported;
      job.updated += counts.updated;
      job.unchanged += counts.unchanged;
      job.failed += counts.failed;
      const returned = ImportJob.parse(copy(job));
      if (bytesRead !== undefined && (job.bytesReceived === undefined || job.bytesReceived < bytesRead)) job.bytesReceived = bytesRead;
      return returned;
    },
    async finish(tenantId, jobId, status, now, staleBefore) {
      const entry = w.imports.get(tenantId, jobId);
      if (entry?.job.status !== 'receiving' || (staleBefore !== undefined && !(entry.job.updatedAt < staleBefore))) return undefined;
      Object.assign(entry.job, { status, completedAt: now, updatedAt: now });
      return ImportJob.parse(copy(entry.job));
    },
    async errors(tenantId, jobId, limit, cursor) {
      const sorted = [...(w.imports.get(tenantId, jobId)?.errors ?? [])].sort(byKey);
      return pageOf(`errors:${tenantId}:${jobId}`, sorted, limit, cursor, (e) => RowError.parse(copy(e)));
    },
    /** The sparse open-jobs index: `updatedAt#tenant#job` below `before`, oldest first. */
    async staleOpenJobs(before, limit) {
      const open: [string, { tenantId: string; jobId: string }][] = [];
      for (const tenantId of w.imports.tenantIds()) {
        for (const { job } of w.imports.of(tenantId).values()) {
          if (job.status === 'receiving' && openKey(tenantId, job) < before)
            open.push([openKey(tenantId, job), { tenantId, jobId: job.jobId }]);
        }
      }
      return open
        .sort(byKey)
        .slice(0, limit)
        .map(([, v]) => v);
    },
  };
}

function eventStore(w: FakeWorld): EventStore {
  return {
    /** `attribute_not_exists(pk)` on (contact, eventId): a repeat is a 'duplicate'. */
    async put(tenantId, contactId, event) {
      const stored = w.events.ensure(tenantId, contactId, () => new Map());
      if (stored.has(event.eventId)) return 'duplicate';
      stored.set(event.eventId, copy(event));
      return 'accepted';
    },
    async forContact(tenantId, contactId) {
      return [...(w.events.get(tenantId, contactId) ?? [])].sort(byKey).map(([, e]) => StoredEvent.parse(copy(e)));
    },
  };
}

function settingsStore(w: FakeWorld): SettingsStore {
  const entry = (tenantId: string) => w.settings.ensure(tenantId, 'model', () => ({}));
  return {
    async valueModel(tenantId) {
      const { settings, boundaries } = entry(tenantId);
      return {
        settings: settings ? ValueSettings.parse(copy(settings)) : DEFAULT_VALUE_SETTINGS,
        ...(boundaries ? { boundaries: Boundaries.parse(copy(boundaries)) } : {}),
      };
    },
    async saveValueSettings(tenantId, settings) {
      entry(tenantId).settings = copy(settings);
    },
    async saveBoundaries(tenantId, boundaries) {
      entry(tenantId).boundaries = copy(boundaries);
    },
    async rules(tenantId, level = 'category') {
      const r = level === 'category' ? entry(tenantId).rules : entry(tenantId).productRules;
      return r ? copy(r) : undefined;
    },
    async saveRules(tenantId, rules, level = 'category') {
      if (level === 'category') entry(tenantId).rules = copy(rules);
      else entry(tenantId).productRules = copy(rules);
    },
    async sending(tenantId) {
      return SendingSettings.parse(copy(entry(tenantId).sending ?? {}));
    },
    async claimSmsOrigin(tenantId, identity) {
      const owner = w.smsOrigins.get(identity);
      if (owner !== undefined && owner !== tenantId) return false;
      w.smsOrigins.set(identity, tenantId);
      return true;
    },
    async smsOriginOwner(identity) {
      return w.smsOrigins.get(identity);
    },
    async saveSending(tenantId, settings) {
      entry(tenantId).sending = copy(settings);
    },
    async registerTenant(tenantId) {
      w.tenants.add(tenantId);
    },
    async tenants() {
      return [...w.tenants].sort();
    },
  };
}

function templateStore(w: FakeWorld): TemplateStore {
  return {
    async create(tenantId, template) {
      if (w.templates.get(tenantId, template.templateId)) throw new Conflict(`template ${template.templateId} already exists`);
      w.templates.of(tenantId).set(template.templateId, copy(template));
    },
    async get(tenantId, templateId) {
      const template = w.templates.get(tenantId, templateId);
      return template ? Template.parse(copy(template)) : undefined;
    },
    async list(tenantId, limit, cursor) {
      return pageOf(`templates:${tenantId}`, w.templates.sorted(tenantId), limit, cursor, (t) => Template.parse(copy(t)));
    },
    /** `version = :read` (so also: it still exists), else Conflict. */
    async replace(tenantId, template, readVersion) {
      if (w.templates.get(tenantId, template.templateId)?.version !== readVersion) {
        throw new Conflict(`template ${template.templateId} was changed or deleted meanwhile; retry`);
      }
      w.templates.of(tenantId).set(template.templateId, copy(template));
    },
    async delete(tenantId, templateId) {
      if (!w.templates.of(tenantId).delete(templateId)) throw new NotFound(`template ${templateId}`);
    },
  };
}

function segmentStore(w: FakeWorld): SegmentStore {
  return {
    async create(tenantId, segment) {
      if (w.segments.get(tenantId, segment.segmentId)) throw new Conflict(`segment ${segment.segmentId} already exists`);
      w.segments.of(tenantId).set(segment.segmentId, copy(segment));
    },
    async get(tenantId, segmentId) {
      const segment = w.segments.get(tenantId, segmentId);
      return segment ? Segment.parse(copy(segment)) : undefined;
    },
    async list(tenantId, limit, cursor) {
      return pageOf(`segments:${tenantId}`, w.segments.sorted(tenantId), limit, cursor, (sg) => Segment.parse(copy(sg)));
    },
    /** `updatedAt = :read` (so also: it still exists), else Conflict. */
    async replace(tenantId, segment, readUpdatedAt) {
      if (w.segments.get(tenantId, segment.segmentId)?.updatedAt !== readUpdatedAt) {
        throw new Conflict(`segment ${segment.segmentId} was changed or deleted meanwhile; retry`);
      }
      w.segments.of(tenantId).set(segment.segmentId, copy(segment));
    },
    async delete(tenantId, segmentId) {
      if (!w.segments.of(tenantId).delete(segmentId)) throw new NotFound(`segment ${segmentId}`);
    },
    /** An unconditional put of the job item; part items in its partition are left as they are. */
    async createCount(tenantId, job) {
      w.counts.of(tenantId).set(job.countId, copy(job));
    },
    async getCount(tenantId, countId) {
      const job = w.counts.get(tenantId, countId);
      if (!job) return undefined;
      const parts = [...(w.countParts.get(tenantId, countId) ?? [])]
        .sort(([a], [b]) => a - b)
        .map(([, p]) => SegmentCountPart.parse(copy(p)));
      return { job: SegmentCount.parse(copy(job)), parts };
    },
    /** Step 1: `attribute_not_exists(pk)`; later steps: `step = next.step - 1`. False when the condition fails. */
    async advancePart(tenantId, countId, next) {
      const parts = w.countParts.get(tenantId, countId) ?? new Map<number, SegmentCountPart>();
      const current = parts.get(next.part);
      if (!(next.step === 1 ? current === undefined : current?.step === next.step - 1)) return false;
      parts.set(next.part, copy(next));
      w.countParts.of(tenantId).set(countId, parts);
      return true;
    },
  };
}

function campaignStore(w: FakeWorld): CampaignStore {
  const counts = (tenantId: string, campaignId: string) => w.campaignCounts.ensure(tenantId, campaignId, () => ({}));
  return {
    async create(tenantId, campaign) {
      if (w.campaigns.get(tenantId, campaign.campaignId)) throw new Conflict(`campaign ${campaign.campaignId} already exists`);
      w.campaigns.of(tenantId).set(campaign.campaignId, copy(campaign));
    },
    async get(tenantId, campaignId) {
      const c = w.campaigns.get(tenantId, campaignId);
      return c ? Campaign.parse(copy(c)) : undefined;
    },
    async list(tenantId, limit, cursor) {
      return pageOf(`campaigns:${tenantId}`, w.campaigns.sorted(tenantId), limit, cursor, (c) => Campaign.parse(copy(c)));
    },
    async replace(tenantId, campaign, readVersion) {
      if (w.campaigns.get(tenantId, campaign.campaignId)?.version !== readVersion) {
        throw new ConcurrentChange(`campaign ${campaign.campaignId} was changed meanwhile; read it again and retry`);
      }
      w.campaigns.of(tenantId).set(campaign.campaignId, copy(campaign));
    },
    async delete(tenantId, campaignId) {
      if (!w.campaigns.of(tenantId).delete(campaignId)) throw new NotFound(`campaign ${campaignId}`);
      w.campaignCounts.of(tenantId).delete(campaignId);
    },
    async counts(tenantId, campaignId) {
      return copy(w.campaignCounts.get(tenantId, campaignId) ?? {});
    },
    async addCounts(tenantId, campaignId, delta, resolvedPart) {
      const c = counts(tenantId, campaignId);
      for (const [name, n] of Object.entries(delta)) c[name] = ((c[name] as number | undefined) ?? 0) + n;
      if (resolvedPart !== undefined) {
        const parts = (c.resolvedParts as Set<number> | undefined) ?? new Set<number>();
        parts.add(resolvedPart);
        c.resolvedParts = parts;
      }
      return copy(c);
    },
    async setCounts(tenantId, campaignId, values) {
      const c = counts(tenantId, campaignId);
      for (const k of Object.keys(c)) if (isRecordCounter(k) && !(k in values)) c[k] = 0;
      Object.assign(c, copy(values));
    },
    async markScheduled(tenantId, campaignId, at) {
      w.scheduled.set(`${at}#${tenantId}#${campaignId}`, { tenantId, campaignId, at });
    },
    async unmarkScheduled(tenantId, campaignId, at) {
      w.scheduled.delete(`${at}#${tenantId}#${campaignId}`);
    },
    async dueScheduled(before, limit) {
      return [...w.scheduled]
        .sort(byKey)
        .filter(([k]) => k <= `${before}#~`)
        .slice(0, limit)
        .map(([, v]) => copy(v));
    },
    async markActive(tenantId, campaignId, progress) {
      w.active.set(`${tenantId}#${campaignId}`, { tenantId, campaignId, ...(progress ? { progress } : {}) });
    },
    async unmarkActive(tenantId, campaignId) {
      w.active.delete(`${tenantId}#${campaignId}`);
    },
    async active() {
      return [...w.active.values()].map(copy);
    },
  };
}

/** Like evaluation-repo.ts: conversion state on the send records, counters deduplicated by token over two days. */
function evaluationStore(w: FakeWorld): EvaluationStore {
  type Stored = SendRecord & {
    cv?: Set<string>;
    cvN?: number;
    cvRevenue?: number;
    cvAt?: string;
    cvCross?: boolean;
    cvRec?: boolean;
    cvPending?: PendingConversion;
  };
  const record = (tenantId: string, campaignId: string, key: string) => w.sends.get(tenantId, `${campaignId}.${key}`) as Stored | undefined;
  return {
    async markStarted(tenantId, entry) {
      if (!w.evaluated.get(tenantId, entry.campaignId)) w.evaluated.of(tenantId).set(entry.campaignId, copy(entry));
    },
    async started(tenantId) {
      return w.evaluated.sorted(tenantId).map(([, e]) => EvaluatedCampaign.parse(copy(e)));
    },
    async markFinal(tenantId, campaignId) {
      w.evaluated.of(tenantId).delete(campaignId);
    },
    async assignments(tenantId, refs) {
      return refs.flatMap(({ campaignId, key }) => {
        const r = record(tenantId, campaignId, key);
        if (!r) return [];
        const recs = (r.data as { recommendations?: { item?: unknown }[] } | undefined)?.recommendations ?? [];
        return [
          {
            campaignId,
            key,
            status: r.status,
            variant: r.variant,
            createdAt: r.createdAt,
            state: {
              counted: new Set(r.cv ?? []),
              version: r.cvN ?? 0,
              revenue: r.cvRevenue ?? 0,
              converted: r.cvAt !== undefined,
              crossSold: r.cvCross === true,
              recommendedBought: r.cvRec === true,
              recommendations: recs.flatMap((x) => (typeof x?.item === 'string' ? [x.item] : [])),
            },
            pending: r.cvPending ? copy(r.cvPending) : undefined,
          },
        ];
      });
    },
    async firedFirings(tenantId, contactId) {
      return w.firings
        .sorted(tenantId)
        .filter(([, f]) => f.contactId === contactId && f.status === 'fired')
        .map(([, f]) => ({ campaignId: f.campaignId, firingId: f.firingId, firedAt: f.updatedAt }));
    },
    async recordConversion(tenantId, a, pending, next) {
      const r = record(tenantId, a.campaignId, a.key);
      if (!r || (r.cvN ?? 0) !== a.state.version) return false;
      r.cvN = a.state.version + 1;
      r.cvRevenue = next.revenue;
      r.cvPending = copy(pending);
      r.cv = new Set([...(r.cv ?? []), pending.token]);
      if (next.convertedAt) r.cvAt ??= next.convertedAt;
      if (next.crossSold) r.cvCross = true;
      if (next.recommendedBought) r.cvRec = true;
      return true;
    },
    async clearPending(tenantId, campaignId, key, token) {
      const r = record(tenantId, campaignId, key);
      if (r?.cvPending?.token === token) delete r.cvPending;
    },
    async addConversion(tenantId, campaignId, group, token, delta, now) {
      const c = w.conversions.ensure(tenantId, `${campaignId}#${group}`, () => ({
        totals: { ...ZERO_DELTA },
        tokens: [new Set<string>(), new Set<string>()],
        days: [-1, -1],
      }));
      if (c.tokens[0].has(token) || c.tokens[1].has(token)) return 'duplicate';
      const day = Math.floor(now.getTime() / 86_400_000);
      const slot = day % 2;
      if (c.days[slot] !== day) {
        c.tokens[slot] = new Set();
        c.days[slot] = day;
      }
      (c.tokens[slot] as Set<string>).add(token);
      for (const k of Object.keys(delta) as (keyof ConversionDelta)[]) c.totals[k] += delta[k];
      return 'applied';
    },
    async conversionTotals(tenantId, campaignId) {
      const out: Record<string, ConversionDelta> = {};
      for (const [id, c] of w.conversions.sorted(tenantId)) {
        if (id.startsWith(`${campaignId}#`)) out[id.slice(campaignId.length + 1)] = copy(c.totals);
      }
      return out;
    },
    async saveReport(tenantId, of, report) {
      w.reports.of(tenantId).set(of === 'base' ? 'base' : `campaign:${of.campaignId}`, copy(report));
    },
    async report(tenantId, of) {
      return copy(w.reports.get(tenantId, of === 'base' ? 'base' : `campaign:${of.campaignId}`));
    },
    async saveRun(tenantId, run) {
      w.reports.of(tenantId).set(`run:${run.runId}`, copy(run));
    },
    async run(tenantId, runId) {
      const run = w.reports.get(tenantId, `run:${runId}`);
      return run ? EvaluationRun.parse(copy(run)) : undefined;
    },
  };
}

function sendStore(w: FakeWorld): SendStore {
  const id = (campaignId: string, contactId: string) => `${campaignId}.${contactId}`;
  return {
    async createMany(tenantId, records) {
      const existing = new Map<string, SendRecord>();
      for (const r of records) {
        const stored = w.sends.get(tenantId, id(r.campaignId, keyOf(r)));
        if (stored) existing.set(keyOf(r), SendRecord.parse(copy(stored)));
        else w.sends.of(tenantId).set(id(r.campaignId, keyOf(r)), copy(r));
      }
      return existing;
    },
    async getMany(tenantId, campaignId, contactIds) {
      const out = new Map<string, SendRecord>();
      for (const contactId of contactIds) {
        const r = w.sends.get(tenantId, id(campaignId, contactId));
        if (r) out.set(contactId, SendRecord.parse(copy(r)));
      }
      return out;
    },
    async transition(tenantId, campaignId, contactId, from, change) {
      const r = w.sends.get(tenantId, id(campaignId, contactId));
      if (!r || !from.includes(r.status)) return false;
      const next = { ...r };
      for (const [k, v] of Object.entries(change)) if (v !== undefined) (next as Record<string, unknown>)[k] = v;
      w.sends.of(tenantId).set(id(campaignId, contactId), copy(next));
      return true;
    },
    async page(tenantId, campaignId, shard, options) {
      const all = w.sends
        .sorted(tenantId)
        .filter(([, r]) => r.campaignId === campaignId && shardOf(keyOf(r)) === shard)
        .map(([, r]) => [keyOf(r), r] as [string, SendRecord]);
      // Like a Query with a filter: the limit counts items read, the filter drops some of them.
      const page = pageOf(`sends:${tenantId}:${campaignId}:${shard}`, all, options.limit, options.cursor, (r) => SendRecord.parse(copy(r)));
      const statuses = options.statuses;
      return { items: statuses ? page.items.filter((r) => statuses.includes(r.status)) : page.items, cursor: page.cursor };
    },
    async saveShortLink(code, owner) {
      w.shortLinks.set(code, copy(owner));
    },
    async shortLink(code) {
      const owner = w.shortLinks.get(code);
      return owner ? copy(owner) : undefined;
    },
    async forgetPersonalData(tenantId, campaignId, contactId) {
      const r = w.sends.get(tenantId, id(campaignId, contactId));
      if (r) {
        delete r.links;
        delete r.data;
      }
    },
    async recordEngagement(tenantId, campaignId, contactId, kind, at) {
      const r = w.sends.get(tenantId, id(campaignId, contactId));
      if (!r || (r.status !== 'sent' && r.status !== 'unknown')) return undefined;
      const before = SendRecord.parse(copy(r));
      const next = { ...r };
      if (kind === 'open') Object.assign(next, { openedAt: r.openedAt ?? at, opens: (r.opens ?? 0) + 1 });
      else Object.assign(next, { clickedAt: r.clickedAt ?? at, clicks: (r.clicks ?? 0) + 1 });
      w.sends.of(tenantId).set(id(campaignId, contactId), copy(next));
      return { before, first: kind === 'open' ? r.openedAt === undefined : r.clickedAt === undefined };
    },
    async markFeedback(tenantId, campaignId, contactId, field, at, extra) {
      const r = w.sends.get(tenantId, id(campaignId, contactId));
      if (!r || r[field] !== undefined) return undefined;
      const next = { ...r, [field]: at, ...(extra?.bounceType ? { bounceType: extra.bounceType } : {}) };
      w.sends.of(tenantId).set(id(campaignId, contactId), copy(next));
      return SendRecord.parse(copy(next));
    },
    async sendLogs(tenantId, contactIds) {
      const out = new Map<string, { claims: Record<string, number>; version: number }>();
      for (const c of contactIds) {
        const log = w.sendLogs.get(tenantId, c);
        if (log) {
          const claims = Object.fromEntries(
            Object.entries(log)
              .filter(([k]) => k.startsWith('s_'))
              .map(([k, t]) => [k.slice(2), t]),
          );
          out.set(c, { claims, version: log.v ?? 0 });
        }
      }
      return out;
    },
    /** `attribute_not_exists(claim) AND v = :read`, as the repository. */
    async claim(tenantId, contactId, key, at, expired, readVersion) {
      const log = w.sendLogs.ensure(tenantId, contactId, () => ({}));
      if (log[`s_${key}`] !== undefined || (log.v ?? 0) !== readVersion) return 'busy';
      log[`s_${key}`] = at;
      log.v = readVersion + 1;
      for (const k of expired) delete log[`s_${k}`];
      return 'claimed';
    },
    async release(tenantId, contactId, key, at) {
      const log = w.sendLogs.get(tenantId, contactId);
      if (log && log[`s_${key}`] === at) delete log[`s_${key}`];
    },
  };
}

function triggerStore(w: FakeWorld): TriggerStore {
  const firingKey = (f: { contactId: string; campaignId: string; firingId: string }) => `${f.contactId}#${f.campaignId}#${f.firingId}`;
  return {
    async active(tenantId) {
      return w.activeTriggers.sorted(tenantId).flatMap(([, e]) => (e.campaign ? [Campaign.parse(copy(e.campaign))] : []));
    },
    /** `attribute_not_exists(pk) OR v <= :v`, as the repository. */
    async setActive(tenantId, campaign) {
      const e = w.activeTriggers.get(tenantId, campaign.campaignId);
      if (!e || e.v <= campaign.version)
        w.activeTriggers.of(tenantId).set(campaign.campaignId, { v: campaign.version, campaign: copy(campaign) });
    },
    async setInactive(tenantId, campaignId, version) {
      const e = w.activeTriggers.get(tenantId, campaignId);
      if (!e || e.v <= version) w.activeTriggers.of(tenantId).set(campaignId, { v: version });
    },
    async getFiring(tenantId, contactId, campaignId, firingId) {
      const f = w.firings.get(tenantId, firingKey({ contactId, campaignId, firingId }));
      return f ? Firing.parse(copy(f)) : undefined;
    },
    async createFiring(tenantId, firing) {
      if (w.firings.get(tenantId, firingKey(firing))) return false;
      w.firings.of(tenantId).set(firingKey(firing), copy(firing));
      return true;
    },
    async endFiring(tenantId, firing, change) {
      const f = w.firings.get(tenantId, firingKey(firing));
      if (f?.status !== 'waiting') return false;
      w.firings.of(tenantId).set(firingKey(firing), copy({ ...f, ...change }));
      return true;
    },
    async takeCooldown(tenantId, contactId, campaignId, firingId, at, notBefore) {
      const key = `${contactId}#${campaignId}`;
      const state = w.triggerStates.get(tenantId, key);
      if (state && !(state.lastAt < notBefore) && state.firingId !== firingId) return false;
      w.triggerStates.of(tenantId).set(key, { lastAt: at, firingId });
      return true;
    },
    async segmentState(tenantId, contactId, campaignId) {
      const state = w.segmentStates.get(tenantId, `${contactId}#${campaignId}`);
      return state ? copy(state) : undefined;
    },
    /** As the repository's condition. */
    async enterSegment(tenantId, contactId, campaignId, segmentId, entryKey) {
      const key = `${contactId}#${campaignId}`;
      const s = w.segmentStates.get(tenantId, key);
      if (s?.inSegment && s.segmentId === segmentId && s.entryKey !== entryKey) return false;
      w.segmentStates.of(tenantId).set(key, { inSegment: true, segmentId, entryKey });
      return true;
    },
    async leaveSegment(tenantId, contactId, campaignId, segmentId, seenEntryKey) {
      const s = w.segmentStates.get(tenantId, `${contactId}#${campaignId}`);
      if (s?.inSegment && s.segmentId === segmentId && s.entryKey !== seenEntryKey) return;
      w.segmentStates.of(tenantId).set(`${contactId}#${campaignId}`, { inSegment: false, segmentId });
    },
    async addDue(dueAt, id, work) {
      w.due.set(`${dueAt}#${work.tenantId}#${id}`, copy({ dueAt, id, work }));
    },
    async dueIn(shard, before, limit) {
      return [...w.due]
        .sort(byKey)
        .filter(([k, d]) => dueShardOf(d.id) === shard && k <= `${before}#~`)
        .slice(0, limit)
        .map(([, d]) => copy(d));
    },
    async removeDue(tenantId, dueAt, id) {
      w.due.delete(`${dueAt}#${tenantId}#${id}`);
    },
  };
}

/** The pacer's rule (at most `perSecond` per calendar second per bucket) on the fake clock. */
function pacer(w: FakeWorld, now: () => Date): PacerPort {
  return {
    async take(bucket, want, perSecond) {
      const ms = now().getTime();
      const sec = Math.floor(ms / 1000);
      const cap = Math.max(1, Math.floor(perSecond));
      const slot = w.pacer.get(bucket);
      const used = slot && slot.sec === sec ? slot.n : 0;
      const granted = Math.min(want, cap - used);
      if (granted <= 0) return { granted: 0, waitMs: (sec + 1) * 1000 - ms };
      w.pacer.set(bucket, { sec, n: used + granted });
      return { granted, waitMs: 0 };
    },
  };
}

/** A message handed to the recording queue. */
export type Sent = { [Q in QueueName]: { queue: Q; message: QueueMessage<Q>; delaySeconds?: number } }[QueueName];

export interface FakeDeps extends Deps {
  world: FakeWorld;
  /** Every message sent, oldest first; tests take them off to play the queue's part. */
  sent: Sent[];
  /** Emails and texts delivered, oldest first. */
  delivered: { emails: OutgoingEmail[]; texts: OutgoingText[] };
  /** Webhooks POSTed, oldest first. */
  webhookCalls: WebhookCall[];
  /** How the fake receivers answer from now on (default 200); a thrown error is "no answer". */
  answerWebhooks(answer: (call: WebhookCall) => number): void;
  /** Removes and returns the messages sent to one queue so far. */
  take<Q extends QueueName>(queue: Q): QueueMessage<Q>[];
  /**
   * Makes `store.method` (e.g. 'events.put') throw once, after `after` more calls succeed: a
   * crash or timeout in the middle of a use case.
   */
  failOnce(method: string, after?: number): void;
}

/** The tracking secret the fake token port signs with. */
export const TEST_SECRET = new Uint8Array(32).fill(7);

/** A clock that moves only when told to. */
export function fakeClock(start = '2025-06-01T12:00:00.000Z') {
  let t = Date.parse(start);
  return {
    now: () => new Date(t),
    advance(ms: number) {
      t += ms;
    },
  };
}

/** A full set of in-memory ports over one shared world, plus a recording queue. */
export function fakeDeps(now: () => Date = () => new Date(), sleeper: (ms: number) => void = () => {}): FakeDeps {
  const world: FakeWorld = {
    contacts: new Scoped(),
    identities: new Scoped(),
    consent: new Scoped(),
    events: new Scoped(),
    lists: new Scoped(),
    members: new Scoped(),
    imports: new Scoped(),
    segments: new Scoped(),
    templates: new Scoped(),
    counts: new Scoped(),
    countParts: new Scoped(),
    settings: new Scoped(),
    tenants: new Set(),
    campaigns: new Scoped(),
    campaignCounts: new Scoped(),
    sends: new Scoped(),
    sendLogs: new Scoped(),
    scheduled: new Map(),
    active: new Map(),
    pacer: new Map(),
    suppressions: new Scoped(),
    smsOrigins: new Map(),
    shortLinks: new Map(),
    activeTriggers: new Scoped(),
    firings: new Scoped(),
    evaluated: new Scoped(),
    conversions: new Scoped(),
    reports: new Scoped(),
    triggerStates: new Scoped(),
    segmentStates: new Scoped(),
    due: new Map(),
    webhooks: new Scoped(),
    webhookDeadLetters: new Scoped(),
  };
  const faults = new Map<string, number>();
  const guarded = <T extends object>(name: string, store: T): T =>
    Object.fromEntries(
      Object.entries(store).map(([method, fn]) => [
        method,
        async (...args: unknown[]) => {
          const key = `${name}.${method}`;
          const left = faults.get(key);
          if (left === 0) {
            faults.delete(key);
            throw new Error(`injected failure in ${key}`);
          }
          if (left !== undefined) faults.set(key, left - 1);
          return (fn as (...a: unknown[]) => unknown)(...args);
        },
      ]),
    ) as T;
  const sent: Sent[] = [];
  const delivered: FakeDeps['delivered'] = { emails: [], texts: [] };
  const webhookCalls: WebhookCall[] = [];
  let answerWebhook: (call: WebhookCall) => number = () => 200;
  let ids = 0;
  return {
    world,
    sent,
    contacts: guarded('contacts', contactStore(world)),
    lists: guarded('lists', listStore(world)),
    imports: guarded('imports', importStore(world)),
    events: guarded('events', eventStore(world)),
    settings: guarded('settings', settingsStore(world)),
    segments: guarded('segments', segmentStore(world)),
    templates: guarded('templates', templateStore(world)),
    campaigns: guarded('campaigns', campaignStore(world)),
    sends: guarded('sends', sendStore(world)),
    triggers: guarded('triggers', triggerStore(world)),
    evaluation: guarded('evaluation', evaluationStore(world)),
    pacer: guarded('pacer', pacer(world, now)),
    suppressions: guarded('suppressions', {
      async add(tenantId, s) {
        const map = world.suppressions.of(tenantId);
        const key = `${s.channel}#${s.address}`;
        if (map.has(key)) return false;
        map.set(key, copy(s));
        return true;
      },
      async remove(tenantId, channel, address) {
        return world.suppressions.of(tenantId).delete(`${channel}#${address}`);
      },
      async get(tenantId, channel, address) {
        const s = world.suppressions.get(tenantId, `${channel}#${address}`);
        return s ? Suppression.parse(copy(s)) : undefined;
      },
      async list(tenantId, channel, limit, cursor) {
        const entries = world.suppressions.sorted(tenantId).filter(([k]) => k.startsWith(`${channel}#`));
        return pageOf(`suppressions:${tenantId}:${channel}`, entries, limit, cursor, (s) => Suppression.parse(copy(s)));
      },
      async suppressed(tenantId, channel, addresses) {
        return new Set(addresses.filter((a) => world.suppressions.get(tenantId, `${channel}#${a}`)));
      },
    } satisfies Deps['suppressions']),
    tokens: guarded('tokens', {
      async sign(claims) {
        return signToken(TEST_SECRET, claims);
      },
      async signer() {
        return (claims) => signToken(TEST_SECRET, claims);
      },
      async verify(token) {
        return verifyToken(TEST_SECRET, token);
      },
    } satisfies Deps['tokens']),
    delivered,
    email: guarded('email', {
      async send(email) {
        delivered.emails.push(copy(email));
        return { messageId: `em-${delivered.emails.length}` };
      },
      async maxSendRate() {
        return 14;
      },
    } satisfies Deps['email']),
    sms: guarded('sms', {
      async send(text) {
        delivered.texts.push(copy(text));
        return { messageId: `sm-${delivered.texts.length}` };
      },
    } satisfies Deps['sms']),
    queue: guarded('queue', {
      async send(queue, message, options) {
        sent.push(copy({ queue, message, ...(options?.delaySeconds ? { delaySeconds: options.delaySeconds } : {}) }) as Sent);
      },
      async sendMany(queue, messages, options) {
        for (const message of messages)
          sent.push(copy({ queue, message, ...(options?.delaySeconds ? { delaySeconds: options.delaySeconds } : {}) }) as Sent);
      },
    } satisfies Deps['queue']),
    webhooks: guarded('webhooks', webhookStore(world)),
    webhookCalls,
    webhookClient: guarded('webhookClient', {
      async post(url, body, headers, timeoutMs) {
        const call = copy({ url, body, headers, timeoutMs });
        webhookCalls.push(call);
        return { status: answerWebhook(call) };
      },
    } satisfies Deps['webhookClient']),
    answerWebhooks(answer) {
      answerWebhook = answer;
    },
    now,
    sleep: async (ms) => {
      sleeper(ms);
    },
    newId: () => String(++ids).padStart(26, '0'),
    take<Q extends QueueName>(queue: Q): QueueMessage<Q>[] {
      const taken: QueueMessage<Q>[] = [];
      for (let i = 0; i < sent.length; ) {
        const s = sent[i] as Sent;
        if (s.queue === queue) {
          taken.push(s.message as QueueMessage<Q>);
          sent.splice(i, 1);
        } else i++;
      }
      return taken;
    },
    failOnce(method, after = 0) {
      faults.set(method, after);
    },
  };
}

/** One POST of the fake webhook client. */
export interface WebhookCall {
  url: string;
  body: string;
  headers: Record<string, string>;
  timeoutMs: number;
}

/** Subscriptions (listed in id order, as through GSI1) and dead letters (`webhookId#eventId`, in event id order). */
function webhookStore(w: FakeWorld): WebhookStore {
  const deadKey = (webhookId: string, eventId: string) => `${webhookId}#${eventId}`;
  return {
    async create(tenantId, s) {
      if (w.webhooks.get(tenantId, s.webhookId)) throw new Conflict(`webhook ${s.webhookId} already exists`);
      w.webhooks.of(tenantId).set(s.webhookId, copy(s));
    },
    async get(tenantId, webhookId) {
      const s = w.webhooks.get(tenantId, webhookId);
      return s ? WebhookSubscription.parse(copy(s)) : undefined;
    },
    async list(tenantId, limit, cursor) {
      return pageOf(`webhooks:${tenantId}`, w.webhooks.sorted(tenantId), limit, cursor, (s) => WebhookSubscription.parse(copy(s)));
    },
    async replace(tenantId, s, readVersion) {
      if (w.webhooks.get(tenantId, s.webhookId)?.version !== readVersion)
        throw new Conflict(`webhook ${s.webhookId} was changed or deleted meanwhile; retry`);
      w.webhooks.of(tenantId).set(s.webhookId, copy(s));
    },
    async delete(tenantId, webhookId) {
      const dead = w.webhookDeadLetters.of(tenantId);
      for (const key of [...dead.keys()]) if (key.startsWith(`${webhookId}#`)) dead.delete(key);
      return w.webhooks.of(tenantId).delete(webhookId);
    },
    async putDeadLetter(tenantId, d) {
      w.webhookDeadLetters.of(tenantId).set(deadKey(d.webhookId, d.eventId), copy(d));
    },
    async getDeadLetter(tenantId, webhookId, eventId) {
      const d = w.webhookDeadLetters.get(tenantId, deadKey(webhookId, eventId));
      return d ? WebhookDeadLetter.parse(copy(d)) : undefined;
    },
    async deadLetters(tenantId, webhookId, limit, cursor) {
      const entries = w.webhookDeadLetters.sorted(tenantId).filter(([k]) => k.startsWith(`${webhookId}#`));
      return pageOf(`dead:${tenantId}:${webhookId}`, entries, limit, cursor, (d) => WebhookDeadLetter.parse(copy(d)));
    },
    async deleteDeadLetter(tenantId, webhookId, eventId, failedAt) {
      const map = w.webhookDeadLetters.of(tenantId);
      const d = map.get(deadKey(webhookId, eventId));
      if (!d || (failedAt !== undefined && d.failedAt !== failedAt)) return false;
      return map.delete(deadKey(webhookId, eventId));
    },
  };
}
