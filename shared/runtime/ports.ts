/**
 * The ports use cases depend on: interfaces that shared/db and shared/aws implement. A use case
 * asks for the parts it needs (`Pick<Deps, 'contacts' | 'now'>`), and a handler names the
 * providers of exactly those parts, so a function's bundle holds only the adapters it uses.
 */
import type { ConsentEvent, Contact, Identity, IdentityKind } from '../domain/contact.ts';
import type { BatchCounts, ImportJob, RowError } from '../domain/import.ts';
import type { TargetList } from '../domain/list.ts';
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
  itemKeys: StoredKey[];
}

export interface ContactStore {
  get(tenantId: string, contactId: string): Promise<Contact | undefined>;
  getMany(tenantId: string, contactIds: string[]): Promise<Map<string, Contact>>;
  findManyByIdentity(tenantId: string, identities: Identity[]): Promise<Map<string, string>>;
  claimIdentity(tenantId: string, identity: Identity, contactId: string): Promise<void>;
  releaseIdentity(tenantId: string, identity: Identity, contactId: string): Promise<void>;
  save(tenantId: string, contact: Contact, readVersion: number): Promise<void>;
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
  finish(tenantId: string, jobId: string, status: 'completed' | 'abandoned', now: string, staleBefore?: string): Promise<ImportJob | undefined>;
  errors(tenantId: string, jobId: string, limit: number, cursor?: string): Promise<Page<RowError>>;
  staleOpenJobs(before: string, limit: number): Promise<{ tenantId: string; jobId: string }[]>;
}

/** Hands work to a queue; the message type follows from the queue's entry in the queue table. */
export interface QueuePort {
  send<Q extends QueueName>(queue: Q, message: QueueMessage<Q>): Promise<void>;
}

export interface Deps {
  contacts: ContactStore;
  lists: ListStore;
  imports: ImportStore;
  queue: QueuePort;
  now: () => Date;
  newId: () => string;
}

/** The authenticated caller's workspace; every use case is scoped by it. */
export interface Caller {
  tenantId: string;
}
