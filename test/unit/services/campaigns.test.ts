/**
 * Campaign use cases over in-memory ports, with the queues played by hand and a simulated clock:
 * launch and the status machine, assignment and skips, exactly-once delivery under redelivery,
 * concurrent senders, crashes and throttling, pause/resume/cancel, and the progress sweep.
 */
import { describe, expect, it } from 'vitest';
import type { CampaignSendMessage } from '../../../shared/api/messages.ts';
import { sendIdOf, UpdateCampaign } from '../../../shared/domain/campaign.ts';
import { DeliveryBlocked, DeliveryDeferred, DeliveryRefused, InvalidTransition, ValidationFailed } from '../../../shared/domain/errors.ts';
import type { OutgoingEmail } from '../../../shared/domain/message.ts';
import { resolveAudienceStep } from '../../../shared/services/campaign-audience.ts';
import { deliverBatch } from '../../../shared/services/campaign-delivery.ts';
import { CAMPAIGN_STALL_MS, sweepCampaigns } from '../../../shared/services/campaign-progress.ts';
import {
  cancelCampaign,
  createCampaign,
  deleteCampaign,
  getCampaign,
  launchCampaign,
  listRecipients,
  pauseCampaign,
  resumeCampaign,
  startDueCampaigns,
  updateCampaign,
} from '../../../shared/services/campaigns.ts';
import { patchContact, upsertContact } from '../../../shared/services/contacts.ts';
import { addMembers, createList } from '../../../shared/services/lists.ts';
import { createTemplate } from '../../../shared/services/template-authoring.ts';
import { updateSendingSettings } from '../../../shared/services/value-model.ts';
import { type FakeDeps, TEST_SECRET } from '../../helpers/fakes.ts';
import { signToken } from '../../../shared/domain/tracking.ts';
import { caller, emailsTo, failure, options, play, world } from '../../helpers/campaign-world.ts';

describe('campaign drafts and the status machine', () => {
  it('saves a draft, edits it, and refuses edits and deletes once launched (409)', async () => {
    const { deps, campaign } = await world(2);
    const { campaign: draft } = await createCampaign(deps, caller, campaign());
    expect(draft.status).toBe('draft');
    const edited = await updateCampaign(deps, caller, draft.campaignId, { name: 'Spring sale' });
    expect(edited.version).toBe(2);
    await launchCampaign(deps, caller, draft.campaignId);
    expect(await failure(updateCampaign(deps, caller, draft.campaignId, { name: 'x' }))).toBeInstanceOf(InvalidTransition);
    expect(await failure(deleteCampaign(deps, caller, draft.campaignId))).toBeInstanceOf(InvalidTransition);
    expect(await failure(launchCampaign(deps, caller, draft.campaignId))).toBeInstanceOf(InvalidTransition);
  });

  it('refuses unknown templates, a template of the wrong channel, unknown lists, naming each field', async () => {
    const { deps, campaign, sms } = await world(1);
    const error = await failure(
      createCampaign(deps, caller, campaign({ variants: [{ name: 'A', email: sms.templateId }], audience: { lists: ['ls_nope'] } })),
    );
    expect(error).toBeInstanceOf(ValidationFailed);
    expect((error as ValidationFailed).issues.map((i) => i.field)).toEqual(['body.audience.lists.0', 'body.variants.0.email']);
  });

  it('refuses to launch without a sender identity (400), and a schedule in the past', async () => {
    const { deps, campaign } = await world(1);
    await deps.settings.saveSending(caller.tenantId, {});
    const { campaign: draft } = await createCampaign(deps, caller, campaign());
    const error = await failure(launchCampaign(deps, caller, draft.campaignId));
    expect((error as ValidationFailed).issues).toEqual([
      { field: 'settings.email.from', message: expect.stringContaining('sender identity') },
    ]);
    expect((await getCampaign(deps, caller, draft.campaignId)).status).toBe('draft');
  });

  it('a campaign whose audience is empty fails with a message saying so', async () => {
    const { deps, clock, campaign } = await world(0);
    const { campaign: draft } = await createCampaign(deps, caller, campaign());
    await launchCampaign(deps, caller, draft.campaignId);
    await play(deps, clock);
    const view = await getCampaign(deps, caller, draft.campaignId);
    expect(view.status).toBe('failed');
    expect(view.error).toMatch(/audience is empty/);
  });
});

