/**
 * Event ingestion: POST /events and the EventBridge rules both come here.
 *
 * Idempotent without transactions. Each event is stored in its contact's partition with a
 * conditional put on its eventId (a repeat is a 'duplicate'); then the contact's aggregates are
 * folded again from all its stored events and written on condition that no fold of at least as
 * many events is already there. A crash between the two writes leaves an event whose effect is
 * missing; the retry finds the event a duplicate but folds again, so nothing counts twice and
 * nothing is lost.
 */
import { identitiesOf, identityKey, type Identity } from '../domain/contact.ts';
import {
  parseEvent,
  type StoredEvent,
  toStoredEvent,
  type BusEvent,
  type EventBatchResult,
  type EventOutcome,
  type IncomingEvent,
} from '../domain/event.ts';
import { DomainError, ValidationFailed, type FieldIssue } from '../domain/errors.ts';
import { TenantId } from '../domain/tenant.ts';
import { HttpEnv, loadEnv } from '../config/env.ts';
import { type Aggregates, foldEvents } from '../domain/value.ts';
import { mapConcurrent } from '../lib/concurrency.ts';
import type { Caller, Deps } from '../runtime/ports.ts';
import { upsertContact } from './contacts.ts';
import { onEvents } from './triggers.ts';
import { publishConversions } from './conversions.ts';
import { countConversions, mayConvert } from './attribution.ts';
import { contactOfReferralCode } from '../domain/nps.ts';
import type { Campaign } from '../domain/campaign.ts';

export type EventDeps = Pick<
  Deps,
  'contacts' | 'events' | 'settings' | 'triggers' | 'campaigns' | 'segments' | 'sends' | 'webhooks' | 'queue' | 'evaluation' | 'now'
>;

interface Valid {
  index: number;
  event: IncomingEvent;
}

/**
 * Ingests a batch; every event gets its own outcome and good events are kept whatever the others.
 * 1. Validate each event (errors name `body.events.<i>.<field>`).
 * 2. Resolve each to a contact: by contactId (must exist), or by identifier (an unknown one
 *    creates a prospect with consent `unknown`).
 * 3. Per contact: store its events (conditional on eventId), then fold and save its aggregates.
 */
export async function ingestEvents(deps: EventDeps, caller: Caller, raw: unknown[], path = 'body.events'): Promise<EventBatchResult> {
  const { tenantId } = caller;
  const now = deps.now();
  const outcomes: EventOutcome[] = raw.map((_, index) => ({ index, status: 'rejected' }));
  const valid: Valid[] = [];
  raw.forEach((item, index) => {
    const parsed = parseEvent(item, `${path}.${index}`, now);
    if (parsed.ok) valid.push({ index, event: parsed.event });
    else outcomes[index] = { index, status: 'rejected', ...eventIdOf(item), errors: parsed.issues };
  });

  const resolved = await resolveContacts(deps, caller, valid, path);
  const byContact = new Map<string, Valid[]>();
  for (const v of valid) {
    const r = resolved.get(v.index);
    if (!r || 'issues' in r) {
      outcomes[v.index] = { index: v.index, eventId: v.event.eventId, status: 'rejected', errors: r?.issues ?? [] };
      continue;
    }
    byContact.set(r.contactId, [...(byContact.get(r.contactId) ?? []), v]);
    outcomes[v.index] = {
      index: v.index,
      eventId: v.event.eventId,
      status: 'accepted',
      contactId: r.contactId,
      ...(r.created ? { createdContact: true } : {}),
    };
  }

  const receivedAt = now.toISOString();
  // The workspace's active triggers, read once per batch (most batches start nothing).
  const triggers = byContact.size > 0 ? await deps.triggers.active(tenantId) : [];
  // The campaigns an event may count for (the evaluation's conversions), also read once per batch.
  const started = valid.some((v) => mayConvert(v.event)) ? await deps.evaluation.started(tenantId) : [];
  await mapConcurrent([...byContact], 16, async ([contactId, events]) => {
    const stored = events.map(({ event }) => toStoredEvent(event, receivedAt));
    for (const [i, { index }] of events.entries()) {
      const status = await deps.events.put(tenantId, contactId, stored[i] as StoredEvent);
      if (status === 'duplicate') (outcomes[index] as EventOutcome).status = 'duplicate';
    }
    const batch = { ids: new Set(stored.map((e) => e.eventId)), receivedAt };
    const { aggregates, before, events: history } = await refreshAggregates(deps, tenantId, contactId, batch);
    // Duplicates too: a retry after a crash before this point still starts what the first try did not.
    await onEvents(deps, tenantId, contactId, stored, triggers, aggregates, before);
    await creditReferrals(deps, tenantId, contactId, stored, triggers);
    // A webhook per fact when it is first recorded: a retried event publishes nothing again.
    await publishConversions(
      deps,
      tenantId,
      contactId,
      stored.filter((_, i) => (outcomes[(events[i] as Valid).index] as EventOutcome).status === 'accepted'),
    );
    // Replays too: what was counted is not counted again, and a count a crash interrupted is finished.
    // A replay counts as first stored (a retry without `at` would otherwise carry the retry's time).
    const asStored = new Map(history.map((e) => [e.eventId, e]));
    await countConversions(
      deps,
      tenantId,
      contactId,
      stored.map((e) => asStored.get(e.eventId) ?? e),
      history,
      started,
    );
  });
  if (byContact.size > 0) await deps.settings.registerTenant(tenantId);

  const counted = (status: EventOutcome['status']) => outcomes.filter((o) => o.status === status).length;
  return { accepted: counted('accepted'), duplicates: counted('duplicate'), rejected: counted('rejected'), results: outcomes };
}

