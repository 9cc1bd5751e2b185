import { describe, expect, it } from 'vitest';
import { ColumnMapping, mapRow, resolveMapping } from '../../../shared/domain/import.ts';

describe('resolveMapping', () => {
  it('maps field-named columns to fields, others to attributes, and keeps explicit entries', () => {
    const mapping = resolveMapping(['email', 'Phone Number', 'spend', 'email_consent', 'bad-name'], {
      'Phone Number': 'phone',
      spend: 'attributes.spend:number',
    });
    expect(mapping).toEqual({
      email: 'email',
      'Phone Number': 'phone',
      spend: 'attributes.spend:number',
      email_consent: 'consent.email',
      'bad-name': 'ignore',
    });
  });

  it('rejects targets that are not fields, consent channels or attributes', () => {
    expect(ColumnMapping.safeParse({ a: 'password' }).success).toBe(false);
    expect(ColumnMapping.safeParse({ a: 'attributes.x:date' }).success).toBe(false);
  });
});

describe('mapRow', () => {
  const mapping = resolveMapping(['email', 'phone', 'spend', 'vip', 'email_consent', 'note'], {
    spend: 'attributes.spend:number',
    vip: 'attributes.vip:boolean',
  });

  it('builds a validated upsert with typed attributes and consent from the import source', () => {
    const result = mapRow(
      { email: 'A@Example.com', phone: '+44 7700 900123', spend: '12.50', vip: 'yes', email_consent: 'opt-in', note: 'hi' },
      mapping,
      'import:x',
    );
    expect(result).toEqual({
      ok: true,
      upsert: {
        email: 'a@example.com',
        phone: '+447700900123',
        attributes: { spend: 12.5, vip: true, note: 'hi' },
        consent: { email: { status: 'subscribed', source: 'import:x' } },
      },
    });
  });

  it('treats empty cells as not given', () => {
    const result = mapRow({ email: 'a@example.com', phone: '', spend: ' ', vip: '', email_consent: '', note: '' }, mapping, 's');
    expect(result).toEqual({ ok: true, upsert: { email: 'a@example.com' } });
  });

  it('names the CSV column of every bad cell', () => {
    const result = mapRow({ email: 'nope', phone: '12', spend: 'lots', vip: 'maybe', email_consent: 'sure' }, mapping, 's');
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors.map((e) => e.field).sort()).toEqual(['email_consent', 'spend', 'vip']);

    const second = mapRow({ email: 'nope', phone: '12' }, mapping, 's');
    expect(second.ok ? [] : second.errors.map((e) => e.field).sort()).toEqual(['email', 'phone']);
  });

  it('fails a row with no identifier', () => {
    const result = mapRow({ note: 'orphan' }, mapping, 's');
    expect(result).toMatchObject({ ok: false, errors: [{ field: 'email', message: 'one of email, phone or externalId is required' }] });
  });
});
