import { describe, expect, it } from 'vitest';
import { ValidationFailed } from '../../../shared/domain/errors.ts';
import { decodeCursor, encodeCursor, gsi1, keys } from '../../../shared/db/keys.ts';
import { mapConcurrent } from '../../../shared/lib/concurrency.ts';

describe('keys', () => {
  it('puts the tenant first in every partition key and keeps a contact together', () => {
    const k = { tenantId: 'acme', contactId: 'ct_1' };
    expect(keys.contact(k)).toEqual({ pk: 'T#acme#CONTACT#ct_1', sk: 'PROFILE' });
    expect(keys.membership({ ...k, listId: 'ls_1' }).pk).toBe(keys.contact(k).pk);
    expect(keys.consentEvent({ ...k, at: '2026-01-01T00:00:00.000Z', channel: 'email' }).pk).toBe(keys.contact(k).pk);
    expect(keys.identity({ tenantId: 'acme', kind: 'email', value: 'a@b.c' }).pk).toBe('T#acme#IDENT#email#a@b.c');
    expect(gsi1.members({ tenantId: 'acme', listId: 'ls_1', contactId: 'ct_1' }).gsi1pk).toBe(
      gsi1.membersPartition({ tenantId: 'acme', listId: 'ls_1' }),
    );
  });

  it('pads row numbers so import errors sort in row order', () => {
    const a = keys.importError({ tenantId: 't', jobId: 'j', row: 9, field: 'email' }).sk;
    const b = keys.importError({ tenantId: 't', jobId: 'j', row: 10, field: 'email' }).sk;
    expect(a < b).toBe(true);
  });
});

describe('cursors', () => {
  const partition = { field: 'gsi1pk' as const, value: 'T#acme#CONTACTS' };

  it('round-trip for the listing they came from', () => {
    const last = { gsi1pk: 'T#acme#CONTACTS', gsi1sk: 'ct_9', pk: 'T#acme#CONTACT#ct_9', sk: 'PROFILE' };
    expect(decodeCursor(encodeCursor(last), partition)).toEqual(last);
    expect(decodeCursor(undefined, partition)).toBeUndefined();
  });

  it.each([
    ['not base64 JSON', 'garbage!'],
    ['another tenant', encodeCursor({ gsi1pk: 'T#other#CONTACTS', gsi1sk: 'x' })],
    ['non-string values', encodeCursor({ gsi1pk: 'T#acme#CONTACTS', gsi1sk: { S: 'x' } })],
  ])('refuse %s', (_why, cursor) => {
    expect(() => decodeCursor(cursor, partition)).toThrow(ValidationFailed);
  });

  it('must stay inside a prefix search', () => {
    const search = { ...partition, sortPrefix: { field: 'gsi1sk' as const, prefix: 'ada' } };
    expect(() => decodeCursor(encodeCursor({ gsi1pk: 'T#acme#CONTACTS', gsi1sk: 'bob@x' }), search)).toThrow(ValidationFailed);
    expect(decodeCursor(encodeCursor({ gsi1pk: 'T#acme#CONTACTS', gsi1sk: 'ada@x' }), search)).toBeTruthy();
  });
});

describe('mapConcurrent', () => {
  it('keeps order and never runs more than the limit at once', async () => {
    let running = 0;
    let peak = 0;
    const out = await mapConcurrent([5, 1, 4, 2, 3], 2, async (n) => {
      running++;
      peak = Math.max(peak, running);
      await new Promise((resolve) => setTimeout(resolve, n));
      running--;
      return n * 10;
    });
    expect(out).toEqual([50, 10, 40, 20, 30]);
    expect(peak).toBe(2);
  });
});