/**
 * A purchase made with a promoter's referral code credits the promoter: a `referral_credited`
 * event on the promoter (its id derives from the purchase: once per purchase, also on a retry).
 * A code is honoured only for the contact that was given it, never for the buyer's own.
 */
async function creditReferrals(deps: EventDeps, tenantId: string, buyerId: string, events: StoredEvent[], triggers: Campaign[]) {
  for (const e of events) {
    if (e.type !== 'purchase' || !e.referralCode) continue;
    const referrerId = contactOfReferralCode(e.referralCode);
    if (!referrerId || referrerId === buyerId) continue;
    const referrer = await deps.contacts.get(tenantId, referrerId);
    if (referrer?.attributes.referralCode !== e.referralCode.trim().toUpperCase()) continue;
    const credit: StoredEvent = {
      eventId: `referral:${buyerId}:${e.eventId}`,
      type: 'referral_credited',
      at: e.at,
      receivedAt: e.receivedAt,
      properties: { referredContactId: buyerId, orderId: e.orderId ?? '', total: e.total ?? 0, currency: e.currency ?? '' },
    };
    await deps.events.put(tenantId, referrerId, credit);
    const { aggregates, before } = await refreshAggregates(deps, tenantId, referrerId, {
      ids: new Set([credit.eventId]),
      receivedAt: credit.receivedAt,
    });
    await onEvents(deps, tenantId, referrerId, [credit], triggers, aggregates, before);
  }
}

/** Folds a contact's aggregates from all its stored events and saves them unless a newer fold is there. */
export async function refreshAggregates(
  deps: Pick<Deps, 'contacts' | 'events'>,
  tenantId: string,
  contactId: string,
  batch?: { ids: ReadonlySet<string>; receivedAt: string },
): Promise<{ aggregates: Aggregates; before: Aggregates; events: StoredEvent[] }> {
  const events = await deps.events.forContact(tenantId, contactId);
  const aggregates = foldEvents(events);
  await deps.contacts.saveAggregates(tenantId, contactId, aggregates);
  // As they stood before this batch (segment triggers tell an entry by it): a fold in memory of the
  // events received before it, so a concurrent batch's events do not count as "before" either.
  const before = batch ? foldEvents(events.filter((e) => !batch.ids.has(e.eventId) && e.receivedAt < batch.receivedAt)) : aggregates;
  return { aggregates, before, events };
}

/** Splits events into groups connected by shared identifiers (union-find over identifier keys), each in batch order. */
function groupsSharingIdentifiers(events: Valid[]): Valid[][] {
  const parent = new Map<string, string>();
  const find = (k: string): string => {
    const p = parent.get(k) ?? k;
    if (p === k) return k;
    const root = find(p);
    parent.set(k, root);
    return root;
  };
  for (const v of events) {
    const [first, ...rest] = identitiesOf(v.event).map(identityKey);
    for (const k of rest) parent.set(find(k), find(first as string));
  }
  const groups = new Map<string, Valid[]>();
  for (const v of events) {
    const root = find(identityKey(identitiesOf(v.event)[0] as Identity));
    groups.set(root, [...(groups.get(root) ?? []), v]);
  }
  return [...groups.values()];
}

const eventIdOf = (item: unknown) => {
  const id = item !== null && typeof item === 'object' ? (item as { eventId?: unknown }).eventId : undefined;
  return typeof id === 'string' ? { eventId: id } : {};
};