describe('delivery', () => {
  it('sends each recipient exactly once, with unsubscribe headers and tags, and completes with exact counts', async () => {
    const { deps, clock, campaign, ids } = await world(25);
    const { campaign: draft } = await createCampaign(deps, caller, campaign());
    await launchCampaign(deps, caller, draft.campaignId);
    await play(deps, clock);
    expect(emailsTo(deps).sort()).toEqual(Array.from({ length: 25 }, (_, i) => `p${i}@example.com`).sort());
    const first = deps.delivered.emails.find((e) => e.to === 'p0@example.com') as OutgoingEmail;
    const sendId = sendIdOf(draft.campaignId, ids[0] as string);
    const who = { tenantId: caller.tenantId, campaignId: draft.campaignId, contactId: ids[0] as string };
    const unsubscribe = `https://herald.example/u/${signToken(TEST_SECRET, { ...who, kind: 'unsubscribe' })}`;
    expect(first.subject).toBe('Hi P0');
    expect(first.headers).toEqual({
      'List-Unsubscribe': `<${unsubscribe}>`,
      'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
    });
    expect(first.tags).toEqual({ workspace: caller.tenantId, campaign: draft.campaignId, variant: 'A', send: sendId });
    // The template's unsubscribe tag is the signed link, left untracked; the pixel is added.
    expect(first.html).toContain(`<a href="${unsubscribe}">unsubscribe</a>`);
    expect(first.html).toContain(`https://herald.example/o/${signToken(TEST_SECRET, { ...who, kind: 'open' })}`);
    const view = await getCampaign(deps, caller, draft.campaignId);
    expect(view.status).toBe('completed');
    expect(view.counts).toMatchObject({
      audience: 25,
      holdout: 0,
      variants: { A: { queued: 25, sent: 25, failed: 0, unknown: 0 } },
      audienceResolved: true,
    });
    const sent = await listRecipients(deps, caller, draft.campaignId, { status: 'sent', limit: 100 });
    expect(sent.items).toHaveLength(25);
    expect(sent.items.every((r) => r.messageId)).toBe(true);
  });

  it('redelivered batches and two senders on the same batch send nobody twice', async () => {
    for (const mode of [{ dup: true }, { concurrent: true }]) {
      const { deps, clock, campaign } = await world(30);
      const { campaign: draft } = await createCampaign(deps, caller, campaign());
      await launchCampaign(deps, caller, draft.campaignId);
      await play(deps, clock, mode);
      expect(new Set(emailsTo(deps)).size).toBe(30);
      expect(emailsTo(deps)).toHaveLength(30);
      const view = await getCampaign(deps, caller, draft.campaignId);
      expect(view.counts.variants.A?.sent).toBe(30);
      expect(view.status).toBe('completed');
    }
  });

  it('replaying the whole audience (a re-run of resolution) writes no record twice and sends nobody twice', async () => {
    const { deps, clock, campaign } = await world(12);
    const { campaign: draft } = await createCampaign(deps, caller, campaign());
    await launchCampaign(deps, caller, draft.campaignId);
    const audience = deps.sent.filter((s) => s.queue === 'campaign-audience').map((s) => s.message);
    await play(deps, clock);
    for (const m of audience) await resolveAudienceStep(deps, m as never);
    await play(deps, clock);
    expect(emailsTo(deps)).toHaveLength(12);
    expect((await getCampaign(deps, caller, draft.campaignId)).counts.audience).toBe(12);
  });

  it('keeps a deterministic holdout with records and no message, and splits A/B by weight', async () => {
    const { deps, clock, campaign, email } = await world(400);
    const { campaign: draft } = await createCampaign(
      deps,
      caller,
      campaign({
        holdout: { percent: 20 },
        variants: [
          { name: 'A', weight: 1, email: email.templateId },
          { name: 'B', weight: 3, email: email.templateId },
        ],
      }),
    );
    await launchCampaign(deps, caller, draft.campaignId);
    await play(deps, clock);
    const counts = (await getCampaign(deps, caller, draft.campaignId)).counts;
    expect(counts.audience).toBe(400);
    expect(counts.holdout).toBeGreaterThan(55);
    expect(counts.holdout).toBeLessThan(105);
    const a = counts.variants.A?.sent ?? 0;
    const b = counts.variants.B?.sent ?? 0;
    expect(a + b + counts.holdout).toBe(400);
    expect(b / (a + b)).toBeGreaterThan(0.65);
    expect(b / (a + b)).toBeLessThan(0.85);
    expect(emailsTo(deps)).toHaveLength(a + b);
    const holdout = await listRecipients(deps, caller, draft.campaignId, { status: 'holdout', limit: 500 });
    expect(holdout.items).toHaveLength(counts.holdout);
    const held = new Set(holdout.items.map((r) => r.contactId));
    const contacts = await deps.contacts.getMany(caller.tenantId, [...held]);
    expect(emailsTo(deps).some((to) => [...contacts.values()].some((c) => c.email === to))).toBe(false);
  });

  it('an explicit holdout list holds exactly its members back', async () => {
    const { deps, clock, campaign, ids } = await world(10);
    const { list: control } = await createList(deps, caller, { name: 'Control' });
    await addMembers(deps, caller, control.listId, ids.slice(0, 3));
    const { campaign: draft } = await createCampaign(deps, caller, campaign({ holdout: { listId: control.listId } }));
    await launchCampaign(deps, caller, draft.campaignId);
    await play(deps, clock);
    const holdout = await listRecipients(deps, caller, draft.campaignId, { status: 'holdout', limit: 50 });
    expect(holdout.items.map((r) => r.contactId).sort()).toEqual(ids.slice(0, 3).sort());
    expect(emailsTo(deps)).toHaveLength(7);
  });

  it('skips with reasons: no consent, suppressed, excluded lists, frequency cap; preferred channel picks SMS', async () => {
    const { deps, clock, campaign, ids, email, sms, list } = await world(2, {
      contacts: [
        { email: 'nope@example.com', consent: { email: { status: 'unsubscribed' } } },
        { phone: '+447700900123', preferredChannel: 'sms', consent: { sms: { status: 'subscribed' } } },
      ],
    });
    const { list: vip } = await createList(deps, caller, { name: 'Excluded' });
    await addMembers(deps, caller, vip.listId, [ids[1] as string]);
    const item = deps.world.contacts.get(caller.tenantId, ids[0] as string) as Record<string, unknown>;
    item.suppressed = { email: true };
    const { campaign: draft } = await createCampaign(
      deps,
      caller,
      campaign({
        channel: 'preferred',
        variants: [{ name: 'A', email: email.templateId, sms: sms.templateId }],
        audience: { lists: [list.listId], excludeLists: [vip.listId] },
      }),
    );
    await launchCampaign(deps, caller, draft.campaignId);
    await play(deps, clock);
    const view = await getCampaign(deps, caller, draft.campaignId);
    expect(view.counts.skipped).toEqual({ suppressed: 1, no_consent: 1 });
    expect(view.counts.audience).toBe(3);
    expect(deps.delivered.texts.map((t) => t.to)).toEqual(['+447700900123']);
    expect(deps.delivered.texts[0]?.originationIdentity).toBe('+15550100');
    expect(emailsTo(deps)).toEqual([]);
    // Frequency cap: one message per week; a second campaign the same day skips them all.
    await updateSendingSettings(deps, caller, {
      email: { from: 'news@shop.example' },
      sms: { originationIdentity: '+15550100' },
      frequencyCap: { messages: 1, withinDays: 7 },
    });
    const { campaign: second } = await createCampaign(
      deps,
      caller,
      campaign({ channel: 'sms', variants: [{ name: 'A', sms: sms.templateId }] }),
    );
    await launchCampaign(deps, caller, second.campaignId);
    await play(deps, clock);
    expect((await getCampaign(deps, caller, second.campaignId)).counts.skipped).toMatchObject({ frequency_cap: 1 });
    expect(deps.delivered.texts).toHaveLength(1);
  });

  it('defers recipients in quiet hours to the end of them, in their own zone', async () => {
    const { deps, clock, campaign } = await world(0, {
      contacts: [
        { email: 'tokyo@example.com', timezone: 'Asia/Tokyo', consent: { email: { status: 'subscribed' } } },
        { email: 'london@example.com', timezone: 'Europe/London', consent: { email: { status: 'subscribed' } } },
      ],
    });
    // 12:00 UTC is 21:00 in Tokyo (quiet from 20:00 to 08:00) and noon in London.
    const { campaign: draft } = await createCampaign(deps, caller, campaign({ quietHours: { start: '20:00', end: '08:00' } }));
    await launchCampaign(deps, caller, draft.campaignId);
    const start = clock.now().getTime();
    await play(deps, clock);
    expect(emailsTo(deps)).toEqual(['london@example.com', 'tokyo@example.com']);
    // Tokyo's 08:00 is 23:00 UTC: eleven hours later, not before.
    expect(clock.now().getTime() - start).toBeGreaterThanOrEqual(11 * 3600_000);
    const view = await getCampaign(deps, caller, draft.campaignId);
    expect(view.counts.deferred).toBe(0);
    expect(view.status).toBe('completed');
  });

  it('a scheduled campaign starts when its time comes, not before', async () => {
    const { deps, clock, campaign } = await world(3);
    const { campaign: draft } = await createCampaign(
      deps,
      caller,
      campaign({ schedule: { at: '2026-03-02T15:00:00.000Z', localTime: false } }),
    );
    expect((await launchCampaign(deps, caller, draft.campaignId)).status).toBe('scheduled');
    expect(await startDueCampaigns(deps)).toEqual({ started: 0 });
    clock.advance(3 * 3600_000);
    expect(await startDueCampaigns(deps)).toEqual({ started: 1 });
    await play(deps, clock);
    expect(emailsTo(deps)).toHaveLength(3);
  });
});

