/** Segment use cases: saved segments, previews, members, and count jobs fanned out over a queue. */
import type { Contact } from '../domain/contact.ts';
import { Contact as ContactSchema } from '../domain/contact.ts';
import { Conflict, NotFound, ValidationFailed, type FieldIssue } from '../domain/errors.ts';
import {
  referencesOf,
  type CreateSegment,
  type Rule,
  type Segment,
  type SegmentCountStatus,
  type SegmentSize,
  type UpdateSegment,
} from '../domain/segment.ts';
import { compileRule, reachable, type ContactItem, type EvalContext } from '../domain/segment-eval.ts';
import type { Caller, Deps, Page } from '../runtime/ports.ts';
import { forEachContact, SCAN_PAGE, SCAN_PARTS } from './contact-scan.ts';
import { createOnce, newResourceId } from './idempotency.ts';

type SegmentDeps = Pick<Deps, 'segments' | 'lists' | 'now' | 'newId'>;
type EvalDeps = Pick<Deps, 'segments' | 'contacts' | 'settings' | 'now'>;

/** Contact fields a sample shows (a preview never returns more than these). */
const sampleOf = (item: ContactItem): Contact | undefined => {
  const parsed = ContactSchema.safeParse(item);
  return parsed.success ? parsed.data : undefined;
};

/** How deep a chain of inSegment references may go. */
export const MAX_REFERENCE_LEVELS = 8;

/**
 * The rules of the segments a rule refers to (directly or not), by id, and how many levels
 * deep the references go. `check` (saving, previewing) refuses unknown lists and segments,
 * chains deeper than MAX_REFERENCE_LEVELS and a chain back to `selfId`, naming the reference's
 * path. Evaluating a saved segment does not check: a list or segment deleted since simply has no
 * members, and compilation matches nobody on a cycle (concurrent edits can make one).
 */
async function resolveReferences(
  deps: Pick<Deps, 'segments' | 'lists'>,
  tenantId: string,
  rule: Rule,
  options: { check: boolean; selfId?: string; limitDepth?: boolean },
): Promise<{ rules: Map<string, Rule>; depth: number }> {
  const issues: FieldIssue[] = [];
  for (const ref of options.check ? referencesOf(rule, 'inList') : []) {
    if (!(await deps.lists.get(tenantId, ref.id))) issues.push({ field: `body.${ref.path}`, message: `names no list (${ref.id})` });
  }
  const rules = new Map<string, Rule>();
  let depth = 0;
  const pending = referencesOf(rule, 'inSegment').map((r) => ({ ...r, origin: r.path, level: 1 }));
  while (pending.length > 0) {
    const { id, origin, level } = pending.shift() as { id: string; origin: string; level: number };
    if (options.check && options.limitDepth !== false && level > MAX_REFERENCE_LEVELS) {
      issues.push({ field: `body.${origin}`, message: `refers through more than ${MAX_REFERENCE_LEVELS} levels of segments` });
      continue;
    }
    if (options.check && id === options.selfId) {
      issues.push({ field: `body.${origin}`, message: 'would make a cycle: the segment refers back to itself' });
      continue;
    }
    if (rules.has(id)) continue;
    const segment = await deps.segments.get(tenantId, id);
    if (!segment) {
      if (options.check) issues.push({ field: `body.${origin}`, message: `names no segment (${id})` });
      continue;
    }
    depth = Math.max(depth, level);
    rules.set(id, segment.rule);
    pending.push(...referencesOf(segment.rule, 'inSegment').map((r) => ({ ...r, origin, level: level + 1 })));
  }
  if (issues.length > 0) throw new ValidationFailed([...new Map(issues.map((i) => [`${i.field} ${i.message}`, i])).values()]);
  return { rules, depth };
}

/**
 * The rules of the named segments and of every segment they refer to, by id, for compiling them
 * elsewhere (a campaign's audience). Unknown ids are left out: they match nobody.
 */
export async function getSegmentRules(deps: Pick<Deps, 'segments'>, tenantId: string, segmentIds: string[]): Promise<Map<string, Rule>> {
  if (segmentIds.length === 0) return new Map();
  const rule = { or: segmentIds.map((id) => ({ inSegment: id })) } as Rule;
  const noLists = { get: async () => undefined } as unknown as Deps['lists']; // not read: nothing is checked
  return (await resolveReferences({ segments: deps.segments, lists: noLists }, tenantId, rule, { check: false })).rules;
}

