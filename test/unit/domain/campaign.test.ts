/** The campaign rules that are pure: status machine, assignment, channel choice, time rules, counters. */
import { describe, expect, it } from 'vitest';
import {
  assign,
  chooseChannel,
  claimKeyOf,
  contactOf,
  parseSendId,
  recipientKey,
  recipientOfClaim,
  sendIdOf,
  countsFrom,
  CreateCampaign,
  dueFor,
  isDone,
  nextStatus,
  quietHoursEnd,
  shardOf,
  underFrequencyCap,
  uniform,
  wallTimeIn,
} from '../../../shared/domain/campaign.ts';
import { InvalidTransition } from '../../../shared/domain/errors.ts';
import { tagValue } from '../../../shared/aws/email.ts';

const reach = (address: boolean, consent: boolean, suppressed = false) => ({ address, consent, suppressed });

describe('the status machine', () => {
  it('allows only the documented transitions', () => {
    expect(nextStatus('draft', 'launch')).toBe('sending');
    expect(nextStatus('draft', 'launch', true)).toBe('scheduled');
    expect(nextStatus('scheduled', 'start')).toBe('sending');
    expect(nextStatus('sending', 'pause')).toBe('paused');
    expect(nextStatus('paused', 'resume')).toBe('sending');
    expect(nextStatus('paused', 'cancel')).toBe('cancelled');
    expect(nextStatus('sending', 'complete')).toBe('completed');
    expect(() => nextStatus('sending', 'launch')).toThrow(InvalidTransition);
    expect(() => nextStatus('completed', 'cancel')).toThrow(/cannot cancel a campaign that is completed/);
    expect(() => nextStatus('draft', 'pause')).toThrow(InvalidTransition);
  });
});

describe('assignment', () => {
  it('is deterministic and close to the holdout share and weights over many contacts', () => {
    const campaign = {
      campaignId: 'cp_1',
      holdout: { percent: 10 },
      variants: [
        { name: 'A', weight: 1 },
        { name: 'B', weight: 1 },
      ],
    };
    const n = 20_000;
    const tally: Record<string, number> = { holdout: 0, A: 0, B: 0 };
    for (let i = 0; i < n; i++) {
      const a = assign(campaign, `ct_${i}`, false);
      expect(assign(campaign, `ct_${i}`, false)).toEqual(a);
      tally[a.holdout ? 'holdout' : a.variant] = (tally[a.holdout ? 'holdout' : a.variant] ?? 0) + 1;
    }
    // Binomial: 10% of 20,000 has a standard deviation of 42; 4.5 of them either way is far outside chance.
    expect(Math.abs((tally.holdout ?? 0) - 2000)).toBeLessThan(190);
    expect(Math.abs((tally.A ?? 0) - (tally.B ?? 0))).toBeLessThan(400);
  });

  it('an explicit holdout holds back exactly its members', () => {
    const c = { campaignId: 'cp_1', holdout: { listId: 'ls_1' }, variants: [{ name: 'A', weight: 1 }] };
    expect(assign(c, 'ct_1', true)).toEqual({ holdout: true });
    expect(assign(c, 'ct_1', false)).toEqual({ holdout: false, variant: 'A' });
  });

  it('uniform spreads over [0, 1)', () => {
    const values = Array.from({ length: 10_000 }, (_, i) => uniform('x', String(i)));
    expect(Math.min(...values)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...values)).toBeLessThan(1);
    const low = values.filter((v) => v < 0.5).length;
    expect(Math.abs(low - 5000)).toBeLessThan(250);
  });

  it('spreads records over every shard', () => {
    const shards = new Set(Array.from({ length: 1000 }, (_, i) => shardOf(`ct_${i}`)));
    expect(shards.size).toBe(16);
  });
});

describe('the channel', () => {
  it('preferred takes the preferred channel when reachable, else the other one, else says why not', () => {
    expect(chooseChannel('preferred', { email: reach(true, true), sms: reach(true, true) }, 'sms')).toEqual({ channel: 'sms' });
    expect(chooseChannel('preferred', { email: reach(true, true), sms: reach(true, false) }, 'sms')).toEqual({ channel: 'email' });
    expect(chooseChannel('email', { email: reach(true, false), sms: reach(true, true) }, undefined)).toEqual({ skip: 'no_consent' });
    expect(chooseChannel('email', { email: reach(true, true, true), sms: reach(false, false) }, undefined)).toEqual({ skip: 'suppressed' });
    expect(chooseChannel('sms', { email: reach(true, true), sms: reach(false, true) }, undefined)).toEqual({ skip: 'no_consent' });
  });

  it('a variant must have a template for every channel the campaign may use', () => {
    const parsed = CreateCampaign.safeParse({
      name: 'x',
      channel: 'preferred',
      variants: [{ name: 'A', email: 'tp_1' }],
      audience: { lists: ['ls_1'] },
    });
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues.map((i) => i.path.join('.'))).toEqual(['variants.0.sms']);
    expect(
      CreateCampaign.safeParse({ name: 'x', channel: 'email', variants: [{ name: 'A', email: 't' }], audience: {} }).error?.issues[0]?.path,
    ).toEqual(['audience', 'segments']);
  });
});