describe('faults', () => {
  it('a crash after SES accepted and before the status write records unknown and never resends', async () => {
    const { deps, clock, campaign } = await world(10);
    const { campaign: draft } = await createCampaign(deps, caller, campaign());
    const send = deps.email.send;
    let calls = 0;
    deps.email.send = async (email) => {
      const out = await send(email);
      if (++calls === 4) throw new Error('process died after SES accepted the message');
      return out;
    };
    await launchCampaign(deps, caller, draft.campaignId);
    await play(deps, clock);
    expect(emailsTo(deps)).toHaveLength(10);
    expect(new Set(emailsTo(deps)).size).toBe(10);
    const view = await getCampaign(deps, caller, draft.campaignId);
    expect(view.counts.variants.A).toMatchObject({ sent: 9, unknown: 1 });
    expect(view.status).toBe('completed');
  });

  it('throttling and service faults are retried later and never counted as sent; refusals fail (or, for a bad address, skip) that recipient only', async () => {
    const { deps, clock, campaign } = await world(20);
    const { campaign: draft } = await createCampaign(deps, caller, campaign());
    const send = deps.email.send;
    let calls = 0;
    deps.email.send = async (email) => {
      calls++;
      if (calls % 3 === 0) throw new DeliveryDeferred('TooManyRequestsException: Maximum sending rate exceeded.');
      if (email.to === 'p7@example.com') throw new DeliveryRefused('MessageRejected: Email address is not verified: news@shop.example');
      if (email.to === 'p8@example.com') throw new DeliveryRefused('BadRequestException: Illegal address');
      return send(email);
    };
    await launchCampaign(deps, caller, draft.campaignId);
    await play(deps, clock);
    expect(emailsTo(deps)).toHaveLength(18);
    expect(new Set(emailsTo(deps)).size).toBe(18);
    const view = await getCampaign(deps, caller, draft.campaignId);
    expect(view.counts.variants.A).toMatchObject({ sent: 18, failed: 1 });
    expect(view.counts.failed).toEqual({ refused: 1 });
    expect(view.counts.skipped).toEqual({ invalid_address: 1 });
    expect(view.status).toBe('completed');
  });

  it('a contact erased mid-send is skipped, not lost', async () => {
    const { deps, clock, campaign, ids } = await world(3);
    const { campaign: draft } = await createCampaign(deps, caller, campaign());
    await launchCampaign(deps, caller, draft.campaignId);
    // Resolution only, then the erasure, then the senders.
    for (const m of deps.sent.splice(0)) if (m.queue === 'campaign-audience') await resolveAudienceStep(deps, m.message as never);
    deps.world.contacts.of(caller.tenantId).delete(ids[1] as string);
    await play(deps, clock);
    const view = await getCampaign(deps, caller, draft.campaignId);
    expect(view.counts.skipped).toEqual({ contact_erased: 1 });
    expect(view.status).toBe('completed');
  });

  it('a template with a render error fails its recipients with the reason and the campaign still completes', async () => {
    const { deps, clock, campaign } = await world(2);
    const { template } = await createTemplate(deps, caller, {
      name: 'Long',
      channel: 'sms',
      sms: { body: '{% for i in (1..400) %}xxxxx{% endfor %}' },
    });
    await updateSendingSettings(deps, caller, { email: { from: 'news@shop.example' }, sms: { originationIdentity: '+15550100' } });
    for (const id of ['p0@example.com']) void id;
    const { campaign: draft } = await createCampaign(
      deps,
      caller,
      campaign({ channel: 'sms', variants: [{ name: 'A', sms: template.templateId }] }),
    );
    // Give the two contacts phones and SMS consent.
    for (const [i, item] of [...deps.world.contacts.of(caller.tenantId).values()].entries()) {
      item.phone = `+4477009000${10 + i}`;
      (item.consent as Record<string, unknown>).sms = { status: 'subscribed' };
    }
    await launchCampaign(deps, caller, draft.campaignId);
    await play(deps, clock);
    const view = await getCampaign(deps, caller, draft.campaignId);
    expect(view.counts.failed).toEqual({ render_error: 2 });
    const failed = await listRecipients(deps, caller, draft.campaignId, { status: 'failed', limit: 10 });
    expect(failed.items[0]?.detail).toMatch(/sms.body/);
    expect(view.status).toBe('completed');
  });

  it('a crash between a status write and its counter leaves counts short until the sweep recounts them', async () => {
    const { deps, clock, campaign } = await world(10);
    const { campaign: draft } = await createCampaign(deps, caller, campaign());
    await launchCampaign(deps, caller, draft.campaignId);
    // Every counter update of the senders is lost once: the records say sent, the counters do not.
    const add = deps.campaigns.addCounts;
    deps.campaigns.addCounts = async (t, c, delta, part) => {
      if (Object.keys(delta).some((k) => k.startsWith('sent#'))) throw new Error('crashed before the counter write');
      return add(t, c, delta, part);
    };
    await play(deps, clock).catch(() => undefined);
    deps.campaigns.addCounts = add;
    await play(deps, clock);
    expect(emailsTo(deps)).toHaveLength(10);
    expect((await getCampaign(deps, caller, draft.campaignId)).status).toBe('sending');
    await sweepCampaigns(deps); // notes the counters
    clock.advance(CAMPAIGN_STALL_MS + 1);
    const swept = await sweepCampaigns(deps);
    expect(swept.repaired).toBe(1);
    const view = await getCampaign(deps, caller, draft.campaignId);
    expect(view.counts.variants.A).toMatchObject({ queued: 10, sent: 10 });
    expect(view.status).toBe('completed');
    expect(emailsTo(deps)).toHaveLength(10);
  });
});

