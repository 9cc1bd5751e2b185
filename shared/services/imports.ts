/**
 * Bulk contact import. A client streams a CSV file through csv-parse and posts its records in
 * numbered batches; each batch is validated row by row, good rows are upserted in bulk, bad rows
 * are stored as errors, and the job's counters move on. Batches are idempotent by first row.
 */
import { mapConcurrent } from '../lib/concurrency.ts';
import { chooseNewContactId, deriveContactId, emptyContact, identitiesOf, mergeContact, type Contact, type ConsentEvent, type ContactUpsert, type Identity } from '../domain/contact.ts';
import { Conflict, NotFound } from '../domain/errors.ts';
import { ColumnMapping, mapRow, resolveMapping, type ImportJob, type RowError } from '../domain/import.ts';
import type { BatchCounts } from '../db/import-repo.ts';
import { upsertContact } from './contacts.ts';
import type { Caller, Deps } from './deps.ts';

export interface CreateImport {
  source?: string;
  mapping?: ColumnMapping;
  consentSource?: string;
}

export async function createImport(deps: Deps, caller: Caller, input: CreateImport): Promise<ImportJob> {
  const now = deps.now().toISOString();
  const jobId = `im_${deps.newId()}`;
  const job: ImportJob = {
    jobId,
    status: 'receiving',
    ...(input.source ? { source: input.source } : {}),
    mapping: input.mapping ?? {},
    consentSource: input.consentSource ?? `import:${jobId}`,
    rowsReceived: 0, imported: 0, updated: 0, unchanged: 0, failed: 0,
    createdAt: now,
    updatedAt: now,
  };
  await deps.imports.create(caller.tenantId, job);
  return job;
}

export async function getImport(deps: Deps, caller: Caller, jobId: string): Promise<ImportJob> {
  const job = await deps.imports.get(caller.tenantId, jobId);
  if (!job) throw new NotFound(`import ${jobId}`);
  return job;
}

export interface ImportBatch {
  /** Spreadsheet row number of the first record: the header is row 1, so the first batch starts at 2. */
  firstRow: number;
  records: Record<string, string>[];
  /** Rows the client's CSV parser could not read, reported as errors of this batch. */
  rejects?: { row: number; reason: string }[];
}

export interface BatchResult extends BatchCounts {
  errors: RowError[];
  /** True when this batch had been received before and nothing was done again. */
  duplicate: boolean;
}

interface Planned {
  row: number;
  upsert: ContactUpsert;
  contactId: string;
}

/**
 * Ingests one batch.
 * 1. Validate each record against the mapping; bad rows become errors naming their column.
 * 2. Resolve every row's contact: identifiers already claimed (one read per 100), else an id
 *    derived from the strongest identifier. Rows whose identifiers point at two contacts fail.
 * 3. Merge rows into the contacts in file order and keep only real changes.
 * 4. Claim new identifiers and write changed contacts with conditions (16 at a time); rows
 *    whose contact changed meanwhile are replayed through upsertContact. Consent events are
 *    appended in 25-item batches.
 * 5. Record the batch receipt (once) and add its counts to the job.
 */