/** How many levels of segments refer, directly or not, to this one (0: none). */
async function depthAbove(deps: Pick<Deps, 'segments'>, tenantId: string, segmentId: string): Promise<number> {
  const referrers = new Map<string, string[]>();
  let cursor: string | undefined;
  do {
    const page = await deps.segments.list(tenantId, 500, cursor);
    for (const s of page.items) {
      for (const ref of referencesOf(s.rule, 'inSegment')) referrers.set(ref.id, [...(referrers.get(ref.id) ?? []), s.segmentId]);
    }
    cursor = page.cursor;
  } while (cursor);
  let level = 0;
  let frontier = [segmentId];
  const seen = new Set(frontier);
  while (frontier.length > 0 && level <= MAX_REFERENCE_LEVELS) {
    frontier = frontier.flatMap((id) => referrers.get(id) ?? []).filter((id) => !seen.has(id) && seen.add(id));
    if (frontier.length > 0) level++;
  }
  return level;
}

export async function createSegment(
  deps: SegmentDeps,
  caller: Caller,
  input: CreateSegment,
  idempotencyKey?: string,
): Promise<{ segment: Segment; created: boolean }> {
  const now = deps.now().toISOString();
  const segmentId = newResourceId('sg', 'segment', caller.tenantId, deps.newId, idempotencyKey);
  await resolveReferences(deps, caller.tenantId, input.rule, { check: true, selfId: segmentId });
  const segment: Segment = { segmentId, ...input, createdAt: now, updatedAt: now };
  const { value, created } = await createOnce(
    () => deps.segments.create(caller.tenantId, segment).then(() => segment),
    () => getSegment(deps, caller, segmentId),
    idempotencyKey,
  );
  return { segment: value, created };
}

export async function getSegment(deps: Pick<Deps, 'segments'>, caller: Caller, segmentId: string): Promise<Segment> {
  const segment = await deps.segments.get(caller.tenantId, segmentId);
  if (!segment) throw new NotFound(`segment ${segmentId}`);
  return segment;
}

export async function updateSegment(deps: SegmentDeps, caller: Caller, segmentId: string, change: UpdateSegment): Promise<Segment> {
  const current = await getSegment(deps, caller, segmentId);
  if (change.rule) {
    const below = (await resolveReferences(deps, caller.tenantId, change.rule, { check: true, selfId: segmentId })).depth;
    // Segments that refer to this one would refer through its new references too.
    if (below > 0 && below + (await depthAbove(deps, caller.tenantId, segmentId)) > MAX_REFERENCE_LEVELS) {
      throw new ValidationFailed([
        {
          field: 'body.rule',
          message: `segments that refer to this one would then refer through more than ${MAX_REFERENCE_LEVELS} levels of segments`,
        },
      ]);
    }
  }
  const next: Segment = { ...current, ...change, updatedAt: deps.now().toISOString() };
  if (next.updatedAt === current.updatedAt) next.updatedAt = new Date(Date.parse(next.updatedAt) + 1).toISOString();
  await deps.segments.replace(caller.tenantId, next, current.updatedAt);
  return next;
}

/** Deletes a segment that no other segment refers to. */
export async function deleteSegment(deps: Pick<Deps, 'segments'>, caller: Caller, segmentId: string): Promise<void> {
  await getSegment(deps, caller, segmentId);
  let cursor: string | undefined;
  do {
    const page = await deps.segments.list(caller.tenantId, 500, cursor);
    const user = page.items.find((s) => referencesOf(s.rule, 'inSegment').some((r) => r.id === segmentId));
    if (user)
      throw new Conflict(`segment ${user.segmentId} (${user.name}) refers to this segment; change it first`, { segmentId: user.segmentId });
    cursor = page.cursor;
  } while (cursor);
  await deps.segments.delete(caller.tenantId, segmentId);
}

async function evalContext(deps: EvalDeps, tenantId: string, at: Date, segments: Map<string, Rule>): Promise<EvalContext> {
  const model = await deps.settings.valueModel(tenantId);
  return { now: at, settings: model.settings, ...(model.boundaries ? { boundaries: model.boundaries } : {}), segments };
}

