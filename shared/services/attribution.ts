/**
 * Conversions counted as events arrive, for the evaluation (docs/reports.md, "Attribution").
 *
 * The rule: an event counts for every campaign that assigned the contact to a group — a variant or
 * the holdout, sent or not (intention to treat) — when it falls inside that campaign's window: from
 * the campaign's start for `attributionDays` (a triggered campaign: from the firing, and only its
 * latest firing before the event). So a purchase after two campaigns counts for both: each
 * campaign's holdout comparison is its own randomised experiment, and a last-touch rule would take
 * purchases away from the holdouts (who get no touch) and bias every uplift upwards.
 * A purchase adds revenue; the campaign's goal event (a purchase unless the campaign names another)
 * makes a converter, once per assignment. A purchase's orderId counts once.
 */
import { recipientKey } from '../domain/campaign.ts';
import type { StoredEvent } from '../domain/event.ts';
import {
  type Assignment,
  type ConversionEvent,
  conversionDelta,
  type EvaluatedCampaign,
  groupKey,
  groupOf,
  inCampaignWindow,
  inWindow,
  isGoalEvent,
  newCategoriesOf,
  type PendingConversion,
  DAY_MS,
} from '../domain/evaluation.ts';
import type { Deps } from '../runtime/ports.ts';

export type AttributionDeps = Pick<Deps, 'evaluation' | 'now'>;

/** Events that can count: purchases (revenue, and the default goal) and custom events (a goal). */
export const mayConvert = (e: Pick<StoredEvent, 'type'>) => e.type !== 'refund';

/**
 * Counts `events` (a batch of one contact's events, replays included: what was counted is not
 * counted again) for the campaigns in `started`. `history` is every stored event of the contact
 * (to tell a category new to it). Returns how many (event, campaign) conversions were counted now.
 */
export async function countConversions(
  deps: AttributionDeps,
  tenantId: string,
  contactId: string,
  events: StoredEvent[],
  history: StoredEvent[],
  started: EvaluatedCampaign[],
): Promise<number> {
  const live = started;
  const relevant = events
    .filter((e) => mayConvert(e) && (e.type === 'purchase' || live.some((c) => isGoalEvent(c.goal, e))))
    .sort((a, b) => a.at.localeCompare(b.at));
  if (relevant.length === 0 || live.length === 0) return 0;
  const times = relevant.map((e) => Date.parse(e.at));
  const first = Math.min(...times);
  const last = Math.max(...times);
  const covers = (c: EvaluatedCampaign) => (c.triggered ? last >= Date.parse(c.startedAt) : times.some((t) => inCampaignWindow(t, c)));
  const campaigns = live.filter(covers);
  if (campaigns.length === 0) return 0;

  const refs = campaigns.filter((c) => !c.triggered).map((c) => ({ campaignId: c.campaignId, key: contactId }));
  const triggered = new Map(campaigns.filter((c) => c.triggered).map((c) => [c.campaignId, c]));
  if (triggered.size > 0) {
    for (const f of await deps.evaluation.firedFirings(tenantId, contactId)) {
      const c = triggered.get(f.campaignId);
      const firedAt = Date.parse(f.firedAt);
      // Recent enough for its window to reach the first event (the record's own time decides below).
      if (c && firedAt >= first - c.attributionDays * DAY_MS - 60_000)
        refs.push({ campaignId: c.campaignId, key: recipientKey(contactId, f.firingId) });
    }
  }
  if (refs.length === 0) return 0;
  const assignments = (await deps.evaluation.assignments(tenantId, refs)).filter((a) => groupOf(a) !== undefined);

  let counted = 0;
  for (const event of relevant) {
    const at = Date.parse(event.at);
    const categories = event.type === 'purchase' ? newCategoriesOf(event, history) : { newCategories: [], existingCustomer: false };
    for (const c of campaigns) {
      const purchase = event.type === 'purchase';
      const goal = isGoalEvent(c.goal, event);
      if (!purchase && !goal) continue;
      const mine = assignments.filter((a) => a.campaignId === c.campaignId);
      const a = c.triggered
        ? mine
            .filter((x) => inWindow(at, Date.parse(x.createdAt), c.attributionDays))
            .sort((x, y) => y.createdAt.localeCompare(x.createdAt))[0]
        : inCampaignWindow(at, c)
          ? mine[0]
          : undefined;
      if (!a) continue;
      const conversion: ConversionEvent = {
        token: purchase && event.orderId !== undefined ? `o:${event.orderId}` : `e:${event.eventId}`,
        isGoal: goal,
        amount: purchase ? (event.total ?? 0) : undefined,
        ...categories,
      };
      if (await countOne(deps, tenantId, a, conversion, event.at)) counted++;
    }
  }
  return counted;
}

/**
 * Counts one event for one assignment: finishes a conversion a crash left pending, writes this one
 * on the record (conditional on the version read), then adds it to the counters and clears it.
 */
async function countOne(deps: AttributionDeps, tenantId: string, read: Assignment, event: ConversionEvent, at: string): Promise<boolean> {
  let a: Assignment | undefined = read;
  for (let attempt = 0; attempt < 8 && a; attempt++) {
    if (a.pending) {
      await finish(deps, tenantId, a, a.pending);
      a = await reread(deps, tenantId, a);
      continue;
    }
    const delta = conversionDelta(a.state, event);
    if (!delta) return false;
    const group = groupOf(a);
    if (!group) return false;
    const pending: PendingConversion = { token: event.token, group: groupKey(group), delta };
    const written = await deps.evaluation.recordConversion(tenantId, a, pending, {
      revenue: a.state.revenue + (event.amount ?? 0),
      convertedAt: delta.converters > 0 ? at : undefined,
      crossSold: a.state.crossSold || delta.crossSell > 0,
      recommendedBought: a.state.recommendedBought || delta.recommended > 0,
    });
    if (written) {
      await finish(deps, tenantId, a, pending);
      return true;
    }
    a = await reread(deps, tenantId, a); // another event of this assignment was counted meanwhile
  }
  if (a) throw new Error(`conversion of ${a.campaignId}/${a.key}: too many concurrent changes`);
  return false;
}

async function finish(deps: AttributionDeps, tenantId: string, a: Assignment, pending: PendingConversion) {
  await deps.evaluation.addConversion(tenantId, a.campaignId, pending.group, `${a.key}|${pending.token}`, pending.delta, deps.now());
  await deps.evaluation.clearPending(tenantId, a.campaignId, a.key, pending.token);
}

async function reread(deps: AttributionDeps, tenantId: string, a: Assignment): Promise<Assignment | undefined> {
  return (await deps.evaluation.assignments(tenantId, [{ campaignId: a.campaignId, key: a.key }]))[0];
}