describe('pause, resume, cancel', () => {
  it('pause stops sending; resume sends the rest, exactly once each', async () => {
    const { deps, clock, campaign } = await world(40);
    const { campaign: draft } = await createCampaign(deps, caller, campaign());
    await launchCampaign(deps, caller, draft.campaignId);
    for (const m of deps.sent.splice(0)) if (m.queue === 'campaign-audience') await resolveAudienceStep(deps, m.message as never);
    // One batch goes out, then the marketer pauses.
    const pending = deps.sent.splice(0);
    await deliverBatch(
      deps,
      'email',
      pending.slice(0, 10).map((m) => ({ ...(m.message as CampaignSendMessage), receiveCount: 1 })),
      options,
    );
    await pauseCampaign(deps, caller, draft.campaignId);
    deps.sent.push(...pending.slice(10));
    await play(deps, clock);
    expect(emailsTo(deps)).toHaveLength(10);
    expect((await getCampaign(deps, caller, draft.campaignId)).status).toBe('paused');
    await resumeCampaign(deps, caller, draft.campaignId);
    await play(deps, clock);
    expect(emailsTo(deps)).toHaveLength(40);
    expect(new Set(emailsTo(deps)).size).toBe(40);
    expect((await getCampaign(deps, caller, draft.campaignId)).status).toBe('completed');
  });

  it('cancel sends nothing more and leaves no recipient pending', async () => {
    const { deps, clock, campaign } = await world(30);
    const { campaign: draft } = await createCampaign(deps, caller, campaign());
    await launchCampaign(deps, caller, draft.campaignId);
    for (const m of deps.sent.splice(0)) if (m.queue === 'campaign-audience') await resolveAudienceStep(deps, m.message as never);
    const pending = deps.sent.splice(0);
    await deliverBatch(
      deps,
      'email',
      pending.slice(0, 10).map((m) => ({ ...(m.message as CampaignSendMessage), receiveCount: 1 })),
      options,
    );
    await pauseCampaign(deps, caller, draft.campaignId);
    await cancelCampaign(deps, caller, draft.campaignId);
    deps.sent.push(...pending.slice(10));
    await play(deps, clock);
    expect(emailsTo(deps)).toHaveLength(10);
    const view = await getCampaign(deps, caller, draft.campaignId);
    expect(view.status).toBe('cancelled');
    expect(view.counts.cancelled).toBe(20);
    expect((await listRecipients(deps, caller, draft.campaignId, { status: 'queued', limit: 100 })).items).toEqual([]);
    expect(await sweepCampaigns(deps)).toMatchObject({ active: 0 });
  });
});