/** How long a preview may read before it answers with what it has (API Gateway allows 30 s). */
export const PREVIEW_BUDGET_MS = 20_000;

/**
 * Evaluates a rule over the whole base, synchronously: parallel range queries over the contacts
 * index, one compiled predicate per item, only counters and a small sample kept.
 */
export async function previewSegment(
  deps: EvalDeps & Pick<Deps, 'lists'>,
  caller: Caller,
  rule: Rule,
  options: { sampleSize?: number; budgetMs?: number } = {},
): Promise<SegmentSize & { sample: Contact[] }> {
  // A preview may name a saved segment at the deepest level allowed, hence no depth limit here.
  const segments = (await resolveReferences(deps, caller.tenantId, rule, { check: true, limitDepth: false })).rules;
  const matches = compileRule(rule, await evalContext(deps, caller.tenantId, deps.now(), segments));
  const sampleSize = options.sampleSize ?? 10;
  const sample: Contact[] = [];
  let count = 0;
  let email = 0;
  let sms = 0;
  const { scanned, complete } = await forEachContact(
    deps,
    caller.tenantId,
    { deadline: Date.now() + (options.budgetMs ?? PREVIEW_BUDGET_MS) },
    (item) => {
      if (!matches(item)) return;
      count++;
      if (reachable(item, 'email')) email++;
      if (reachable(item, 'sms')) sms++;
      if (sample.length < sampleSize) {
        const contact = sampleOf(item);
        if (contact) sample.push(contact);
      }
    },
  );
  return { count, reachable: { email, sms }, scanned, complete, sample };
}

/**
 * A page of a saved segment's members, in contact id order. A page reads at most a few
 * thousand contacts, so it may hold fewer than `limit` members and still carry a cursor.
 */
export async function listSegmentMembers(
  deps: EvalDeps & Pick<Deps, 'lists'>,
  caller: Caller,
  segmentId: string,
  limit: number,
  cursor?: string,
): Promise<Page<Contact>> {
  const segment = await getSegment(deps, caller, segmentId);
  const matches = compileRule(
    segment.rule,
    await evalContext(
      deps,
      caller.tenantId,
      deps.now(),
      (await resolveReferences(deps, caller.tenantId, segment.rule, { check: false })).rules,
    ),
  );
  const items: Contact[] = [];
  let next = cursor;
  let read = 0;
  do {
    // Never read more than the page still needs, so a page holds at most `limit` members.
    const page = await deps.contacts.scanRange(caller.tenantId, 0, 1, Math.min(SCAN_PAGE, limit - items.length), next);
    for (const item of page.items) {
      read++;
      const contact = matches(item) ? sampleOf(item) : undefined;
      if (contact) items.push(contact);
    }
    next = page.cursor;
  } while (next && items.length < limit && read < 5 * SCAN_PAGE);
  return { items, ...(next ? { cursor: next } : {}) };
}

/** Starts a count of a saved segment over queue workers (for bases too big to preview in one request). */
export async function startSegmentCount(
  deps: Pick<Deps, 'segments' | 'lists' | 'queue' | 'now' | 'newId'>,
  caller: Caller,
  segmentId: string,
): Promise<SegmentCountStatus> {
  const segment = await getSegment(deps, caller, segmentId);
  const segments = (await resolveReferences(deps, caller.tenantId, segment.rule, { check: false })).rules;
  const now = deps.now().toISOString();
  const job = {
    countId: `cn_${deps.newId()}`,
    segmentId,
    rule: segment.rule,
    segments: Object.fromEntries(segments),
    parts: SCAN_PARTS,
    at: now,
    createdAt: now,
  };
  await deps.segments.createCount(caller.tenantId, job);
  for (let part = 0; part < job.parts; part++)
    await deps.queue.send('segment-count', { tenantId: caller.tenantId, countId: job.countId, part, step: 0 });
  return statusOf(job, []);
}

/**
 * A count's progress. A part that never started (its first message was lost, say the start
 * failed half-way through sending) is started again once the job is older than STALL_MS; a
 * repeated first message is harmless, as the first step is a conditional create.
 */
