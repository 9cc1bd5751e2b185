/**
 * The workspace suppression list: add (by hand, or from a hard bounce or complaint), remove,
 * list. The contact that holds the address gets its channel marked suppressed, so audiences
 * leave it out; the senders also check the list itself for every address they send to.
 */
import type { Channel } from '../domain/contact.ts';
import { NotFound, ValidationFailed } from '../domain/errors.ts';
import { AddSuppression, normaliseAddress, type Suppression } from '../domain/suppression.ts';
import type { Caller, Deps, Page } from '../runtime/ports.ts';

type SuppressionDeps = Pick<Deps, 'suppressions' | 'contacts' | 'now'>;

const kindOf = (channel: Channel) => (channel === 'email' ? 'email' : 'phone');

async function markContact(deps: SuppressionDeps, tenantId: string, channel: Channel, address: string, suppressed: boolean) {
  const owners = await deps.contacts.findManyByIdentity(tenantId, [{ kind: kindOf(channel), value: address }]);
  for (const contactId of owners.values()) await deps.contacts.setSuppressed(tenantId, contactId, channel, suppressed);
}

/** Adds an address (idempotent: a second add keeps the first entry); `added` says whether it is new. */
export async function addSuppression(
  deps: SuppressionDeps,
  caller: Caller,
  input: AddSuppression,
  defaultSource = 'api',
): Promise<{ suppression: Suppression; added: boolean }> {
  const parsed = AddSuppression.parse(input);
  const suppression: Suppression = {
    channel: parsed.channel,
    address: parsed.address,
    reason: parsed.reason,
    source: parsed.source ?? defaultSource,
    at: deps.now().toISOString(),
  };
  const added = await deps.suppressions.add(caller.tenantId, suppression);
  // Marked even on a repeat: a contact created since (or a crash after the add) is marked now.
  await markContact(deps, caller.tenantId, suppression.channel, suppression.address, true);
  // A repeat answers with the entry as stored (the first one is kept).
  const stored = added ? suppression : await deps.suppressions.get(caller.tenantId, suppression.channel, suppression.address);
  return { suppression: stored ?? suppression, added };
}

export async function removeSuppression(deps: SuppressionDeps, caller: Caller, channel: Channel, address: string): Promise<void> {
  const normalised = normaliseAddress(channel, address);
  if (!normalised)
    throw new ValidationFailed([
      { field: 'path.address', message: `is not ${channel === 'email' ? 'an email address' : 'an E.164 phone number'}` },
    ]);
  if (!(await deps.suppressions.remove(caller.tenantId, channel, normalised))) throw new NotFound(`suppression of ${normalised}`);
  await markContact(deps, caller.tenantId, channel, normalised, false);
}

export async function listSuppressions(
  deps: Pick<Deps, 'suppressions'>,
  caller: Caller,
  query: { channel: Channel; limit: number; cursor?: string | undefined },
): Promise<Page<Suppression>> {
  return deps.suppressions.list(caller.tenantId, query.channel, query.limit, query.cursor);
}
