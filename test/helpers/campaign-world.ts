/**
 * A campaign world for use-case tests: a simulated clock, in-memory ports, a sender identity,
 * an email and an SMS template, a list of subscribed contacts; and a player for the queues.
 */
import type { CampaignSendMessage } from '../../shared/api/messages.ts';
import type { CreateCampaign } from '../../shared/domain/campaign.ts';
import { resolveAudienceStep } from '../../shared/services/campaign-audience.ts';
import { controlStep } from '../../shared/services/campaign-control.ts';
import { deliverBatch } from '../../shared/services/campaign-delivery.ts';
import { upsertContact } from '../../shared/services/contacts.ts';
import { runDue, scanAtLaunch } from '../../shared/services/triggers.ts';
import { addMembers, createList } from '../../shared/services/lists.ts';
import { createTemplate } from '../../shared/services/template-authoring.ts';
import { updateSendingSettings } from '../../shared/services/value-model.ts';
import { fakeClock, fakeDeps, type FakeDeps, type Sent } from './fakes.ts';

export const caller = { tenantId: 't-campaigns' };
export const options = { maxReceives: 5, publicUrl: 'https://herald.example' };
export const failure = (p: Promise<unknown>) =>
  p.then(
    () => undefined,
    (e: unknown) => e,
  );

/** A world with a clock, a sender identity, an email and an SMS template, a list of `n` subscribed contacts. */
export async function world(n: number, extra: { contacts?: Parameters<typeof upsertContact>[2][] } = {}) {
  const clock = fakeClock('2026-03-02T12:00:00.000Z');
  const deps = fakeDeps(clock.now, (ms) => clock.advance(ms));
  await updateSendingSettings(deps, caller, {
    email: { from: 'news@shop.example', fromName: 'Shop' },
    sms: { originationIdentity: '+15550100' },
  });
  const { template: email } = await createTemplate(deps, caller, {
    name: 'Offer',
    channel: 'email',
    email: {
      subject: 'Hi {{ contact.firstName | default: "there" }}',
      html: '<p>Offer</p><a href="https://shop.example/sale?size=42">Sale</a> <a href="{% unsubscribe_url %}">unsubscribe</a>',
    },
  });
  const { template: sms } = await createTemplate(deps, caller, {
    name: 'Text',
    channel: 'sms',
    sms: { body: 'Offer for {{ contact.firstName }}' },
  });
  const { list } = await createList(deps, caller, { name: 'Everyone' });
  const ids: string[] = [];
  for (let i = 0; i < n; i++) {
    const { contact } = await upsertContact(deps, caller, {
      email: `p${i}@example.com`,
      firstName: `P${i}`,
      consent: { email: { status: 'subscribed' } },
    });
    ids.push(contact.contactId);
  }
  for (const c of extra.contacts ?? []) ids.push((await upsertContact(deps, caller, c)).contact.contactId);
  await addMembers(deps, caller, list.listId, ids);
  const campaign = (over: Partial<CreateCampaign> = {}): CreateCampaign => ({
    name: 'Spring',
    channel: 'email',
    variants: [{ name: 'A', email: email.templateId }],
    audience: { lists: [list.listId] },
    ...over,
  });
  return { clock, deps, email, sms, list, ids, campaign };
}

export type Played = { sends: CampaignSendMessage[] };

/**
 * Plays every queue until all are empty: delayed messages wait on the simulated clock. `dup`
 * delivers each sender batch twice; `concurrent` runs two senders on each batch at once.
 */
export async function play(
  deps: FakeDeps,
  clock: ReturnType<typeof fakeClock>,
  mode: { dup?: boolean; concurrent?: boolean; batch?: number } = {},
): Promise<Played> {
  const played: Played = { sends: [] };
  const waiting: (Sent & { at: number })[] = [];
  for (let guard = 0; guard < 10_000; guard++) {
    // Webhook deliveries are left on deps.sent for the test to look at; the campaign queues are played.
    const taken = deps.sent.splice(0);
    deps.sent.push(...taken.filter((s) => s.queue === 'webhook-deliveries'));
    const campaignMessages = taken.filter((s) => s.queue !== 'webhook-deliveries');
    waiting.push(...campaignMessages.map((s) => ({ ...s, at: clock.now().getTime() + (s.delaySeconds ?? 0) * 1000 })));
    if (waiting.length === 0) return played;
    waiting.sort((a, b) => a.at - b.at);
    const first = waiting[0] as Sent & { at: number };
    if (first.at > clock.now().getTime()) clock.advance(first.at - clock.now().getTime());
    const due = waiting
      .filter((w) => w.at <= clock.now().getTime() && w.queue === first.queue)
      .slice(0, first.queue.startsWith('campaign-e') || first.queue === 'campaign-sms' ? (mode.batch ?? 10) : 1);
    for (const d of due) waiting.splice(waiting.indexOf(d), 1);
    if (first.queue === 'campaign-audience') await resolveAudienceStep(deps, first.message as never);
    else if (first.queue === 'campaign-control') await controlStep(deps, first.message as never);
    else if (first.queue === 'campaign-email' || first.queue === 'campaign-sms') {
      const channel = first.queue === 'campaign-email' ? 'email' : 'sms';
      const batch = due.map((d) => ({ ...(d.message as CampaignSendMessage), receiveCount: 1 }));
      played.sends.push(...batch);
      const run = () => deliverBatch(deps, channel, batch, options);
      if (mode.concurrent) await Promise.all([run(), run()]);
      else {
        const out = await run();
        // The queue's part: failed messages come back.
        for (const i of out.failed)
          waiting.push({ queue: first.queue, message: batch[i] as never, at: clock.now().getTime() + 1000 } as never);
        if (mode.dup) await run();
      }
    } else if (first.queue === 'trigger-due') await runDue(deps, first.message as never);
    else if (first.queue === 'trigger-scan') await scanAtLaunch(deps, first.message as never);
    else throw new Error(`unexpected queue ${first.queue}`);
  }
  throw new Error('queues never drained');
}

export const emailsTo = (deps: FakeDeps) => deps.delivered.emails.map((e) => e.to);