export async function getSegmentCount(
  deps: Pick<Deps, 'segments' | 'queue' | 'now'>,
  caller: Caller,
  segmentId: string,
  countId: string,
): Promise<SegmentCountStatus> {
  const found = await deps.segments.getCount(caller.tenantId, countId);
  if (!found || found.job.segmentId !== segmentId) throw new NotFound(`count ${countId} of segment ${segmentId}`);
  if (deps.now().getTime() - Date.parse(found.job.createdAt) > STALL_MS) {
    const started = new Set(found.parts.map((p) => p.part));
    for (let part = 0; part < found.job.parts; part++) {
      if (!started.has(part)) await deps.queue.send('segment-count', { tenantId: caller.tenantId, countId, part, step: 0 });
    }
  }
  return statusOf(found.job, found.parts);
}

function statusOf(
  job: { countId: string; segmentId: string; parts: number; at: string },
  parts: { done: boolean; scanned: number; count: number; reachableEmail: number; reachableSms: number }[],
): SegmentCountStatus {
  const sum = (f: (p: (typeof parts)[number]) => number) => parts.reduce((s, p) => s + f(p), 0);
  const partsDone = parts.filter((p) => p.done).length;
  return {
    countId: job.countId,
    segmentId: job.segmentId,
    status: partsDone === job.parts ? 'done' : 'running',
    partsDone,
    parts: job.parts,
    at: job.at,
    count: sum((p) => p.count),
    reachable: { email: sum((p) => p.reachableEmail), sms: sum((p) => p.reachableSms) },
    scanned: sum((p) => p.scanned),
    complete: partsDone === job.parts,
  };
}

/** Contacts one queue message evaluates before handing the rest of its range to the next message. */
const CONTACTS_PER_STEP = 5 * SCAN_PAGE;
/**
 * A part whose step moved on this long ago without a next message is resumed by a redelivery.
 * Shorter than the queue's visibility timeout (a wiring test checks), so the redelivery of a
 * message whose worker crashed after writing its step always finds the part stalled.
 */
export const STALL_MS = 60_000;

/**
 * Queue consumer: advances one part of a count by up to CONTACTS_PER_STEP contacts.
 * 1. A message for a step the part has passed is a redelivery: ignored, unless the part stalled
 *    (its next message was lost in a crash), in which case it is re-sent.
 * 2. Evaluate pages from the part's cursor; write the new totals on condition that the part is
 *    still at this step, so a page is never counted twice; then queue the next step.
 */
export async function countSegmentStep(
  deps: Pick<Deps, 'segments' | 'contacts' | 'settings' | 'queue' | 'now'>,
  message: { tenantId: string; countId: string; part: number; step: number },
): Promise<void> {
  const { tenantId, countId, part } = message;
  const found = await deps.segments.getCount(tenantId, countId);
  if (!found) return; // the job is gone
  const current = found.parts.find((p) => p.part === part);
  if (current?.done) return;
  const step = current?.step ?? 0;
  if (step !== message.step) {
    const stalled = current !== undefined && step === message.step + 1 && deps.now().getTime() - Date.parse(current.updatedAt) > STALL_MS;
    if (stalled) await deps.queue.send('segment-count', { ...message, step });
    return;
  }
  const matches = compileRule(
    found.job.rule,
    await evalContext(deps, tenantId, new Date(found.job.at), new Map(Object.entries(found.job.segments))),
  );
  const totals = {
    scanned: current?.scanned ?? 0,
    count: current?.count ?? 0,
    reachableEmail: current?.reachableEmail ?? 0,
    reachableSms: current?.reachableSms ?? 0,
  };
  let cursor = current?.cursor;
  let read = 0;
  do {
    const page = await deps.contacts.scanRange(tenantId, part, found.job.parts, SCAN_PAGE, cursor);
    for (const item of page.items) {
      totals.scanned++;
      if (!matches(item)) continue;
      totals.count++;
      if (reachable(item, 'email')) totals.reachableEmail++;
      if (reachable(item, 'sms')) totals.reachableSms++;
    }
    read += page.items.length;
    cursor = page.cursor;
  } while (cursor && read < CONTACTS_PER_STEP);
  const next = { part, step: step + 1, ...(cursor ? { cursor } : {}), done: !cursor, ...totals, updatedAt: deps.now().toISOString() };
  if ((await deps.segments.advancePart(tenantId, countId, next)) && !next.done) {
    await deps.queue.send('segment-count', { ...message, step: step + 1 });
  }
}