export async function ingestBatch(deps: Deps, caller: Caller, jobId: string, batch: ImportBatch): Promise<BatchResult> {
  const { tenantId } = caller;
  const job = await getImport(deps, caller, jobId);
  if (job.status !== 'receiving') throw new Conflict(`import ${jobId} is ${job.status}; start a new import`);
  const now = deps.now().toISOString();
  const errors: RowError[] = (batch.rejects ?? []).map((r) => ({ row: r.row, field: 'row', reason: r.reason }));

  // 1. validate
  const header = batch.records[0] ? Object.keys(batch.records[0]) : [];
  const mapping = resolveMapping(header, job.mapping);
  const valid: { row: number; upsert: ContactUpsert }[] = [];
  batch.records.forEach((record, index) => {
    const row = batch.firstRow + index;
    const mapped = mapRow(record, mapping, job.consentSource);
    if (mapped.ok) valid.push({ row, upsert: mapped.upsert });
    else for (const e of mapped.errors) errors.push({ row, field: e.field, reason: e.message });
  });

  // 2. resolve contact ids
  const owners = await deps.contacts.findManyByIdentity(tenantId, valid.flatMap((v) => identitiesOf(v.upsert)));
  const unclaimed = valid.filter((v) => identitiesOf(v.upsert).every((i) => !owners.has(`${i.kind}:${i.value}`)));
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
    const held = new Set(identities.flatMap((i) => owners.get(`${i.kind}:${i.value}`) ?? []));
    if (held.size > 1) {
      errors.push({ row, field: identities[0]?.kind ?? 'row', reason: 'identifiers belong to different contacts' });
      continue;
    }
    const contactId = [...held][0] ?? (await chooseNewContactId(tenantId, identities, lookup));
    for (const i of identities) owners.set(`${i.kind}:${i.value}`, contactId);
    planned.push({ row, upsert, contactId });
  }

  // 3. merge in file order; several rows for one contact become one write
  type Outcome = 'imported' | 'updated' | 'unchanged';
  const outcomes = new Map<number, Outcome>();
  const working = new Map<string, { original?: Contact; contact: Contact; events: ConsentEvent[]; changed: boolean }>();
  for (const { row, upsert, contactId } of planned) {
    const entry = working.get(contactId) ?? { original: stored.get(contactId), contact: stored.get(contactId) ?? emptyContact(contactId, now), events: [], changed: false };
    const merged = mergeContact(entry.contact, upsert, now, job.consentSource);
    if (merged.changed) {
      if (entry.changed) merged.contact.version = entry.contact.version; // one version step per write
      entry.contact = merged.contact;
      entry.events.push(...merged.consentEvents);
      entry.changed = true;
    }
    working.set(contactId, entry);
    outcomes.set(row, !merged.changed ? 'unchanged' : entry.original ? 'updated' : 'imported');
  }

  // 4. write. Identifier claims and contact writes are conditional, so a concurrent batch or API
  //    call that touched the same contact is detected, never overwritten; its rows are replayed
  //    one by one through the ordinary upsert, which reads the contact afresh.
  const key = (i: Identity) => `${i.kind}:${i.value}`;
  const writes = [...working.values()].filter((w) => w.changed);
  const replay = new Set<string>();
  await mapConcurrent(writes, 32, async (w) => {
    const { contactId } = w.contact;
    try {
      const held = new Set(identitiesOf(w.original ?? {}).map(key));
      for (const identity of identitiesOf(w.contact)) {
        if (!held.has(key(identity))) await deps.contacts.claimIdentity(tenantId, identity, contactId);
      }
      await deps.contacts.save(tenantId, w.contact, w.original?.version ?? 0, []);
      for (const old of identitiesOf(w.original ?? {})) {
        if (w.contact[old.kind] !== old.value) await deps.contacts.releaseIdentity(tenantId, old, contactId);
      }
    } catch (error) {
      if (!(error instanceof Conflict)) throw error;
      replay.add(contactId);
    }
  });
  await deps.contacts.appendConsentEvents(tenantId, writes.filter((w) => !replay.has(w.contact.contactId)).flatMap((w) => w.events.map((event) => ({ contactId: w.contact.contactId, event }))));
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
  const counts: BatchCounts = { rowsReceived: batch.records.length + (batch.rejects?.length ?? 0), imported: 0, updated: 0, unchanged: 0, failed: 0 };
  for (const outcome of outcomes.values()) counts[outcome]++;

  // 5. receipt and progress
  counts.failed = new Set(errors.map((e) => e.row)).size;
  const previous = await deps.imports.recordBatch(tenantId, jobId, batch.firstRow, counts, errors);
  if (previous) return { ...previous, errors: [], duplicate: true };
  await deps.imports.addProgress(tenantId, jobId, counts, now);
  return { ...counts, errors, duplicate: false };
}

/** Marks the job complete; completing it again returns it unchanged. */
export async function completeImport(deps: Deps, caller: Caller, jobId: string): Promise<ImportJob> {
  const job = await getImport(deps, caller, jobId);
  if (job.status !== 'receiving') return job;
  return (await deps.imports.finish(caller.tenantId, jobId, 'completed', deps.now().toISOString())) ?? getImport(deps, caller, jobId);
}

export async function listImportErrors(deps: Deps, caller: Caller, jobId: string, limit: number, cursor?: string) {
  await getImport(deps, caller, jobId);
  return deps.imports.errors(caller.tenantId, jobId, limit, cursor);
}

/** Scheduled: abandons jobs that received nothing for `idleMinutes`, so they stop counting as open. */
export async function expireStaleImports(deps: Deps, idleMinutes = 60): Promise<number> {
  const now = deps.now();
  const before = new Date(now.getTime() - idleMinutes * 60_000).toISOString();
  const stale = await deps.imports.staleOpenJobs(before, 100);
  let abandoned = 0;
  for (const { tenantId, jobId } of stale) {
    if (await deps.imports.finish(tenantId, jobId, 'abandoned', now.toISOString(), before)) abandoned++;
  }
  return abandoned;
}
