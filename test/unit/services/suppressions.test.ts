/** The workspace suppression list: by hand and from SES, consulted by the senders, marked on the contact. */
import { describe, expect, it } from 'vitest';
import { ValidationFailed, NotFound } from '../../../shared/domain/errors.ts';
import { recordSesEvent, SesEventDetail } from '../../../shared/services/campaign-feedback.ts';
import { createCampaign, getCampaign, launchCampaign } from '../../../shared/services/campaigns.ts';
import { addSuppression, listSuppressions, removeSuppression } from '../../../shared/services/suppressions.ts';
import { caller, emailsTo, failure, play, world } from '../../helpers/campaign-world.ts';

describe('the suppression list', () => {
  it('adds an address once (normalised), marks its contact, lists it, and removes it', async () => {
    const { deps, ids } = await world(1);
    const first = await addSuppression(deps, caller, { channel: 'email', address: ' P0@Example.com ', reason: 'manual' });
    const again = await addSuppression(deps, caller, { channel: 'email', address: 'p0@example.com', reason: 'legal' });
    expect([first.added, again.added]).toEqual([true, false]);
    expect(again.suppression).toEqual(first.suppression); // the stored entry, not the repeat's
    expect(first.suppression).toMatchObject({ address: 'p0@example.com', reason: 'manual', source: 'api' });
    expect(deps.world.contacts.get(caller.tenantId, ids[0] as string)?.suppressed).toEqual({ email: true });
    expect((await listSuppressions(deps, caller, { channel: 'email', limit: 10 })).items.map((s) => s.address)).toEqual(['p0@example.com']);
    await removeSuppression(deps, caller, 'email', 'p0@example.com');
    expect(deps.world.contacts.get(caller.tenantId, ids[0] as string)?.suppressed).toEqual({ email: false });
    expect(await failure(removeSuppression(deps, caller, 'email', 'p0@example.com'))).toBeInstanceOf(NotFound);
    expect(await failure(addSuppression(deps, caller, { channel: 'sms', address: 'not a number' }))).toBeDefined();
    expect(await failure(removeSuppression(deps, caller, 'sms', 'nope'))).toBeInstanceOf(ValidationFailed);
  });

  it('the senders skip an address on the list even when its contact is not marked', async () => {
    const { deps, clock, campaign } = await world(3);
    await deps.suppressions.add(caller.tenantId, {
      channel: 'email',
      address: 'p1@example.com',
      reason: 'legal',
      source: 'dpo',
      at: clock.now().toISOString(),
    });
    const { campaign: draft } = await createCampaign(deps, caller, campaign());
    await launchCampaign(deps, caller, draft.campaignId);
    await play(deps, clock);
    expect(emailsTo(deps).sort()).toEqual(['p0@example.com', 'p2@example.com']);
    expect((await getCampaign(deps, caller, draft.campaignId)).counts.skipped).toEqual({ suppressed: 1 });
  });

  it('a hard bounce or a complaint from SES suppresses the address (a soft bounce does not)', async () => {
    const { deps, clock, campaign, ids } = await world(3);
    const { campaign: draft } = await createCampaign(deps, caller, campaign());
    await launchCampaign(deps, caller, draft.campaignId);
    await play(deps, clock);
    const event = (i: number, extra: object) =>
      SesEventDetail.parse({
        mail: { messageId: `m${i}`, tags: { workspace: [caller.tenantId], send: [`${draft.campaignId}.${ids[i]}`] } },
        ...extra,
      });
    await recordSesEvent(
      deps,
      event(0, { eventType: 'Bounce', bounce: { bounceType: 'Permanent', bouncedRecipients: [{ emailAddress: 'p0@example.com' }] } }),
    );
    await recordSesEvent(
      deps,
      event(1, { eventType: 'Complaint', complaint: { complainedRecipients: [{ emailAddress: 'p1@example.com' }] } }),
    );
    await recordSesEvent(
      deps,
      event(2, { eventType: 'Bounce', bounce: { bounceType: 'Transient', bouncedRecipients: [{ emailAddress: 'p2@example.com' }] } }),
    );
    const list = await listSuppressions(deps, caller, { channel: 'email', limit: 10 });
    expect(list.items.map((s) => [s.address, s.reason, s.source])).toEqual([
      ['p0@example.com', 'hard_bounce', `ses:${draft.campaignId}`],
      ['p1@example.com', 'complaint', `ses:${draft.campaignId}`],
    ]);
    expect(deps.world.contacts.get(caller.tenantId, ids[0] as string)?.suppressed).toEqual({ email: true });
  });
});

describe('a new address', () => {
  it("clears the contact's suppressed flag for that channel; the old address stays on the list", async () => {
    const { deps, ids } = await world(1);
    await addSuppression(deps, caller, { channel: 'email', address: 'p0@example.com', reason: 'hard_bounce' });
    await (await import('../../../shared/services/contacts.ts')).patchContact(deps, caller, ids[0] as string, {
      email: 'p0.new@example.com',
    });
    expect(deps.world.contacts.get(caller.tenantId, ids[0] as string)?.suppressed).toEqual({ email: false });
    expect((await listSuppressions(deps, caller, { channel: 'email', limit: 10 })).items.map((s) => s.address)).toEqual(['p0@example.com']);
  });
});
