/**
 * Contact ids derived from identifiers (SHA-256, so Node-only: node:crypto). Split from
 * contact.ts, which the console imports in the browser.
 */
import type { Contact, Identity } from './contact.ts';
import { derivedId } from './ids.ts';

/**
 * A contact's id is derived from its strongest identifier at creation, so the same create sent
 * twice (a retried request, a re-imported file, a crashed import resumed) lands on the same item
 * instead of making a duplicate.
 */
export function deriveContactId(tenantId: string, identity: Identity, generation = 0): string {
  const parts = [tenantId, identity.kind, identity.value, ...(generation > 0 ? [String(generation)] : [])];
  return derivedId('ct', ...parts);
}

/**
 * Picks the id for a contact none of whose identifiers is claimed yet. The derived id may already
 * belong to someone else: a contact created from this email that later changed address. Such a
 * contact holds none of our identifiers, so the next generation of the id is tried. A contact that
 * does hold one of them is our own half-finished create, and is reused.
 */
export async function chooseNewContactId(
  tenantId: string,
  identities: Identity[],
  lookup: (contactId: string) => Promise<Contact | undefined>,
): Promise<string> {
  const strongest = identities[0];
  if (!strongest) throw new Error('a contact needs at least one identifier');
  for (let generation = 0; ; generation++) {
    const contactId = deriveContactId(tenantId, strongest, generation);
    const existing = await lookup(contactId);
    if (!existing || identities.some((i) => existing[i.kind] === i.value)) return contactId;
  }
}
