/** The campaign and trigger pages' pure parts: form state to API bodies, the estimate's rules and arithmetic, triggers in words. */
import type { Campaign } from '@shared/domain/campaign.ts';
import { describe, expect, it } from 'vitest';
import { bodyOf, draftOf, emptyDraft, fromLocalInput, patchOf, stepOf, toLocalInput } from '../src/pages/campaigns/draft.ts';
import { audienceRule, estimate, reachRule, splitByWeight, topicRule } from '../src/pages/campaigns/estimate.ts';
import { durationWords, triggerSentence } from '../src/pages/triggers/describe.ts';
import { durationDraft, filterOf, isoOf, newFilter } from '../src/pages/triggers/trigger-form.ts';
import { campaign } from './campaigns-data.ts';

const size = (count: number, complete = true) => ({ count, reachable: { email: count, sms: 0 }, scanned: 100, complete });

describe('the send estimate', () => {
  it.each([
    [9, [1, 1], [5, 4]],
    [10, [3, 1], [8, 2]],
    [7, [1, 1, 1], [3, 2, 2]],
    [0, [1, 2], [0, 0]],
  ])('splits %i by weights %j into %j, adding up to the whole', (total, weights, parts) => {
    expect(splitByWeight(total, weights)).toEqual(parts);
  });

  it('mirrors audience resolution: any included segment or list, none of the excluded', () => {
    expect(audienceRule({ segments: [], lists: [], excludeSegments: ['sg_x'], excludeLists: [] })).toBeUndefined();
    expect(audienceRule({ segments: ['sg_1'], lists: ['ls_1'], excludeSegments: ['sg_2'], excludeLists: ['ls_2'] })).toEqual({
      and: [{ or: [{ inSegment: 'sg_1' }, { inList: 'ls_1' }] }, { not: { or: [{ inSegment: 'sg_2' }, { inList: 'ls_2' }] } }],
    });
    expect(reachRule('preferred')).toEqual({ or: [{ reachable: 'email' }, { reachable: 'sms' }] });
  });

  it("applies a topic's default: opt-out takes all who did not unsubscribe, opt-in only who subscribed", () => {
    expect(topicRule('newsletter', 'subscribed')).toEqual({ field: 'topics.newsletter', op: 'neq', value: 'unsubscribed' });
    expect(topicRule('offers', 'unsubscribed')).toEqual({ field: 'topics.offers', op: 'eq', value: 'subscribed' });
    expect(topicRule('gone', undefined)).toEqual({ field: 'topics.gone', op: 'eq', value: 'subscribed' });
  });

  it('takes the holdout out of the eligible: an expectation for a share, a count for a group', () => {
    const share = estimate({ matching: size(200), reachable: size(150), eligible: size(120) }, { percent: 25 }, [
      { name: 'A', weight: 1 },
      { name: 'B', weight: 2 },
    ]);
    expect(share).toMatchObject({
      matching: 200,
      unreachable: 50,
      topicUnsubscribed: 30,
      eligible: 120,
      holdout: 30,
      holdoutExact: false,
      toSend: 90,
    });
    expect(share.perVariant).toEqual([
      { name: 'A', count: 30 },
      { name: 'B', count: 60 },
    ]);
    const group = estimate(
      { matching: size(200), reachable: size(150), eligible: size(120), holdoutMembers: size(7, false) },
      { members: true },
      [{ name: 'A', weight: 1 }],
    );
    expect(group).toMatchObject({ holdout: 7, holdoutExact: true, toSend: 113, complete: false });
  });
});