describe('poison messages', () => {
  it('a message that fails on its last receive is recorded as dead-lettered and counted, and the queue gets it back', async () => {
    const { deps, campaign } = await world(2);
    const { campaign: draft } = await createCampaign(deps, caller, campaign());
    await launchCampaign(deps, caller, draft.campaignId);
    for (const m of deps.sent.splice(0)) if (m.queue === 'campaign-audience') await resolveAudienceStep(deps, m.message as never);
    const [first, second] = deps.sent.splice(0).map((m) => m.message as CampaignSendMessage);
    deps.sends.claim = async () => {
      throw new Error('a bug that fails this message every time');
    };
    const early = await deliverBatch(deps, 'email', [{ ...(first as CampaignSendMessage), receiveCount: 1 }], options);
    expect(early.failed).toEqual([0]);
    expect((await getCampaign(deps, caller, draft.campaignId)).counts.failed).toEqual({});
    const last = await deliverBatch(
      deps,
      'email',
      [
        { ...(first as CampaignSendMessage), receiveCount: options.maxReceives },
        { ...(second as CampaignSendMessage), receiveCount: 1 },
      ],
      options,
    );
    expect(last.failed).toEqual([0, 1]);
    const view = await getCampaign(deps, caller, draft.campaignId);
    expect(view.counts.failed).toEqual({ dead_letter: 1 });
    const failed = await listRecipients(deps, caller, draft.campaignId, { status: 'failed', limit: 10 });
    expect(failed.items.map((r) => [r.contactId, r.reason, r.detail])).toEqual([
      [first?.contactId, 'dead_letter', 'a bug that fails this message every time'],
    ]);
  });
});

