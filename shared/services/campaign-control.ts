/**
 * Requeue and cancel, one shard of a campaign's records per message: resume (and the progress
 * sweep's repair) hands pending records to the senders again; cancel marks them cancelled.
 */
import { addTo, counter, type CounterDelta, isDue, keyOf, PENDING_STATUSES } from '../domain/campaign.ts';
import type { Deps } from '../runtime/ports.ts';
import { queueRecipients } from './campaign-audience.ts';
import { settleIfDone } from './campaign-progress.ts';

export const CONTROL_PAGE = 500;
export const CONTROL_BUDGET_MS = 20_000;

export async function controlStep(
  deps: Pick<Deps, 'campaigns' | 'sends' | 'queue' | 'now'>,
  message: {
    tenantId: string;
    campaignId: string;
    action: 'requeue' | 'cancel';
    onlyDue?: boolean | undefined;
    shard: number;
    cursor?: string | undefined;
  },
  budgetMs = CONTROL_BUDGET_MS,
): Promise<{ handled: number }> {
  const { tenantId, campaignId, action, shard } = message;
  const campaign = await deps.campaigns.get(tenantId, campaignId);
  // A resume overtaken by a pause or cancel, or a cancel by nothing: the newer status decides.
  if (!campaign || (action === 'requeue' && campaign.status !== 'sending') || (action === 'cancel' && campaign.status !== 'cancelled')) {
    return { handled: 0 };
  }
  const started = Date.now();
  let cursor = message.cursor;
  let handled = 0;
  do {
    const page = await deps.sends.page(tenantId, campaignId, shard, {
      limit: CONTROL_PAGE,
      statuses: PENDING_STATUSES,
      ...(cursor ? { cursor } : {}),
    });
    if (action === 'requeue') {
      const now = deps.now();
      await queueRecipients(deps, tenantId, message.onlyDue ? page.items.filter((r) => isDue(r, now)) : page.items);
    } else {
      const delta: CounterDelta = {};
      const at = deps.now().toISOString();
      for (const r of page.items) {
        if (await deps.sends.transition(tenantId, campaignId, keyOf(r), [r.status], { status: 'cancelled', updatedAt: at })) {
          addTo(delta, counter.cancelled);
          if (r.status === 'deferred') addTo(delta, counter.deferred, -1);
        }
      }
      const counts = await deps.campaigns.addCounts(tenantId, campaignId, delta);
      await settleIfDone(deps, tenantId, campaignId, counts);
    }
    handled += page.items.length;
    cursor = page.cursor;
    if (cursor && Date.now() - started > budgetMs) {
      await deps.queue.send('campaign-control', {
        tenantId,
        campaignId,
        action,
        shard,
        cursor,
        ...(message.onlyDue ? { onlyDue: true } : {}),
      });
      return { handled };
    }
  } while (cursor);
  return { handled };
}