describe('the wizard form', () => {
  it('reads a local-time schedule as written, and an instant in the browser zone', () => {
    expect(toLocalInput('2026-12-01T09:00:00+09:00', true)).toBe('2026-12-01T09:00');
    expect(fromLocalInput('2026-12-01T09:00', true)).toBe('2026-12-01T09:00:00Z');
    const instant = fromLocalInput('2026-12-01T09:00', false);
    expect(instant).toBe(new Date(2026, 11, 1, 9, 0).toISOString());
    expect(toLocalInput(instant, false)).toBe('2026-12-01T09:00');
    expect(fromLocalInput('', false)).toBe('');
  });

  it('round-trips a saved campaign through the form', () => {
    const saved = campaign({
      description: 'Spring',
      channel: 'preferred',
      variants: [{ name: 'A', weight: 2, email: 'tp_1', sms: 'tp_3' }],
      holdout: { listId: 'ls_1' },
      schedule: { at: '2026-12-01T09:00:00Z', localTime: true },
      quietHours: null,
      ratePerSecond: 5,
      goal: { event: 'custom', name: 'signup' },
    }) as Campaign;
    const { campaignId: _i, status: _s, createdAt: _c, updatedAt: _u, version: _v, ...fields } = saved;
    expect(bodyOf(draftOf(saved))).toEqual(fields);
  });

  it('knows what a PATCH cannot take away, and takes away what it can', () => {
    const saved = campaign({
      description: 'x',
      ratePerSecond: 5,
      quietHours: { start: '22:00', end: '07:00' },
      schedule: { at: '2026-12-01T09:00:00Z', localTime: false },
    }) as Campaign;
    const draft = {
      ...draftOf(saved),
      description: '',
      rate: '' as const,
      quietHours: 'default' as const,
      schedule: 'now' as const,
      holdout: 'none' as const,
      topic: '',
    };
    const { patch, unclearable } = patchOf(draft, saved);
    expect(unclearable).toEqual(['schedule', 'ratePerSecond', 'quietHours']);
    expect(patch).toMatchObject({ description: '', holdout: { percent: 0 }, topic: null });
    expect(patchOf(draftOf(saved), saved).unclearable).toEqual([]);
  });

  it.each([
    ['name', 0],
    ['audience.lists.0', 0],
    ['holdout.percent', 1],
    ['topic', 1],
    ['variants.1.sms', 2],
    ['schedule.at', 3],
    ['quietHours.start', 3],
    ['goal.name', 4],
    ['survey', 5],
  ])('puts an error on %s on step %i', (field, step) => {
    expect(stepOf(field)).toBe(step);
  });

  it('starts with one variant, a 10% holdout and the purchase goal', () => {
    expect(bodyOf({ ...emptyDraft({ templateEmail: 'tp_1' }), name: 'x' })).toMatchObject({
      variants: [{ name: 'A', weight: 1, email: 'tp_1' }],
      holdout: { percent: 10 },
      goal: { event: 'purchase' },
      attributionDays: 7,
    });
  });
});

describe('triggers', () => {
  it.each([
    ['PT0S', 'no time'],
    ['PT1H', '1 hour'],
    ['P14D', '14 days'],
    ['P1M', '30 days'],
    ['PT90M', '90 minutes'],
    ['P1DT2H', '26 hours'],
  ])('says %s as %s', (iso, words) => {
    expect(durationWords(iso)).toBe(words);
  });

  it('turns durations into a number and a unit and back', () => {
    expect(durationDraft('P180D')).toEqual({ amount: 180, unit: 'days' });
    expect(durationDraft('PT90M')).toEqual({ amount: 90, unit: 'minutes' });
    expect(durationDraft('P1DT2H')).toEqual({ amount: 26, unit: 'hours' });
    expect(isoOf({ amount: 26, unit: 'hours' })).toBe('PT26H');
    expect(isoOf({ amount: '', unit: 'days' })).toBe('PT0S');
  });

  it('types filter values the way their field takes them', () => {
    expect(filterOf(newFilter({ field: 'total', op: 'gte', value: ' 50 ' }))).toEqual({ field: 'total', op: 'gte', value: 50 });
    expect(filterOf(newFilter({ field: 'items.category', op: 'in', value: 'shoes, socks,' }))).toEqual({
      field: 'items.category',
      op: 'in',
      value: ['shoes', 'socks'],
    });
    expect(filterOf(newFilter({ field: 'items.sku', op: 'eq', value: '42' }))).toEqual({ field: 'items.sku', op: 'eq', value: '42' });
    expect(filterOf(newFilter({ field: 'properties', property: 'vip', op: 'eq', value: 'true' }))).toEqual({
      field: 'properties.vip',
      op: 'eq',
      value: true,
    });
  });

  it('says a whole trigger in words', () => {
    expect(
      triggerSentence(
        {
          on: { segment: 'sg_1', where: [], first: false },
          delay: 'P3D',
          cancelIfPurchased: true,
          segmentId: 'sg_2',
          cooldown: 'P14D',
          recommendations: 0,
        },
        (id) => ({ sg_1: 'Big spenders', sg_2: 'Still subscribed' })[id] ?? id,
      ),
    ).toBe(
      'A contact enters the segment Big spenders: sends the message after 3 days, unless they purchased since and if they are still in the segment Still subscribed. At most one message every 14 days per contact.',
    );
  });
});