type Resolution = { contactId: string; created: boolean } | { issues: FieldIssue[] };

async function resolveContacts(deps: EventDeps, caller: Caller, valid: Valid[], path: string): Promise<Map<number, Resolution>> {
  const { tenantId } = caller;
  const out = new Map<number, Resolution>();
  const byId = valid.filter((v) => v.event.contactId !== undefined);
  const known = await deps.contacts.getMany(tenantId, [...new Set(byId.map((v) => v.event.contactId as string))]);
  for (const v of byId) {
    out.set(
      v.index,
      known.has(v.event.contactId as string)
        ? { contactId: v.event.contactId as string, created: false }
        : { issues: [{ field: `${path}.${v.index}.contactId`, message: 'names no contact' }] },
    );
  }

  const byIdentity = valid.filter((v) => v.event.contactId === undefined);
  const owners = await deps.contacts.findManyByIdentity(
    tenantId,
    byIdentity.flatMap((v) => identitiesOf(v.event)),
  );
  const conflict = (v: Valid, message = 'the identifiers given belong to different contacts'): Resolution => ({
    issues: [{ field: `${path}.${v.index}.${(identitiesOf(v.event)[0] as Identity).kind}`, message }],
  });
  const unknown: Valid[] = [];
  for (const v of byIdentity) {
    const holders = new Set(identitiesOf(v.event).flatMap((i) => owners.get(identityKey(i)) ?? []));
    if (holders.size > 1) out.set(v.index, conflict(v));
    else if (holders.size === 1) out.set(v.index, { contactId: [...holders][0] as string, created: false });
    else unknown.push(v);
  }
  // Unknown identifiers: a prospect each (consent unknown). Events that share any identifier
  // are one group, handled in batch order, each looking again at who holds its identifiers, so
  // two events about one new person make one contact; groups share nothing and run in parallel.
  // The id derives from the identifier, so a retried batch lands on the same contact.
  await mapConcurrent(groupsSharingIdentifiers(unknown), 8, async (group) => {
    for (const [k, v] of group.entries()) {
      const identities = identitiesOf(v.event);
      // The batch-wide lookup holds for the group's first event; later ones look again.
      const holders = k === 0 ? new Set<string>() : new Set((await deps.contacts.findManyByIdentity(tenantId, identities)).values());
      if (holders.size > 1) {
        out.set(v.index, conflict(v));
        continue;
      }
      if (holders.size === 1) {
        out.set(v.index, { contactId: [...holders][0] as string, created: false });
        continue;
      }
      try {
        const { contact, created } = await upsertContact(
          deps,
          caller,
          Object.fromEntries(identities.map((i) => [i.kind, i.value])),
          'event',
        );
        out.set(v.index, { contactId: contact.contactId, created });
      } catch (error) {
        if (!(error instanceof DomainError) || error.statusCode >= 500) throw error;
        out.set(v.index, conflict(v, error.message));
      }
    }
  });
  return out;
}

/**
 * One event from the bus. A rejected event throws, so the bus retries it and then sends it to
 * the rule's dead-letter queue, where an operator sees it; a duplicate is a success.
 */
export async function ingestBusEvent(
  deps: EventDeps,
  detail: BusEvent,
  type: 'purchase' | 'refund' | undefined,
  defaultTenant = loadEnv(HttpEnv).DEFAULT_TENANT,
) {
  const { tenantId = defaultTenant, ...event } = detail;
  const tenant = TenantId.safeParse(tenantId);
  if (!tenant.success) throw new ValidationFailed([{ field: 'detail.tenantId', message: tenant.error.issues[0]?.message ?? 'invalid' }]);
  // A Custom Event is never a purchase or refund: those have detail-types (and rules) of their own.
  if (type === undefined && (event.type === 'purchase' || event.type === 'refund')) {
    throw new ValidationFailed([
      {
        field: 'detail.type',
        message: `a ${event.type} is sent with the ${event.type === 'purchase' ? 'Purchase' : 'Refund'} detail-type`,
      },
    ]);
  }
  const result = await ingestEvents(deps, { tenantId: tenant.data }, [type ? { ...event, type } : event], 'detail');
  const outcome = result.results[0] as EventOutcome;
  if (outcome.status === 'rejected')
    throw new ValidationFailed((outcome.errors ?? []).map((e) => ({ ...e, field: e.field.replace(/^detail\.0/, 'detail') })));
  return outcome;
}
