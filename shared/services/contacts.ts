/** Contact use cases: upsert by identifier, patch, read, search, export and erase. */
import { chooseNewContactId } from '../domain/contact-id.ts';
import {
  emptyContact,
  identitiesOf,
  identityKey,
  mergeContact,
  type ConsentEvent,
  type Contact,
  type ContactPatch,
  type ContactUpsert,
} from '../domain/contact.ts';
import { claimKeyOf, recipientKey, recipientOfClaim } from '../domain/campaign.ts';
import { ConcurrentChange, Conflict, NotFound, ValidationFailed } from '../domain/errors.ts';
import type { ContactExport } from '../domain/export.ts';
import type { Caller, Deps, Page } from '../runtime/ports.ts';

/**
 * What the contact use cases use. `settings` is needed to write topic consent only: the topics
 * named must be the workspace's (a typo would otherwise be kept, and count for nothing).
 */
export type ContactDeps = Pick<Deps, 'contacts' | 'now'> & Partial<Pick<Deps, 'settings'>>;

export interface UpsertOutcome {
  contact: Contact;
  created: boolean;
  changed: boolean;
}

/**
 * Creates or updates the contact that the request's identifiers point to.
 * 1. Look up every identifier; two different owners is a conflict.
 * 2. No owner: the contact id is derived from the strongest identifier, so a retry converges.
 * 3. Claim each identifier not yet held (conditional put), then write the contact with an
 *    optimistic version check. A crash between the two leaves a claim that a retry reuses.
 */
export async function upsertContact(deps: ContactDeps, caller: Caller, input: ContactUpsert, source = 'api'): Promise<UpsertOutcome> {
  await checkTopicNames(deps, caller.tenantId, input.topics);
  return retryOnConcurrentChange(() => upsertOnce(deps, caller.tenantId, input, source));
}

async function upsertOnce(deps: ContactDeps, tenantId: string, input: ContactUpsert, source: string): Promise<UpsertOutcome> {
  const identities = identitiesOf(input);
  const claimed = await deps.contacts.findManyByIdentity(tenantId, identities);
  const owners = new Set(claimed.values());
  if (owners.size > 1) {
    throw new Conflict('the identifiers given belong to different contacts', { contactIds: [...owners] });
  }
  // Remember what was read while choosing an id, so the chosen contact is not read twice.
  const read = new Map<string, Contact | undefined>();
  const lookup = async (id: string) => {
    if (!read.has(id)) read.set(id, await deps.contacts.get(tenantId, id));
    return read.get(id);
  };
  const contactId = [...owners][0] ?? (await chooseNewContactId(tenantId, identities, lookup));
  const current = (await lookup(contactId)) ?? emptyContact(contactId, deps.now().toISOString());
  return applyPatch(deps, tenantId, current, input, source);
}

/** Changes a known contact; new identifiers must be free, replaced ones are released. */
export async function patchContact(deps: ContactDeps, caller: Caller, contactId: string, patch: ContactPatch): Promise<Contact> {
  await checkTopicNames(deps, caller.tenantId, patch.topics);
  return retryOnConcurrentChange(async () => {
    const current = await deps.contacts.get(caller.tenantId, contactId);
    if (!current) throw new NotFound(`contact ${contactId}`);
    return (await applyPatch(deps, caller.tenantId, current, patch, 'api')).contact;
  });
}

/** Every topic a change names is one of the workspace's (400 naming each that is not). */
async function checkTopicNames(deps: ContactDeps, tenantId: string, topics: Record<string, unknown> | undefined): Promise<void> {
  const names = Object.keys(topics ?? {});
  if (names.length === 0) return;
  if (!deps.settings) throw new Error('writing topic consent needs the settings port');
  const known = new Set(((await deps.settings.sending(tenantId)).topics ?? []).map((t) => t.name));
  const issues = names
    .filter((name) => !known.has(name))
    .map((name) => ({ field: `body.topics.${name}`, message: `names no topic of the workspace; topics are in PUT /settings/sending` }));
  if (issues.length > 0) throw new ValidationFailed(issues);
}

/**
 * A contact changed between our read and our conditional write: read it again and re-apply,
 * a few times, before telling the caller (409) to retry.
 */
async function retryOnConcurrentChange<T>(attempt: () => Promise<T>, attempts = 4): Promise<T> {
  for (let i = 1; ; i++) {
    try {
      return await attempt();
    } catch (error) {
      if (!(error instanceof ConcurrentChange) || i >= attempts) throw error;
      await new Promise((resolve) => setTimeout(resolve, 5 * i * Math.random()));
    }
  }
}

async function applyPatch(
  deps: ContactDeps,
  tenantId: string,
  current: Contact,
  patch: ContactPatch,
  source: string,
): Promise<UpsertOutcome> {
  const { contact, changed, consentEvents } = mergeContact(current, patch, deps.now().toISOString(), source);
  if (!changed) return { contact, created: false, changed: false };
  await persistChange(deps, tenantId, current, contact, consentEvents);
  return { contact, created: current.version === 0, changed: true };
}

/**
 * Writes `after` over `before` (a fresh contact has version 0 and no identifiers): claims the
 * identifiers it gains, writes it with a version check, then releases the ones it lost. Throws
 * Conflict if an identifier is taken, ConcurrentChange if the contact changed since it was read.
 */
