/**
 * Contacts, their identity claims and consent history in DynamoDB. Speaks domain types; every
 * key comes from keys.ts and every item read back is parsed with its zod schema.
 */
import { DeleteCommand, GetCommand, PutCommand, QueryCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { ConsentEvent, Contact, ContactFields, consentSlot, identityKey, type Identity, type IdentityKind } from '../domain/contact.ts';
import { Aggregates } from '../domain/value.ts';
import { StoredEvent } from '../domain/event.ts';
import { Firing } from '../domain/trigger.ts';
import { ConcurrentChange, Conflict } from '../domain/errors.ts';
import { batchGet, batchWrite, ifConditionFails, queryAll, queryPage, toItem, withoutKeys, type Item, type Page } from './client.ts';
import { IdentityItem, ItemKey, MembershipItem } from './items.ts';
import { contactRange, decodeCursor, encodeCursor, gsi1, keys } from './keys.ts';
import { TABLE_KEYS } from './table.ts';
import type { ContactContents, ContactStore } from '../runtime/ports.ts';

/** Profile fields a contact may lack; an update removes them when the contact no longer has them. */
const PROFILE_OPTIONAL_FIELDS = ContactFields.keyof().options;

export function createContactRepo(doc: DynamoDBDocumentClient, table: string): ContactStore {
  const contactItem = (tenantId: string, contact: Contact): Item =>
    toItem(
      'contact',
      tenantId,
      { ...keys.contact({ tenantId, contactId: contact.contactId }), ...gsi1.contacts({ tenantId, contactId: contact.contactId }) },
      contact,
    );
  const identityItem = (tenantId: string, identity: Identity, contactId: string): Item =>
    toItem(
      'identity',
      tenantId,
      { ...keys.identity({ tenantId, ...identity }), ...gsi1.identities({ tenantId, ...identity }) },
      { kind: identity.kind, value: identity.value, contactId },
    );
  const consentItem = (tenantId: string, contactId: string, e: ConsentEvent): Item =>
    toItem('consentEvent', tenantId, keys.consentEvent({ tenantId, contactId, at: e.at, channel: consentSlot(e) }), { contactId, ...e });
  const parseContact = (item: Item | undefined) => (item ? Contact.parse(withoutKeys(item)) : undefined);
  const readPartition = (tenantId: string, contactId: string) =>
    queryAll(doc, table, { partition: keys.contactPartition({ tenantId, contactId }) });

  return {
    /** AP1 */
    async get(tenantId: string, contactId: string): Promise<Contact | undefined> {
      const out = await doc.send(new GetCommand({ TableName: table, Key: keys.contact({ tenantId, contactId }) }));
      return parseContact(out.Item);
    },

    /** AP1 with the value aggregates the item also holds. */
    async getWithAggregates(tenantId: string, contactId: string) {
      const out = await doc.send(new GetCommand({ TableName: table, Key: keys.contact({ tenantId, contactId }) }));
      const contact = parseContact(out.Item);
      return contact ? { contact, ...(out.Item?.value === undefined ? {} : { aggregates: out.Item.value as unknown }) } : undefined;
    },

    /** AP1, many at once (import, list membership checks). */
    async getMany(tenantId: string, contactIds: string[]): Promise<Map<string, Contact>> {
      const items = await batchGet(
        doc,
        table,
        contactIds.map((contactId) => keys.contact({ tenantId, contactId })),
      );
      return new Map(
        items.map((item) => {
          const c = Contact.parse(withoutKeys(item));
          return [c.contactId, c];
        }),
      );
    },

    /** AP1, many at once, as stored (profile, aggregates, lists, suppression), for the campaign senders. */
    async getManyItems(tenantId: string, contactIds: string[]): Promise<Map<string, Record<string, unknown>>> {
      const items = await batchGet(
        doc,
        table,
        contactIds.map((contactId) => keys.contact({ tenantId, contactId })),
      );
      return new Map(items.map((item) => [String(item.contactId), withoutKeys(item)]));
    },

    /** AP2 in bulk: identifier → contact id, for every identifier that is claimed. */
    async findManyByIdentity(tenantId: string, identities: Identity[]): Promise<Map<string, string>> {
      const items = await batchGet(
        doc,
        table,
        identities.map((i) => keys.identity({ tenantId, ...i })),
      );
      return new Map(
        items.map((item) => {
          const claim = IdentityItem.parse(item);
          return [identityKey(claim), claim.contactId];
        }),
      );
    },

    /**
     * Claims an identifier for a contact. Succeeds if it is free or already this contact's
     * (so a retry is harmless); throws Conflict if another contact holds it.
     */
    async claimIdentity(tenantId: string, identity: Identity, contactId: string): Promise<void> {
      await ifConditionFails(
        doc.send(
          new PutCommand({
            TableName: table,
            Item: identityItem(tenantId, identity, contactId),
            ConditionExpression: 'attribute_not_exists(pk) OR contactId = :id',
            ExpressionAttributeValues: { ':id': contactId },
          }),
        ),
        () => {
          throw new Conflict(`${identity.kind} ${identity.value} belongs to another contact`, { field: identity.kind });
        },
      );
    },

    /** Frees an identifier, but only if this contact still holds it. */
    async releaseIdentity(tenantId: string, identity: Identity, contactId: string): Promise<void> {
      await ifConditionFails(
        doc.send(
          new DeleteCommand({
            TableName: table,
            Key: keys.identity({ tenantId, ...identity }),
            ConditionExpression: 'contactId = :id',
            ExpressionAttributeValues: { ':id': contactId },
          }),
        ),
        () => undefined,
      );
    },

    /**
     * Writes a contact if nobody changed it since it was read (optimistic concurrency on
     * `version`); ConcurrentChange otherwise.
     */
    async save(tenantId: string, contact: Contact, readVersion: number): Promise<void> {
      const conflict = () => {
        throw new ConcurrentChange(`contact ${contact.contactId} was changed by someone else; retry`);
      };
      if (readVersion === 0) {
        await ifConditionFails(
          doc.send(
            new PutCommand({ TableName: table, Item: contactItem(tenantId, contact), ConditionExpression: 'attribute_not_exists(pk)' }),
          ),
          conflict,
        );
        return;
      }
      // An update, not a put: the item also holds list ids and value aggregates that other
      // writers keep, and a profile change must not overwrite them.
      const { pk: _pk, sk: _sk, ...fields } = contactItem(tenantId, contact);
      const names = Object.keys(fields);
      const absent = PROFILE_OPTIONAL_FIELDS.filter((f) => contact[f] === undefined);
      await ifConditionFails(
        doc.send(
          new UpdateCommand({
            TableName: table,
            Key: keys.contact({ tenantId, contactId: contact.contactId }),
            UpdateExpression: `SET ${names.map((_, i) => `#f${i} = :f${i}`).join(', ')}${absent.length ? ` REMOVE ${absent.map((_, i) => `#r${i}`).join(', ')}` : ''}`,
            ConditionExpression: 'version = :v',
            ExpressionAttributeNames: {
              ...Object.fromEntries(names.map((n, i) => [`#f${i}`, n])),
              ...Object.fromEntries(absent.map((n, i) => [`#r${i}`, n])),
            },
            ExpressionAttributeValues: { ...Object.fromEntries(names.map((n, i) => [`:f${i}`, fields[n]])), ':v': readVersion },
          }),
        ),
        conflict,
      );
    },

    /**
     * Writes a contact's value aggregates unless a write from at least as many events is
     * already there (events only accumulate, so more events folded means a superset).
     */
    async saveAggregates(tenantId: string, contactId: string, aggregates: Aggregates): Promise<boolean> {
      return ifConditionFails(
        doc
          .send(
            new UpdateCommand({
              TableName: table,
              Key: keys.contact({ tenantId, contactId }),
              UpdateExpression: 'SET #value = :value',
              ConditionExpression: 'attribute_exists(pk) AND (attribute_not_exists(#value) OR #value.eventCount < :n)',
              ExpressionAttributeNames: { '#value': 'value' },
              ExpressionAttributeValues: { ':value': aggregates, ':n': aggregates.eventCount },
            }),
          )
          .then(() => true),
        () => false,
      );
    },

    /** The `suppressed` map's flag for a channel (the map is made on first use; a missing contact is left alone). */
    async setSuppressed(tenantId: string, contactId: string, channel: 'email' | 'sms', suppressed: boolean): Promise<void> {
      const key = keys.contact({ tenantId, contactId });
      for (let attempt = 0; attempt < 3; attempt++) {
        const nested = await ifConditionFails(
          doc
            .send(
              new UpdateCommand({
                TableName: table,
                Key: key,
                UpdateExpression: 'SET suppressed.#ch = :v',
                ConditionExpression: 'attribute_exists(suppressed)',
                ExpressionAttributeNames: { '#ch': channel },
                ExpressionAttributeValues: { ':v': suppressed },
              }),
            )
            .then(() => true),
          () => false,
        );
        if (nested) return;
        const made = await ifConditionFails(
          doc
            .send(
              new UpdateCommand({
                TableName: table,
                Key: key,
                UpdateExpression: 'SET suppressed = :map',
                ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(suppressed)',
                ExpressionAttributeValues: { ':map': { [channel]: suppressed } },
              }),
            )
            .then(() => true),
          () => false,
        );
        if (made) return;
        const exists = await doc.send(new GetCommand({ TableName: table, Key: key, ProjectionExpression: 'pk' }));
        if (!exists.Item) return; // erased: nothing to mark
      }
    },

    /** AP13 one page of the contact items in one range of the contacts index, raw, for segment evaluation. */
    async scanRange(tenantId: string, part: number, parts: number, limit: number, cursor?: string): Promise<Page<Item>> {
      const { low, high } = contactRange(part, parts);
      const partition = gsi1.contactsPartition({ tenantId });
      const range = low && high ? ' AND gsi1sk BETWEEN :low AND :high' : low ? ' AND gsi1sk >= :low' : high ? ' AND gsi1sk <= :high' : '';
      const out = await doc.send(
        new QueryCommand({
          TableName: table,
          IndexName: TABLE_KEYS.gsi1.name,
          KeyConditionExpression: `gsi1pk = :pk${range}`,
          ExpressionAttributeValues: { ':pk': partition, ...(low ? { ':low': low } : {}), ...(high ? { ':high': high } : {}) },
          Limit: limit,
          ExclusiveStartKey: decodeCursor(cursor, { field: 'gsi1pk', value: partition }),
        }),
      );
      return { items: out.Items ?? [], cursor: encodeCursor(out.LastEvaluatedKey) };
    },

    /** Appends consent events in 25-item batches. */
    async appendConsentEvents(tenantId: string, events: { contactId: string; event: ConsentEvent }[]): Promise<void> {
      await batchWrite(
        doc,
        table,
        events.map(({ contactId, event }) => ({ put: consentItem(tenantId, contactId, event) })),
      );
    },

    /** AP3 contacts in id order, a page at a time. */
    async list(tenantId: string, limit: number, cursor?: string): Promise<Page<Contact>> {
      const page = await queryPage(doc, table, { on: 'gsi1', partition: gsi1.contactsPartition({ tenantId }), limit, cursor });
      return { items: page.items.map((i) => Contact.parse(withoutKeys(i))), cursor: page.cursor };
    },

    /** AP3b identifiers starting with a prefix, in order, with the contact that holds each. */
    async searchIdentities(tenantId: string, kind: IdentityKind, prefix: string, limit: number, cursor?: string): Promise<Page<string>> {
      const page = await queryPage(doc, table, {
        on: 'gsi1',
        partition: gsi1.identitiesPartition({ tenantId, kind }),
        sortPrefix: prefix,
        limit,
        cursor,
      });
      return { items: page.items.map((i) => IdentityItem.parse(i).contactId), cursor: page.cursor };
    },

    /**
     * AP7 everything in a contact's partition, parsed: the profile, the consent history (oldest
     * first), the lists it belongs to, and every item's key (for erasure).
     */
    async contents(tenantId: string, contactId: string): Promise<ContactContents> {
      const items = await readPartition(tenantId, contactId);
      const profile = items.find((i) => i.entity === 'contact');
      return {
        profile: profile ? Contact.parse(withoutKeys(profile)) : undefined,
        consentHistory: items.filter((i) => i.entity === 'consentEvent').map((i) => ConsentEvent.parse(i)),
        listIds: items.filter((i) => i.entity === 'membership').map((i) => MembershipItem.parse(i).listId),
        events: items
          .filter((i) => i.entity === 'event')
          .map((i) => {
            const { contactId: _c, ...event } = withoutKeys(i);
            return StoredEvent.parse(event);
          }),
        ...(profile?.value === undefined ? {} : { aggregates: Aggregates.parse(profile.value) }),
        firings: items.filter((i) => i.entity === 'firing').map((i) => Firing.parse(withoutKeys(i))),
        itemKeys: items.map((i) => ItemKey.parse(i)),
      };
    },

    /** Deletes items by key in batches (erasure). */
    async deleteKeys(itemKeys: ItemKey[]): Promise<void> {
      await batchWrite(
        doc,
        table,
        itemKeys.map((k) => ({ delete: k })),
      );
    },
  };
}
