/** SES events on campaign sends: once per kind, odd timestamps normalised, soft bounces not counted, unknown promoted. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { recordSesEvent, SesEventDetail } from '../../../shared/services/campaign-feedback.ts';
import { fakeClock, fakeDeps } from '../../helpers/fakes.ts';

const tenantId = 't-feedback';
const campaignId = 'cp_0000000000000000000000000a';
const contactId = 'ct_0000000000000000000000000b';
const sendId = `${campaignId}.${contactId}`;

function setUp(status: 'sent' | 'unknown') {
  const clock = fakeClock('2026-03-02T12:00:00.000Z');
  const deps = fakeDeps(clock.now);
  const at = clock.now().toISOString();
  deps.world.sends
    .of(tenantId)
    .set(sendId, { sendId, campaignId, contactId, status, variant: 'A', channel: 'email', createdAt: at, updatedAt: at });
  return { deps, clock };
}

const event = (eventType: string, extra: Record<string, unknown> = {}) =>
  SesEventDetail.parse({
    eventType,
    mail: { messageId: 'm-1', tags: { workspace: [tenantId], send: [sendId], campaign: [campaignId] } },
    ...extra,
  });

describe('recordSesEvent', () => {
  it('counts a delivery once, however often SES repeats it', async () => {
    const { deps } = setUp('sent');
    expect(await recordSesEvent(deps, event('Delivery', { delivery: { timestamp: '2026-03-02T12:00:05.000Z' } }))).toBe('recorded');
    expect(await recordSesEvent(deps, event('Delivery', { delivery: { timestamp: '2026-03-02T12:00:05.000Z' } }))).toBe('repeat');
    expect(await deps.campaigns.counts(tenantId, campaignId)).toEqual({ 'delivered#A': 1 });
  });

  it('stores a proper UTC time whatever timestamp the event carries, and the record stays readable', async () => {
    const { deps, clock } = setUp('sent');
    await recordSesEvent(deps, event('Bounce', { bounce: { bounceType: 'Permanent', timestamp: '2026-03-02 12:00:00' } }));
    const [record] = (await deps.sends.getMany(tenantId, campaignId, [contactId])).values();
    expect(record?.bouncedAt).toBe(clock.now().toISOString());
    expect(record?.bounceType).toBe('Permanent');
  });

  it('does not count a transient bounce, and ignores mail no campaign sent', async () => {
    const { deps } = setUp('sent');
    expect(await recordSesEvent(deps, event('Bounce', { bounce: { bounceType: 'Transient' } }))).toBe('ignored');
    expect(await recordSesEvent(deps, SesEventDetail.parse({ eventType: 'Delivery', mail: { messageId: 'x', tags: {} } }))).toBe('ignored');
    expect(
      await recordSesEvent(
        deps,
        SesEventDetail.parse({ eventType: 'Delivery', mail: { messageId: 'x', tags: { workspace: ['BAD TENANT'], send: [sendId] } } }),
      ),
    ).toBe('ignored');
    expect(await deps.campaigns.counts(tenantId, campaignId)).toEqual({});
  });

  it('a delivery for an unknown send (a lost answer) makes it sent', async () => {
    const { deps } = setUp('unknown');
    await recordSesEvent(deps, event('Delivery'));
    const [record] = (await deps.sends.getMany(tenantId, campaignId, [contactId])).values();
    expect(record?.status).toBe('sent');
    expect(await deps.campaigns.counts(tenantId, campaignId)).toEqual({ 'delivered#A': 1, 'sent#A': 1, 'unknown#A': -1 });
  });
});

describe('recordSesEvent on arbitrary events (property)', () => {
  it('never throws, and touches nothing unless the tags name a real send', async () => {
    const { deps } = setUp('sent');
    const tag = fc.oneof(fc.constant(sendId), fc.string({ maxLength: 80 }), fc.constant(`${campaignId}.ct_nope`));
    const detail = fc.record({
      eventType: fc.constantFrom('Delivery', 'Bounce', 'Complaint', 'Send', 'Open', 'Reject', fc.sample(fc.string(), 1)[0] ?? ''),
      mail: fc.record({
        messageId: fc.string({ maxLength: 40 }),
        tags: fc.dictionary(
          fc.constantFrom('workspace', 'send', 'campaign', 'x'),
          fc.array(fc.oneof(tag, fc.constant(tenantId)), { maxLength: 2 }),
        ),
      }),
      bounce: fc.option(
        fc.record({
          bounceType: fc.constantFrom('Permanent', 'Transient', 'Undetermined', ''),
          timestamp: fc.option(fc.string({ maxLength: 30 }), { nil: undefined }),
          bouncedRecipients: fc.array(fc.record({ emailAddress: fc.oneof(fc.emailAddress(), fc.string({ maxLength: 30 })) }), {
            maxLength: 2,
          }),
        }),
        { nil: undefined },
      ),
    });
    await fc.assert(
      fc.asyncProperty(detail, async (raw) => {
        const parsed = SesEventDetail.safeParse(raw);
        if (!parsed.success) return;
        const outcome = await recordSesEvent(deps, parsed.data);
        const genuine = parsed.data.mail.tags.send?.[0] === sendId && parsed.data.mail.tags.workspace?.[0] === tenantId;
        if (!genuine) expect(outcome).not.toBe('recorded'); // ignored, or a no-op for a send that is not there
      }),
      { numRuns: 500 },
    );
    // Whatever arrived, the only record is the real one, and it still parses.
    const [record] = (await deps.sends.getMany(tenantId, campaignId, [contactId])).values();
    expect(record?.sendId).toBe(sendId);
    const counts = await deps.campaigns.counts(tenantId, campaignId);
    for (const v of Object.values(counts)) expect(v).toBeLessThanOrEqual(1);
  });
});
