/**
 * The ports use cases depend on: interfaces that shared/db and shared/aws implement. A use case
 * asks for the parts it needs (`Pick<Deps, 'contacts' | 'now'>`), and a handler names the
 * providers of exactly those parts, so a function's bundle holds only the adapters it uses.
 */
import type { ConsentEvent, Contact, Identity, IdentityKind } from '../domain/contact.ts';
import type { BatchCounts, ImportJob, RowError } from '../domain/import.ts';
import type { TargetList } from '../domain/list.ts';
import type { Aggregates, Boundaries, ValueSettings } from '../domain/value.ts';
import type { StoredEvent } from '../domain/event.ts';
import type { Segment, SegmentCount, SegmentCountPart } from '../domain/segment.ts';
import type { Template } from '../domain/template.ts';
import type { SendingSettings } from '../domain/sending.ts';
import type { OutgoingEmail, OutgoingText } from '../domain/message.ts';
import type { QueueMessage, QueueName } from '../api/messages.ts';

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
  itemKeys: StoredKey[];
}

export interface ContactStore {
  get(tenantId: string, contactId: string): Promise<Contact | undefined>;
  /** The contact and its raw value aggregates (parsed by the caller), in one read. */
  getWithAggregates(tenantId: string, contactId: string): Promise<{ contact: Contact; aggregates?: unknown } | undefined>;
  getMany(tenantId: string, contactIds: string[]): Promise<Map<string, Contact>>;
  findManyByIdentity(tenantId: string, identities: Identity[]): Promise<Map<string, string>>;
  claimIdentity(tenantId: string, identity: Identity, contactId: string): Promise<void>;
  releaseIdentity(tenantId: string, identity: Identity, contactId: string): Promise<void>;
  save(tenantId: string, contact: Contact, readVersion: number): Promise<void>;
  saveAggregates(tenantId: string, contactId: string, aggregates: Aggregates): Promise<boolean>;
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
  /** Sender identities and sending limits; `{}` until set. */
  sending(tenantId: string): Promise<SendingSettings>;
  saveSending(tenantId: string, settings: SendingSettings): Promise<void>;
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

/** Delivers one email (SES v2 locally and on AWS). */
export interface EmailPort {
  send(email: OutgoingEmail): Promise<{ messageId: string }>;
}

/** Delivers one text message (AWS End User Messaging SMS). */
export interface SmsPort {
  send(text: OutgoingText): Promise<{ messageId: string }>;
}

/** Hands work to a queue; the message type follows from the queue's entry in the queue table. */
export interface QueuePort {
  send<Q extends QueueName>(queue: Q, message: QueueMessage<Q>): Promise<void>;
}

export interface Deps {
  contacts: ContactStore;
  lists: ListStore;
  imports: ImportStore;
  events: EventStore;
  settings: SettingsStore;
  segments: SegmentStore;
  templates: TemplateStore;
  queue: QueuePort;
  email: EmailPort;
  sms: SmsPort;
  now: () => Date;
  newId: () => string;
}

/** The authenticated caller's workspace; every use case is scoped by it. */
export interface Caller {
  tenantId: string;
}