export async function persistChange(
  deps: Pick<Deps, 'contacts'>,
  tenantId: string,
  before: Contact,
  after: Contact,
  events: ConsentEvent[],
): Promise<void> {
  const held = new Set(identitiesOf(before).map(identityKey));
  for (const identity of identitiesOf(after)) {
    if (!held.has(identityKey(identity))) await deps.contacts.claimIdentity(tenantId, identity, after.contactId);
  }
  await deps.contacts.save(tenantId, after, before.version);
  await deps.contacts.appendConsentEvents(
    tenantId,
    events.map((event) => ({ contactId: after.contactId, event })),
  );
  for (const old of identitiesOf(before)) {
    if (after[old.kind] !== old.value) await deps.contacts.releaseIdentity(tenantId, old, after.contactId);
  }
  // A suppression belongs to an address: a new address clears the channel's flag (the senders
  // still check the suppression list for the new address itself).
  if (before.email !== undefined && after.email !== before.email)
    await deps.contacts.setSuppressed(tenantId, after.contactId, 'email', false);
  if (before.phone !== undefined && after.phone !== before.phone)
    await deps.contacts.setSuppressed(tenantId, after.contactId, 'sms', false);
}

export async function getContact(deps: Pick<Deps, 'contacts'>, caller: Caller, contactId: string): Promise<Contact> {
  const contact = await deps.contacts.get(caller.tenantId, contactId);
  if (!contact) throw new NotFound(`contact ${contactId}`);
  return contact;
}

export interface ContactQuery {
  limit: number;
  cursor?: string;
  /** Prefix of a (lower-cased) email address. */
  email?: string;
  /** Prefix of an E.164 number, starting with +. */
  phone?: string;
}

/** Lists contacts in id order, or those whose email or phone starts with a prefix. */
export async function listContacts(deps: Pick<Deps, 'contacts'>, caller: Caller, query: ContactQuery): Promise<Page<Contact>> {
  const { tenantId } = caller;
  if (query.email === undefined && query.phone === undefined) return deps.contacts.list(tenantId, query.limit, query.cursor);
  const [kind, prefix] =
    query.email !== undefined ? (['email', query.email.toLowerCase()] as const) : (['phone', query.phone ?? ''] as const);
  const page = await deps.contacts.searchIdentities(tenantId, kind, prefix, query.limit, query.cursor);
  const found = await deps.contacts.getMany(tenantId, page.items);
  return { items: page.items.flatMap((id) => found.get(id) ?? []), cursor: page.cursor };
}

/** Everything Herald holds about one contact (GDPR art. 15 / 20), read from its partition. */
export async function exportContact(deps: ContactDeps & Pick<Deps, 'sends'>, caller: Caller, contactId: string): Promise<ContactExport> {
  const { profile, consentHistory, listIds, events, aggregates } = await deps.contacts.contents(caller.tenantId, contactId);
  if (!profile) throw new NotFound(`contact ${contactId}`);
  return {
    contact: profile,
    consentHistory,
    lists: listIds,
    events,
    ...(aggregates ? { aggregates } : {}),
    messages: await messageTimeline(deps, caller.tenantId, contactId),
    exportedAt: deps.now().toISOString(),
  };
}

/** The campaign messages a contact was sent: its send log names the campaigns, their records say what happened. */
async function messageTimeline(deps: Pick<Deps, 'sends'>, tenantId: string, contactId: string): Promise<ContactExport['messages']> {
  const log = (await deps.sends.sendLogs(tenantId, [contactId])).get(contactId);
  const claims = Object.entries(log?.claims ?? {}).sort(([, a], [, b]) => a - b);
  const records = await Promise.all(
    claims.map(async ([claim]) => {
      const { campaignId, key } = recipientOfClaim(claim, contactId);
      return (await deps.sends.getMany(tenantId, campaignId, [key])).get(key);
    }),
  );
  return records.flatMap((r) =>
    r
      ? [
          {
            campaignId: r.campaignId,
            status: r.status,
            ...Object.fromEntries(
              (
                [
                  'channel',
                  'variant',
                  'sentAt',
                  'deliveredAt',
                  'bouncedAt',
                  'complainedAt',
                  'openedAt',
                  'clickedAt',
                  'unsubscribedAt',
                ] as const
              )
                .filter((k) => r[k] !== undefined)
                .map((k) => [k, r[k]]),
            ),
          },
        ]
      : [],
  );
}

/**
 * Erases a contact (GDPR art. 17): identifiers first, so no new write can find it, then every
 * item in its partition, then the counts of the lists it was in. Repeating it is harmless.
 */
export async function eraseContact(deps: Pick<Deps, 'contacts' | 'lists' | 'sends'>, caller: Caller, contactId: string): Promise<void> {
  const { tenantId } = caller;
  const { profile, listIds, firings, itemKeys } = await deps.contacts.contents(tenantId, contactId);
  if (itemKeys.length === 0) throw new NotFound(`contact ${contactId}`);
  for (const identity of identitiesOf(profile ?? {})) await deps.contacts.releaseIdentity(tenantId, identity, contactId);
  // The messages it was sent keep their place in the campaigns' counts, but not their link
  // targets nor a trigger's data (the order, the recommendations): found through its send log
  // and its firings (a triggered record that was never sent has no claim), before those go too.
  const log = (await deps.sends.sendLogs(tenantId, [contactId])).get(contactId);
  const records = new Map<string, { campaignId: string; key: string }>();
  for (const claim of Object.keys(log?.claims ?? {})) records.set(claim, recipientOfClaim(claim, contactId));
  for (const f of firings)
    records.set(claimKeyOf(f.campaignId, recipientKey(contactId, f.firingId)), {
      campaignId: f.campaignId,
      key: recipientKey(contactId, f.firingId),
    });
  for (const { campaignId, key } of records.values()) await deps.sends.forgetPersonalData(tenantId, campaignId, key);
  await deps.contacts.deleteKeys(itemKeys);
  await deps.lists.forgetMember(tenantId, listIds);
}
