import { describe, expect, it } from 'vitest';
import { campaignTopic, inQuietHours, SendingSettings } from '../../../shared/domain/sending.ts';

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

describe('topics in the sending settings', () => {
  const topic = (name: string, over: Record<string, unknown> = {}) => ({ name, displayName: name, defaultStatus: 'subscribed', ...over });

  it('accepts up to 20 topics, opt-in or opt-out, with labels per language', () => {
    const parsed = SendingSettings.parse({
      topics: [
        topic('newsletter', { description: 'Once a month', labels: { de: { displayName: 'Newsletter', description: 'Monatlich' } } }),
        topic('offers', { defaultStatus: 'unsubscribed' }),
        ...Array.from({ length: 18 }, (_, i) => topic(`t${i}`)),
      ],
    });
    expect(parsed.topics).toHaveLength(20);
    expect(parsed.topics?.[0]?.labels?.de?.displayName).toBe('Newsletter');
  });

  it.each([
    [[topic('offers'), topic('news'), topic('offers')], 'topics.2.name'],
    [Array.from({ length: 21 }, (_, i) => topic(`t${i}`)), 'topics'],
    [[topic('bad-name')], 'topics.0.name'],
    [[topic('offers', { displayName: '' })], 'topics.0.displayName'],
    [[topic('offers', { displayName: 'x'.repeat(101) })], 'topics.0.displayName'],
    [[topic('offers', { description: 'x'.repeat(301) })], 'topics.0.description'],
    [[topic('offers', { defaultStatus: 'unknown' })], 'topics.0.defaultStatus'],
    [[topic('offers', { labels: { German: { displayName: 'Angebote' } } })], 'topics.0.labels.German'],
    [[topic('offers', { labels: { de: { description: 'ohne Namen' } } })], 'topics.0.labels.de.displayName'],
    [[topic('offers', { color: 'red' })], 'topics.0'],
  ])('refuses topics %j, naming %s', (topics, field) => {
    const parsed = SendingSettings.safeParse({ topics });
    expect(parsed.success).toBe(false);
    if (!parsed.success) expect(parsed.error.issues.map((i) => i.path.join('.'))).toContain(field);
  });

  it('refuses topics that would make the settings item too large to read on every send', () => {
    const long = { displayName: '€'.repeat(100), description: '€'.repeat(300) };
    const labels = Object.fromEntries(['de', 'fr', 'es', 'it', 'nl', 'pt', 'pl', 'sv', 'da', 'fi'].map((l) => [l, long]));
    const parsed = SendingSettings.safeParse({ topics: Array.from({ length: 20 }, (_, i) => topic(`t${i}`, { ...long, labels })) });
    expect(parsed.success).toBe(false);
  });

  it("campaignTopic takes the topic's default, and a topic deleted since counts as opt-in", () => {
    const topics = SendingSettings.parse({ topics: [topic('newsletter')] }).topics;
    expect(campaignTopic(undefined, topics)).toBeUndefined();
    expect(campaignTopic('newsletter', topics)).toEqual({ name: 'newsletter', defaultStatus: 'subscribed' });
    expect(campaignTopic('gone', topics)).toEqual({ name: 'gone', defaultStatus: 'unsubscribed' });
    expect(campaignTopic('newsletter', undefined)).toEqual({ name: 'newsletter', defaultStatus: 'unsubscribed' });
  });
});