describe('time rules', () => {
  it('finds the instant of a wall-clock time in a zone, across daylight saving', () => {
    // 09:00 in New York: 14:00 UTC in winter (EST), 13:00 UTC in summer (EDT).
    expect(wallTimeIn(new Date('2026-01-15T09:00:00Z'), 'America/New_York').toISOString()).toBe('2026-01-15T14:00:00.000Z');
    expect(wallTimeIn(new Date('2026-07-15T09:00:00Z'), 'America/New_York').toISOString()).toBe('2026-07-15T13:00:00.000Z');
    expect(wallTimeIn(new Date('2026-07-15T09:00:00Z'), 'Asia/Kolkata').toISOString()).toBe('2026-07-15T03:30:00.000Z');
    const schedule = { at: '2026-07-15T09:00:00Z', localTime: true };
    expect(dueFor(schedule, 'Asia/Tokyo', new Date()).toISOString()).toBe('2026-07-15T00:00:00.000Z');
    expect(dueFor(schedule, undefined, new Date()).toISOString()).toBe('2026-07-15T09:00:00.000Z');
    // With localTime the time as written counts, whatever offset it carries: 09:00 in each zone.
    expect(dueFor({ at: '2026-07-15T09:00:00+09:00', localTime: true }, 'Europe/London', new Date()).toISOString()).toBe(
      '2026-07-15T08:00:00.000Z',
    );
  });

  it('quiet hours end at their end, in the recipient zone, wrapping midnight', () => {
    const quiet = { start: '21:00', end: '08:00' };
    // 22:30 in London (BST, UTC+1) on 1 July: quiet until 08:00 BST = 07:00 UTC next day.
    expect(quietHoursEnd(quiet, new Date('2026-07-01T21:30:00Z'), 'Europe/London')?.toISOString()).toBe('2026-07-02T07:00:00.000Z');
    expect(quietHoursEnd(quiet, new Date('2026-07-01T12:00:00Z'), 'Europe/London')).toBeUndefined();
    expect(quietHoursEnd(null, new Date('2026-07-01T23:00:00Z'), 'UTC')).toBeUndefined();
    // A five-minute window (quiet from 08:05 to 08:00 the next day) is found, not stepped over.
    expect(quietHoursEnd({ start: '08:05', end: '08:00' }, new Date('2026-07-01T12:00:00Z'), 'UTC')?.toISOString()).toBe(
      '2026-07-02T08:00:00.000Z',
    );
  });

  it('the frequency cap counts sends in the rolling window only', () => {
    const now = new Date('2026-07-10T00:00:00Z');
    const day = 86_400_000;
    const cap = { messages: 2, withinDays: 7 };
    expect(underFrequencyCap(cap, [now.getTime() - day], now)).toBe(true);
    expect(underFrequencyCap(cap, [now.getTime() - day, now.getTime() - 2 * day], now)).toBe(false);
    expect(underFrequencyCap(cap, [now.getTime() - day, now.getTime() - 8 * day], now)).toBe(true);
    expect(underFrequencyCap(undefined, [1, 2, 3], now)).toBe(true);
  });
});

describe('counts', () => {
  it('reads the flat counters and knows when every record is final', () => {
    const raw = {
      audience: 5,
      holdout: 1,
      'queued#A': 4,
      'sent#A': 2,
      'unknown#A': 1,
      'skipped#no_consent': 1,
      resolvedParts: new Set([0, 1]),
    };
    const c = countsFrom(raw, 2);
    expect(c).toMatchObject({
      audience: 5,
      holdout: 1,
      variants: { A: { queued: 4, sent: 2, unknown: 1, failed: 0 } },
      skipped: { no_consent: 1 },
    });
    expect(c.audienceResolved).toBe(true);
    expect(isDone(c)).toBe(true);
    expect(isDone(countsFrom({ ...raw, audience: 6 }, 2))).toBe(false);
    expect(isDone(countsFrom(raw, 3))).toBe(false);
  });
});

describe('record keys of triggered messages', () => {
  const contactId = 'ct_01hzy3v8qk6m2n4p5r7s9t0vwx';
  const campaignId = 'cp_01hzy3v8qk6m2n4p5r7s9t0abc';

  it('name the contact and the firing, and survive as SES tag values and send ids', () => {
    const key = recipientKey(contactId, 'q9c0el0m3d2g');
    expect(contactOf(key)).toBe(contactId);
    expect(contactOf(contactId)).toBe(contactId);
    const sendId = sendIdOf(campaignId, key);
    expect(tagValue(sendId)).toBe(sendId); // SES keeps it as it is
    expect(parseSendId(tagValue(sendId))).toEqual({ campaignId, contactId: key });
    expect(parseSendId(sendIdOf(campaignId, contactId))).toEqual({ campaignId, contactId });
  });

  it('claims in the send log name the campaign and the firing', () => {
    const key = recipientKey(contactId, 'q9c0el0m3d2g');
    expect(claimKeyOf(campaignId, contactId)).toBe(campaignId);
    expect(recipientOfClaim(claimKeyOf(campaignId, key), contactId)).toEqual({ campaignId, key });
    expect(recipientOfClaim(campaignId, contactId)).toEqual({ campaignId, key: contactId });
  });
});
