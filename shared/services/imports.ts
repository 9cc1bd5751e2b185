/**
 * Bulk contact import. A client streams a CSV file through csv-parse and posts its records in
 * numbered batches; each batch is validated row by row, good rows are upserted in bulk, bad rows
 * are stored as errors, and the job's counters move on. Batches are idempotent by first row.
 */
import { mapConcurrent } from '../lib/concurrency.ts';
import { chooseNewContactId, deriveContactId } from '../domain/contact-id.ts';
import {
  emptyContact,
  identitiesOf,
  identityKey,
  mergeContact,
  type Contact,
  type ConsentEvent,
  type ContactUpsert,
  type Identity,
} from '../domain/contact.ts';
import { Conflict, NotFound } from '../domain/errors.ts';
import {
  mapRow,
  resolveMapping,
  withProgress,
  type BatchCounts,
  type BatchResult,
  type CreateImport,
  type ImportBatch,
  type ImportJob,
  type RowError,
} from '../domain/import.ts';
import { persistChange, upsertContact } from './contacts.ts';
import { createOnce, newResourceId } from './idempotency.ts';
import type { Caller, Deps } from '../runtime/ports.ts';

/** What the import use cases use. */
export type ImportDeps = Pick<Deps, 'imports' | 'contacts' | 'now' | 'newId'>;

/** Starts an import; with an idempotency key a repeated request returns the first job (`created: false`). */
export async function createImport(
  deps: ImportDeps,
  caller: Caller,
  input: CreateImport,
  idempotencyKey?: string,
): Promise<{ job: ImportJob; created: boolean }> {
  const now = deps.now().toISOString();
  const jobId = newResourceId('im', 'import', caller.tenantId, deps.newId, idempotencyKey);
  const job: ImportJob = {
    jobId,
    status: 'receiving',
    ...(input.source ? { source: input.source } : {}),
    ...(input.totalBytes !== undefined ? { totalBytes: input.totalBytes, bytesReceived: 0 } : {}),
    mapping: input.mapping ?? {},
    consentSource: input.consentSource ?? `import:${jobId}`,
    rowsReceived: 0,
    imported: 0,
    updated: 0,
    unchanged: 0,
    failed: 0,
    createdAt: now,
    updatedAt: now,
  };
  const { value, created } = await createOnce(
    () => deps.imports.create(caller.tenantId, job).then(() => job),
    () => getImport(deps, caller, jobId),
    idempotencyKey,
  );
  return { job: value, created };
}

export async function getImport(deps: ImportDeps, caller: Caller, jobId: string): Promise<ImportJob> {
  const job = await deps.imports.get(caller.tenantId, jobId);
  if (!job) throw new NotFound(`import ${jobId}`);
  return withProgress(job);
}

interface Planned {
  row: number;
  upsert: ContactUpsert;
  contactId: string;
}

type Outcome = 'imported' | 'updated' | 'unchanged';

interface Pending {
  original?: Contact;
  contact: Contact;
  events: ConsentEvent[];
  changed: boolean;
}

/**
 * Ingests one batch.
 * 1. Validate each record against the mapping; bad rows become errors naming their column.
 * 2. Resolve every row's contact: identifiers already claimed (one read per 100), else an id
 *    derived from the strongest identifier. Rows whose identifiers point at two contacts fail.
 * 3. Merge rows into the contacts in file order and keep only real changes.
 * 4. Claim new identifiers and write changed contacts with conditions (32 in flight); rows
 *    whose contact another writer changed meanwhile are replayed through upsertContact.
 *    Consent events are appended in 25-item batches.
 * 5. Record the batch receipt (once) and add its counts to the job.
 */
export async function ingestBatch(deps: ImportDeps, caller: Caller, jobId: string, batch: ImportBatch): Promise<BatchResult> {
  const { tenantId } = caller;
  const job = await getImport(deps, caller, jobId);
  if (job.status !== 'receiving') throw new Conflict(`import ${jobId} is ${job.status}; start a new import`);
  const now = deps.now().toISOString();
  const errors: RowError[] = (batch.rejects ?? []).map((r) => ({ row: r.row, field: 'row', reason: r.reason }));

  const valid = validateRows(batch, job, errors); // 1
  const { planned, stored } = await resolveContacts(deps, tenantId, valid, errors); // 2
  const { pending, outcomes } = mergeRows(planned, stored, now, job.consentSource); // 3
  const replay = await writeChanges(
    deps,
    tenantId,
    [...pending.values()].filter((p) => p.changed),
  ); // 4
  for (const { row, upsert, contactId } of planned) {
    if (!replay.has(contactId)) continue;
    try {
      const outcome = await upsertContact(deps, caller, upsert, job.consentSource);
      outcomes.set(row, outcome.created ? 'imported' : outcome.changed ? 'updated' : 'unchanged');
    } catch (error) {
      if (!(error instanceof Conflict)) throw error;
      outcomes.delete(row);
      errors.push({ row, field: identitiesOf(upsert)[0]?.kind ?? 'row', reason: error.message });
    }
  }

  // 5
  const counts: BatchCounts = {
    rowsReceived: batch.records.length + (batch.rejects?.length ?? 0),
    imported: 0,
    updated: 0,
    unchanged: 0,
    failed: 0,
  };
  for (const outcome of outcomes.values()) counts[outcome]++;
  counts.failed = new Set(errors.map((e) => e.row)).size;
  const previous = await deps.imports.recordBatch(tenantId, jobId, batch.firstRow, counts, errors);
  if (previous) return { ...previous, errors: [], duplicate: true };
  await deps.imports.addProgress(tenantId, jobId, counts, now, batch.bytesRead);
  return { ...counts, errors, duplicate: false };
}