describe('races and repairs (from the review)', () => {
  const resolveOnly = async (deps: FakeDeps) => {
    for (const m of deps.sent.splice(0)) if (m.queue === 'campaign-audience') await resolveAudienceStep(deps, m.message as never);
    return deps.sent.splice(0).map((m) => ({ ...(m.message as CampaignSendMessage), receiveCount: 1 }));
  };

  it('a duplicate message that arrives while the send is in flight neither marks it unknown nor sends it twice', async () => {
    const { deps, clock, campaign } = await world(3);
    const { campaign: draft } = await createCampaign(deps, caller, campaign());
    await launchCampaign(deps, caller, draft.campaignId);
    const messages = await resolveOnly(deps);
    const send = deps.email.send;
    let raced = false;
    deps.email.send = async (email) => {
      if (!raced) {
        raced = true;
        // A second sender gets the same recipient while the first is inside the SES call.
        await deliverBatch(deps, 'email', [messages[0] as never], options);
      }
      return send(email);
    };
    await deliverBatch(deps, 'email', [messages[0] as never], options);
    deps.email.send = send;
    // The second sender put the message back for after the first one's time is up, and wrote nothing.
    expect(deps.sent.filter((s) => s.queue === 'campaign-email').map((s) => s.delaySeconds)).toEqual([121]);
    deps.sent.push(...messages.slice(1).map((m) => ({ queue: 'campaign-email' as const, message: m })));
    await play(deps, clock);
    expect(emailsTo(deps)).toHaveLength(3);
    const view = await getCampaign(deps, caller, draft.campaignId);
    expect(view.counts.variants.A).toMatchObject({ sent: 3, unknown: 0 });
    expect(view.counts.cancelled).toBe(0);
    expect(view.status).toBe('completed');
  });

  it('a cancel that lands while a sender waits for tokens stops the send, and the record says cancelled', async () => {
    const { deps, campaign } = await world(2);
    const { campaign: draft } = await createCampaign(deps, caller, campaign());
    await launchCampaign(deps, caller, draft.campaignId);
    const messages = await resolveOnly(deps);
    const take = deps.pacer.take;
    deps.pacer.take = async (...args) => {
      await cancelCampaign(deps, caller, draft.campaignId);
      deps.pacer.take = take;
      return take(...args);
    };
    await deliverBatch(deps, 'email', messages as never, options);
    expect(emailsTo(deps)).toEqual([]);
    expect((await listRecipients(deps, caller, draft.campaignId, { status: 'cancelled', limit: 10 })).items).toHaveLength(2);
  });

  it('a crash between writing records and queueing them never completes the campaign early: the recount finds them', async () => {
    const { deps, clock, campaign } = await world(40);
    const { campaign: draft } = await createCampaign(deps, caller, campaign());
    await launchCampaign(deps, caller, draft.campaignId);
    deps.failOnce('queue.sendMany', 0); // the first page's messages are lost once; the step is retried
    const audience = deps.sent.splice(0);
    for (const m of audience) await resolveAudienceStep(deps, m.message as never).catch(() => deps.sent.push(m));
    await play(deps, clock);
    const view = await getCampaign(deps, caller, draft.campaignId);
    expect(emailsTo(deps)).toHaveLength(40);
    expect(view.counts.variants.A).toMatchObject({ queued: 40, sent: 40 });
    expect(view.counts.cancelled).toBe(0);
    expect(view.status).toBe('completed');
  });

  it('recipients waiting for quiet hours are not a stall: the sweep does not requeue them', async () => {
    const { deps, clock, campaign } = await world(0, {
      contacts: [{ email: 'tokyo@example.com', timezone: 'Asia/Tokyo', consent: { email: { status: 'subscribed' } } }],
    });
    const { campaign: draft } = await createCampaign(deps, caller, campaign({ quietHours: { start: '20:00', end: '08:00' } }));
    await launchCampaign(deps, caller, draft.campaignId);
    await resolveOnly(deps).then((ms) => deliverBatch(deps, 'email', ms as never, options));
    deps.sent.splice(0); // the delayed message, held by SQS meanwhile
    for (let i = 0; i < 12; i++) {
      await sweepCampaigns(deps);
      clock.advance(CAMPAIGN_STALL_MS);
    }
    expect(deps.sent.filter((s) => s.queue === 'campaign-control' || s.queue === 'campaign-email')).toEqual([]);
  });

  it('the repair keeps what SES reported (delivered, bounced, complained)', async () => {
    const { deps, clock, campaign, ids } = await world(2);
    const { campaign: draft } = await createCampaign(deps, caller, campaign());
    await launchCampaign(deps, caller, draft.campaignId);
    await play(deps, clock);
    const exact = (await import('../../../shared/services/campaign-progress.ts')).recount;
    // The recount reads the records, then the SES event lands (record and counter), then the recount sets its figures.
    const { counters } = await exact(deps, caller.tenantId, draft.campaignId, clock.now());
    await deps.sends.markFeedback(caller.tenantId, draft.campaignId, ids[0] as string, 'deliveredAt', clock.now().toISOString());
    await deps.campaigns.addCounts(caller.tenantId, draft.campaignId, { 'delivered#A': 1 });
    await deps.campaigns.setCounts(caller.tenantId, draft.campaignId, counters);
    expect((await getCampaign(deps, caller, draft.campaignId)).counts.variants.A?.delivered).toBe(1);
  });

  it('a sender the service refuses (sending paused, identity unverified) pauses the campaign with the reason; resume sends', async () => {
    const { deps, clock, campaign } = await world(5);
    const { campaign: draft } = await createCampaign(deps, caller, campaign());
    const send = deps.email.send;
    deps.email.send = async () => {
      throw new DeliveryBlocked('SendingPausedException: Sending is paused for this account');
    };
    await launchCampaign(deps, caller, draft.campaignId);
    await play(deps, clock);
    const paused = await getCampaign(deps, caller, draft.campaignId);
    expect(paused.status).toBe('paused');
    expect(paused.error).toMatch(/SendingPausedException/);
    expect(paused.counts.failed).toEqual({});
    deps.email.send = send;
    await resumeCampaign(deps, caller, draft.campaignId);
    await play(deps, clock);
    expect(emailsTo(deps)).toHaveLength(5);
    expect((await getCampaign(deps, caller, draft.campaignId)).status).toBe('completed');
  });

  it('two campaigns sending at once to one contact respect a cap of one message', async () => {
    const { deps, campaign } = await world(1);
    await updateSendingSettings(deps, caller, { email: { from: 'news@shop.example' }, frequencyCap: { messages: 1, withinDays: 7 } });
    const a = (await createCampaign(deps, caller, campaign({ name: 'A' }))).campaign;
    const b = (await createCampaign(deps, caller, campaign({ name: 'B' }))).campaign;
    await launchCampaign(deps, caller, a.campaignId);
    await launchCampaign(deps, caller, b.campaignId);
    const messages = await resolveOnly(deps);
    // Both senders read the (empty) send log before either claims.
    await Promise.all(messages.map((m) => deliverBatch(deps, 'email', [m as never], options)));
    expect(emailsTo(deps)).toHaveLength(1);
  });

  it('an edit keeps what it does not name (attributionDays), and an empty edit is a 400', async () => {
    const { deps, campaign } = await world(0);
    const { campaign: draft } = await createCampaign(deps, caller, campaign({ attributionDays: 14 }));
    expect((await updateCampaign(deps, caller, draft.campaignId, UpdateCampaign.parse({ name: 'Renamed' }))).attributionDays).toBe(14);
    expect(UpdateCampaign.safeParse({}).success).toBe(false);
  });
});

