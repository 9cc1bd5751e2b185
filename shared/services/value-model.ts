/**
 * The value model's workspace side: thresholds (settings) and the boundaries (RFM quintiles,
 * Pareto tiers) that a schedule recomputes from the whole base into one settings item.
 */
import type { ContactItem } from '../domain/segment-eval.ts';
import { computeBoundaries, describeValue, Aggregates, type Boundaries, type ContactValue, type ValueSettings } from '../domain/value.ts';
import type { Contact } from '../domain/contact.ts';
import { Conflict, NotFound } from '../domain/errors.ts';
import type { SendingSettings } from '../domain/sending.ts';
import { mineRules, type RuleSet } from '../domain/basket-rules.ts';

/** A settings item must stay under DynamoDB's 400 KB: the weakest rules go first (long category names). */
const MAX_RULES_BYTES = 350_000;
export function withinItemSize(rules: RuleSet, maxBytes = MAX_RULES_BYTES): RuleSet {
  let kept = rules.rules;
  while (kept.length > 0 && Buffer.byteLength(JSON.stringify({ ...rules, rules: kept })) > maxBytes) {
    kept = kept.slice(0, Math.floor(kept.length * 0.9));
  }
  return { ...rules, rules: kept };
}

/** Customer baskets: a rule needs 1% of customers and 5 of them at least (MineOptions' minCount). */
const CROSS_SELL_MINING = { minSupport: 0.01, minConfidence: 0.1, maxRules: 1500 };
/**
 * Products are many and each is bought by few: product rules are mined once there are this many
 * customer baskets of products, at a support of 0.2% (and 10 baskets at least), pairs and triples.
 */
export const PRODUCT_RULES_MIN_BASKETS = 1000;
const PRODUCT_MINING = { minSupport: 0.002, minConfidence: 0.1, minCount: 10, maxAntecedent: 2, maxRules: 1500 };
import type { Caller, Deps } from '../runtime/ports.ts';
import { forEachContact } from './contact-scan.ts';

export async function getValueModel(
  deps: Pick<Deps, 'settings'>,
  caller: Caller,
): Promise<{ settings: ValueSettings; boundaries?: Boundaries }> {
  return deps.settings.valueModel(caller.tenantId);
}

export async function getSendingSettings(deps: Pick<Deps, 'settings'>, caller: Caller): Promise<SendingSettings> {
  return deps.settings.sending(caller.tenantId);
}

/** Replaces the sending settings (a PUT: what is not given is cleared). */
export async function updateSendingSettings(
  deps: Pick<Deps, 'settings'>,
  caller: Caller,
  settings: SendingSettings,
): Promise<SendingSettings> {
  // Inbound replies (STOP) find the workspace by the number they were sent to: one workspace per identity.
  if (settings.sms && !(await deps.settings.claimSmsOrigin(caller.tenantId, settings.sms.originationIdentity))) {
    throw new Conflict(`sms.originationIdentity: ${settings.sms.originationIdentity} is another workspace's origination identity`);
  }
  await deps.settings.saveSending(caller.tenantId, settings);
  return settings;
}

export async function updateValueSettings(deps: Pick<Deps, 'settings'>, caller: Caller, settings: ValueSettings) {
  await deps.settings.saveValueSettings(caller.tenantId, settings);
  return deps.settings.valueModel(caller.tenantId);
}

/**
 * Recomputes a workspace's boundaries: reads every contact item once, in parallel ranges, and
 * keeps three numbers per customer (not the items), then writes one settings item.
 */
export async function recomputeBoundaries(deps: Pick<Deps, 'contacts' | 'settings' | 'now'>, tenantId: string): Promise<Boundaries> {
  let last = new Float64Array(1024);
  let orders = new Float64Array(1024);
  let revenue = new Float64Array(1024);
  let n = 0;
  // The same pass collects each customer's categories: the baskets the cross-sell rules are mined from.
  const baskets: string[][] = [];
  const productBaskets: string[][] = [];
  await forEachContact(deps, tenantId, {}, (item: ContactItem) => {
    const value = item.value as
      | { orders?: unknown; lastPurchaseAt?: unknown; revenue?: unknown; categories?: unknown; skus?: unknown }
      | undefined;
    if (!value || typeof value.orders !== 'number' || value.orders === 0 || typeof value.lastPurchaseAt !== 'number') return;
    if (value.categories !== null && typeof value.categories === 'object') {
      const categories = Object.keys(value.categories);
      if (categories.length > 0) baskets.push(categories);
    }
    if (value.skus !== null && typeof value.skus === 'object') {
      const skus = Object.keys(value.skus);
      if (skus.length > 0) productBaskets.push(skus);
    }
    if (n === last.length) {
      const grow = (a: Float64Array) => {
        const b = new Float64Array(a.length * 2);
        b.set(a);
        return b;
      };
      last = grow(last);
      orders = grow(orders);
      revenue = grow(revenue);
    }
    last[n] = value.lastPurchaseAt;
    orders[n] = value.orders;
    revenue[n] = typeof value.revenue === 'number' ? value.revenue : 0;
    n++;
  });
  const boundaries = computeBoundaries(
    { lastPurchaseAt: last.subarray(0, n), orders: orders.subarray(0, n), revenue: revenue.subarray(0, n) },
    deps.now(),
  );
  await deps.settings.saveBoundaries(tenantId, boundaries);
  await deps.settings.saveRules(tenantId, withinItemSize(mineRules(baskets, CROSS_SELL_MINING)));
  // Below that many baskets a product rule rests on a handful of customers: categories only.
  if (productBaskets.length >= PRODUCT_RULES_MIN_BASKETS)
    await deps.settings.saveRules(tenantId, withinItemSize(mineRules(productBaskets, PRODUCT_MINING)), 'product');
  return boundaries;
}

/**
 * The schedule: one queue message per workspace that has sent events, so each recompute has a
 * worker (and a Lambda timeout) of its own and a big workspace never delays the others.
 */
export async function recomputeAllBoundaries(deps: Pick<Deps, 'settings' | 'queue'>): Promise<{ tenants: number }> {
  const tenants = await deps.settings.tenants();
  for (const tenantId of tenants) await deps.queue.send('value-model', { tenantId });
  return { tenants: tenants.length };
}

/** `POST /settings/value-model/recompute`: queued, since reading a big base outlasts an API request. */
export async function requestRecompute(deps: Pick<Deps, 'queue'>, caller: Caller): Promise<{ status: 'queued' }> {
  await deps.queue.send('value-model', { tenantId: caller.tenantId });
  return { status: 'queued' };
}

/** A contact with its value model: aggregates, RFM scores, tier and lifecycle stage. */
export async function getContactWithValue(
  deps: Pick<Deps, 'contacts' | 'settings' | 'now'>,
  caller: Caller,
  contactId: string,
): Promise<Contact & { value: ContactValue }> {
  const [found, model] = await Promise.all([
    deps.contacts.getWithAggregates(caller.tenantId, contactId),
    deps.settings.valueModel(caller.tenantId),
  ]);
  if (!found) throw new NotFound(`contact ${contactId}`);
  const aggregates = found.aggregates === undefined ? undefined : Aggregates.parse(found.aggregates);
  return { ...found.contact, value: describeValue(aggregates, model.boundaries, model.settings, deps.now()) };
}