function validateRows(batch: ImportBatch, job: ImportJob, errors: RowError[]): { row: number; upsert: ContactUpsert }[] {
  const header = batch.records[0] ? Object.keys(batch.records[0]) : [];
  const mapping = resolveMapping(header, job.mapping);
  const valid: { row: number; upsert: ContactUpsert }[] = [];
  batch.records.forEach((record, index) => {
    const row = batch.firstRow + index;
    const mapped = mapRow(record, mapping, job.consentSource);
    if (mapped.ok) valid.push({ row, upsert: mapped.upsert });
    else for (const e of mapped.errors) errors.push({ row, field: e.field, reason: e.message });
  });
  return valid;
}

async function resolveContacts(deps: ImportDeps, tenantId: string, valid: { row: number; upsert: ContactUpsert }[], errors: RowError[]) {
  const owners = await deps.contacts.findManyByIdentity(
    tenantId,
    valid.flatMap((v) => identitiesOf(v.upsert)),
  );
  const unclaimed = valid.filter((v) => identitiesOf(v.upsert).every((i) => !owners.has(identityKey(i))));
  const derived = unclaimed.map((v) => deriveContactId(tenantId, identitiesOf(v.upsert)[0] as Identity));
  const fetched = new Set([...owners.values(), ...derived]);
  const stored = await deps.contacts.getMany(tenantId, [...fetched]);
  // Rare: a derived id taken by another contact sends chooseNewContactId to single reads.
  const lookup = async (id: string) => {
    if (!fetched.has(id)) {
      fetched.add(id);
      const found = await deps.contacts.get(tenantId, id);
      if (found) stored.set(id, found);
    }
    return stored.get(id);
  };
  const planned: Planned[] = [];
  for (const { row, upsert } of valid) {
    const identities = identitiesOf(upsert);
    const held = new Set(identities.flatMap((i) => owners.get(identityKey(i)) ?? []));
    if (held.size > 1) {
      errors.push({ row, field: identities[0]?.kind ?? 'row', reason: 'identifiers belong to different contacts' });
      continue;
    }
    const contactId = [...held][0] ?? (await chooseNewContactId(tenantId, identities, lookup));
    for (const i of identities) owners.set(identityKey(i), contactId);
    planned.push({ row, upsert, contactId });
  }
  return { planned, stored };
}

/** Applies rows in file order; several rows for one contact become one write, one version step. */
function mergeRows(planned: Planned[], stored: Map<string, Contact>, now: string, consentSource: string) {
  const outcomes = new Map<number, Outcome>();
  const pending = new Map<string, Pending>();
  for (const { row, upsert, contactId } of planned) {
    const original = stored.get(contactId);
    const entry = pending.get(contactId) ?? { original, contact: original ?? emptyContact(contactId, now), events: [], changed: false };
    const merged = mergeContact(entry.contact, upsert, now, consentSource);
    if (merged.changed) {
      if (entry.changed) merged.contact.version = entry.contact.version;
      entry.contact = merged.contact;
      entry.events.push(...merged.consentEvents);
      entry.changed = true;
    }
    pending.set(contactId, entry);
    outcomes.set(row, !merged.changed ? 'unchanged' : entry.original ? 'updated' : 'imported');
  }
  return { pending, outcomes };
}

/**
 * Writes changed contacts. Identifier claims and contact puts are conditional, so a concurrent
 * batch or API call that touched the same contact is detected, never overwritten. Returns the
 * ids of contacts whose write lost such a race, for their rows to be replayed.
 */
async function writeChanges(deps: ImportDeps, tenantId: string, writes: Pending[]): Promise<Set<string>> {
  const lost = new Set<string>();
  await mapConcurrent(writes, 32, async ({ original, contact }) => {
    try {
      // Consent events are appended below, in batches, for all saved contacts at once.
      await persistChange(deps, tenantId, original ?? emptyContact(contact.contactId, contact.createdAt), contact, []);
    } catch (error) {
      if (!(error instanceof Conflict)) throw error;
      lost.add(contact.contactId);
    }
  });
  const saved = writes.filter((w) => !lost.has(w.contact.contactId));
  await deps.contacts.appendConsentEvents(
    tenantId,
    saved.flatMap((w) => w.events.map((event) => ({ contactId: w.contact.contactId, event }))),
  );
  return lost;
}

/** Marks the job complete; completing it again returns it unchanged. */
export async function completeImport(deps: ImportDeps, caller: Caller, jobId: string): Promise<ImportJob> {
  const job = await getImport(deps, caller, jobId);
  if (job.status !== 'receiving') return job;
  const finished = await deps.imports.finish(caller.tenantId, jobId, 'completed', deps.now().toISOString());
  return finished ? withProgress(finished) : getImport(deps, caller, jobId);
}

export async function listImportErrors(deps: ImportDeps, caller: Caller, jobId: string, limit: number, cursor?: string) {
  await getImport(deps, caller, jobId);
  return deps.imports.errors(caller.tenantId, jobId, limit, cursor);
}

/** Scheduled: abandons jobs that received nothing for `idleMinutes`, so they stop counting as open. */
export async function expireStaleImports(deps: ImportDeps, idleMinutes = 60): Promise<number> {
  const now = deps.now();
  const before = new Date(now.getTime() - idleMinutes * 60_000).toISOString();
  const stale = await deps.imports.staleOpenJobs(before, 100);
  let abandoned = 0;
  for (const { tenantId, jobId } of stale) {
    if (await deps.imports.finish(tenantId, jobId, 'abandoned', now.toISOString(), before)) abandoned++;
  }
  return abandoned;
}
