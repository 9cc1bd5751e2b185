/** message.converted: a purchase after a campaign message, inside its attribution window, last touch, once per message and order. */
import { describe, expect, it } from 'vitest';
import type { WebhookDelivery } from '../../../shared/domain/webhook.ts';
import { createCampaign, launchCampaign } from '../../../shared/services/campaigns.ts';
import { ingestEvents } from '../../../shared/services/events.ts';
import { createWebhook } from '../../../shared/services/webhooks.ts';
import { caller, play, world } from '../../helpers/campaign-world.ts';

const DAY = 86_400_000;

async function sentCampaign(attributionDays = 7) {
  const w = await world(1);
  const { campaign } = await createCampaign(w.deps, caller, w.campaign({ attributionDays }));
  await launchCampaign(w.deps, caller, campaign.campaignId);
  await play(w.deps, w.clock);
  w.deps.sent.splice(0);
  const buy = (orderId: string, eventId = orderId) =>
    ingestEvents(w.deps, caller, [
      { eventId, type: 'purchase', email: 'p0@example.com', orderId, total: 42, currency: 'EUR', at: w.clock.now().toISOString() },
    ]);
  const converted = () =>
    w.deps.sent
      .filter((s) => s.queue === 'webhook-deliveries')
      .map((s) => (s.message as WebhookDelivery).event)
      .filter((e) => e.type === 'message.converted');
  return { ...w, campaign, buy, converted };
}

describe('message.converted', () => {
  it('publishes a purchase inside the window for the message, once per order (a retry has the same event id)', async () => {
    const w = await sentCampaign();
    await createWebhook(w.deps, caller, { url: 'https://hooks.example/h', events: ['message.converted'] });
    w.clock.advance(2 * DAY);
    await w.buy('o1');
    await w.buy('o1'); // the shop retries
    await w.buy('o1', 'o1-corrected'); // the same order under a new event id
    const events = w.converted();
    expect(events).toHaveLength(2); // the retry publishes nothing; the order under a new event id, the same id again
    expect(new Set(events.map((e) => e.id)).size).toBe(1);
    expect(events[0]?.data).toMatchObject({ campaignId: w.campaign.campaignId, orderId: 'o1', total: 42, currency: 'EUR', variant: 'A' });
  });

  it('publishes nothing after the window, nor without a subscriber', async () => {
    const w = await sentCampaign(3);
    w.clock.advance(DAY);
    await w.buy('before-subscribing');
    expect(w.converted()).toEqual([]);
    await createWebhook(w.deps, caller, { url: 'https://hooks.example/h', events: ['message.converted'] });
    w.clock.advance(3 * DAY);
    await w.buy('too-late');
    expect(w.converted()).toEqual([]);
  });
});