describe('topics', () => {
  const topics = [
    { name: 'newsletter', displayName: 'Newsletter', defaultStatus: 'subscribed' }, // opt-out
    { name: 'offers', displayName: 'Offers', defaultStatus: 'unsubscribed' }, // opt-in
  ] as const;
  const settings = { email: { from: 'news@shop.example' }, topics: [...topics] };

  /**
   * Four email subscribers: p0 never chose a topic, p1 left the newsletter, p2 chose offers,
   * p3 declined offers.
   */
  async function topicWorld() {
    const w = await world(4);
    await updateSendingSettings(w.deps, caller, settings);
    const choose = (i: number, topic: string, status: 'subscribed' | 'unsubscribed') =>
      patchContact(w.deps, caller, w.ids[i] as string, { topics: { [topic]: { status } } });
    await choose(1, 'newsletter', 'unsubscribed');
    await choose(2, 'offers', 'subscribed');
    await choose(3, 'offers', 'unsubscribed');
    const run = async (topic: string) => {
      const { campaign: draft } = await createCampaign(w.deps, caller, w.campaign({ topic }));
      await launchCampaign(w.deps, caller, draft.campaignId);
      return draft.campaignId;
    };
    return { ...w, run };
  }

  it('an opt-out topic reaches everyone but who left it: skipped topic_unsubscribed, on the record and in the counts', async () => {
    // Arrange
    const w = await topicWorld();
    // Act
    const campaignId = await w.run('newsletter');
    await play(w.deps, w.clock);
    // Assert
    const view = await getCampaign(w.deps, caller, campaignId);
    expect(view.status).toBe('completed');
    expect(view.counts.skipped).toEqual({ topic_unsubscribed: 1 });
    expect(view.counts.variants.A?.sent).toBe(3);
    expect(emailsTo(w.deps).sort()).toEqual(['p0@example.com', 'p2@example.com', 'p3@example.com']);
    const skipped = await listRecipients(w.deps, caller, campaignId, { status: 'skipped', limit: 10 });
    expect(skipped.items.map((r) => [r.contactId, r.reason])).toEqual([[w.ids[1], 'topic_unsubscribed']]);
  });

  it('an opt-in topic reaches only who chose it; channel consent still applies on top', async () => {
    // Arrange: p4 chose offers but left email.
    const w = await topicWorld();
    const { contact } = await upsertContact(w.deps, caller, {
      email: 'p4@example.com',
      consent: { email: { status: 'unsubscribed' } },
      topics: { offers: { status: 'subscribed' } },
    });
    await addMembers(w.deps, caller, w.list.listId, [contact.contactId]);
    // Act
    const campaignId = await w.run('offers');
    await play(w.deps, w.clock);
    // Assert
    const view = await getCampaign(w.deps, caller, campaignId);
    expect(view.counts.skipped).toEqual({ topic_unsubscribed: 3, no_consent: 1 });
    expect(emailsTo(w.deps)).toEqual(['p2@example.com']);
  });

  it('a contact who leaves the topic between resolution and the send is skipped at send time', async () => {
    // Arrange
    const w = await topicWorld();
    const campaignId = await w.run('newsletter');
    for (const m of w.deps.sent.splice(0)) if (m.queue === 'campaign-audience') await resolveAudienceStep(w.deps, m.message as never);
    expect((await getCampaign(w.deps, caller, campaignId)).counts.variants.A?.queued).toBe(3);
    // Act
    await patchContact(w.deps, caller, w.ids[0] as string, { topics: { newsletter: { status: 'unsubscribed' } } });
    await play(w.deps, w.clock);
    // Assert
    const view = await getCampaign(w.deps, caller, campaignId);
    expect(view.counts.skipped).toEqual({ topic_unsubscribed: 2 });
    expect(emailsTo(w.deps).sort()).toEqual(['p2@example.com', 'p3@example.com']);
    expect(view.status).toBe('completed');
  });

  it('a topic deleted from the settings after launch counts as opt-in: only who chose it gets the message', async () => {
    // Arrange
    const w = await topicWorld();
    await patchContact(w.deps, caller, w.ids[3] as string, { topics: { newsletter: { status: 'subscribed' } } });
    const campaignId = await w.run('newsletter');
    // Act
    await updateSendingSettings(w.deps, caller, { ...settings, topics: [topics[1]] });
    await play(w.deps, w.clock);
    // Assert
    expect(emailsTo(w.deps)).toEqual(['p3@example.com']);
    expect((await getCampaign(w.deps, caller, campaignId)).counts.skipped).toEqual({ topic_unsubscribed: 3 });
  });

  it('a campaign names only a topic of the workspace (400 naming topic) on create, edit and launch; null removes it', async () => {
    // Arrange
    const w = await topicWorld();
    const fieldsOf = (error: unknown) => (error as ValidationFailed).issues.map((i) => i.field);
    // Act / Assert
    expect(fieldsOf(await failure(createCampaign(w.deps, caller, w.campaign({ topic: 'promos' }))))).toEqual(['body.topic']);
    const { campaign: draft } = await createCampaign(w.deps, caller, w.campaign({ topic: 'offers' }));
    expect(draft.topic).toBe('offers');
    expect(fieldsOf(await failure(updateCampaign(w.deps, caller, draft.campaignId, { topic: 'promos' })))).toEqual(['body.topic']);
    await updateSendingSettings(w.deps, caller, { ...settings, topics: [topics[0]] });
    expect(fieldsOf(await failure(launchCampaign(w.deps, caller, draft.campaignId)))).toEqual(['body.topic']);
    const edited = await updateCampaign(w.deps, caller, draft.campaignId, UpdateCampaign.parse({ topic: null }));
    expect(edited.topic).toBeUndefined();
    expect((await updateCampaign(w.deps, caller, draft.campaignId, { name: 'Kept' })).topic).toBeUndefined();
    expect((await launchCampaign(w.deps, caller, draft.campaignId)).status).toBe('sending');
  });

  it('a contact names only topics of the workspace (400 naming each unknown one)', async () => {
    const w = await topicWorld();
    const error = await failure(patchContact(w.deps, caller, w.ids[0] as string, { topics: { promos: { status: 'subscribed' } } }));
    expect((error as ValidationFailed).issues.map((i) => i.field)).toEqual(['body.topics.promos']);
    const upsert = await failure(
      upsertContact(w.deps, caller, { email: 'new@example.com', topics: { promos: { status: 'unsubscribed' } } }),
    );
    expect(upsert).toBeInstanceOf(ValidationFailed);
  });
});
