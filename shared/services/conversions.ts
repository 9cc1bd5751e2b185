/**
 * `message.converted`: a purchase made after a campaign message, inside that campaign's
 * attribution window, published as a webhook. Last touch: the purchase is credited to the most
 * recent message the contact was sent before it whose window (the campaign's `attributionDays`)
 * still covers it. Once per message and order (the webhook's key), so a shop retrying the event
 * publishes the same event id. Only read when a workspace subscribes to `message.converted`: the
 * holdout comparison and counters are the evaluation's (issue 9).
 */
import { recipientOfClaim, sendIdOf } from '../domain/campaign.ts';
import type { StoredEvent } from '../domain/event.ts';
import type { Deps } from '../runtime/ports.ts';
import { hasSubscribers, publishWebhookEvent } from './webhooks.ts';

export type ConversionDeps = Pick<Deps, 'sends' | 'campaigns' | 'webhooks' | 'queue' | 'now'>;

/** The longest attribution window a campaign may have (campaign.ts: attributionDays ≤ 90). */
const MAX_WINDOW_MS = 90 * 86_400_000;

export async function publishConversions(
  deps: ConversionDeps,
  tenantId: string,
  contactId: string,
  events: StoredEvent[],
): Promise<number> {
  const purchases = events.filter((e) => e.type === 'purchase' && e.orderId !== undefined);
  if (purchases.length === 0 || !(await hasSubscribers(deps, tenantId, 'message.converted'))) return 0;
  const log = (await deps.sends.sendLogs(tenantId, [contactId])).get(contactId);
  const claims = Object.entries(log?.claims ?? {}).sort(([, a], [, b]) => b - a);
  let published = 0;
  for (const purchase of purchases) {
    const at = Date.parse(purchase.at);
    for (const [claim, claimedAt] of claims) {
      if (claimedAt > at) continue; // sent after the purchase
      if (claimedAt < at - MAX_WINDOW_MS) break; // older than any window
      const { campaignId, key } = recipientOfClaim(claim, contactId);
      const [campaign, records] = await Promise.all([
        deps.campaigns.get(tenantId, campaignId),
        deps.sends.getMany(tenantId, campaignId, [key]),
      ]);
      const record = records.get(key);
      const sentAt = record?.sentAt ? Date.parse(record.sentAt) : undefined;
      if (!campaign || record?.status !== 'sent' || sentAt === undefined || sentAt > at) continue;
      if (at - sentAt > campaign.attributionDays * 86_400_000) continue;
      const sendId = sendIdOf(campaignId, key);
      const data = {
        sendId,
        campaignId,
        contactId,
        channel: record.channel,
        ...(record.variant ? { variant: record.variant } : {}),
        orderId: purchase.orderId,
        total: purchase.total,
        currency: purchase.currency,
        purchasedAt: purchase.at,
      };
      await publishWebhookEvent(deps, tenantId, 'message.converted', data, `${sendId}:converted:${purchase.orderId}`, purchase.at);
      published++;
      break; // last touch: one message per purchase
    }
  }
  return published;
}
