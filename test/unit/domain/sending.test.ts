import { describe, expect, it } from 'vitest';
import { inQuietHours, SendingSettings } from '../../../shared/domain/sending.ts';

describe('SendingSettings', () => {
  it('accepts sender identities, a frequency cap and quiet hours, normalising the addresses', () => {
    const parsed = SendingSettings.parse({
      email: { from: ' News@Shop.example ', fromName: 'Shop', replyTo: 'help@shop.example' },
      sms: { originationIdentity: '+447700900123' },
      frequencyCap: { messages: 3, withinDays: 7 },
      quietHours: { start: '21:00', end: '08:00' },
    });
    expect(parsed.email?.from).toBe('news@shop.example');
  });

  it.each([
    [{ email: { from: 'not-an-address' } }, 'email.from'],
    [{ frequencyCap: { messages: 0, withinDays: 7 } }, 'frequencyCap.messages'],
    [{ quietHours: { start: '25:00', end: '08:00' } }, 'quietHours.start'],
    [{ quietHours: { start: '08:00', end: '08:00' } }, 'quietHours.start'],
    [{ sender: 'x' }, ''],
  ])('refuses %j, naming the field', (raw, field) => {
    const parsed = SendingSettings.safeParse(raw);
    expect(parsed.success).toBe(false);
    if (!parsed.success) expect(parsed.error.issues[0]?.path.join('.')).toBe(field);
  });
});

describe('inQuietHours', () => {
  it.each([
    [{ start: '21:00', end: '08:00' }, '22:30', true],
    [{ start: '21:00', end: '08:00' }, '07:59', true],
    [{ start: '21:00', end: '08:00' }, '08:00', false],
    [{ start: '21:00', end: '08:00' }, '12:00', false],
    [{ start: '12:00', end: '14:00' }, '13:00', true],
    [{ start: '12:00', end: '14:00' }, '14:00', false],
    [undefined, '03:00', false],
  ])('quiet hours %j at %s: %s', (quiet, time, expected) => {
    expect(inQuietHours(quiet, time)).toBe(expected);
  });
});
