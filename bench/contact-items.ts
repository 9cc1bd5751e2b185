/**
 * Contact items for benches. Synthetic stored contact items and events (set-up only, never
 * measured): the contact repo's key and attribute shape, value aggregates folded by foldEvents from
 * a generated purchase and visit history; deterministic, item i is the same on every call. And the
 * bare read of a workspace's contact items that benches measure the contact scans against.
 */
import { QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { contactRange, gsi1, keys } from '../shared/db/keys.ts';
import { TABLE_KEYS } from '../shared/db/table.ts';
import type { StoredEvent } from '../shared/domain/event.ts';
import { derivedId } from '../shared/domain/ids.ts';
import type { ContactItem } from '../shared/domain/segment-eval.ts';
import { foldEvents } from '../shared/domain/value.ts';
import { SCAN_PAGE, SCAN_PARTS } from '../shared/services/contact-scan.ts';

const DAY = 86_400;

export function prng(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const CATEGORIES = ['shoes', 'shirts', 'bags', 'hats', 'socks', 'jackets', 'dresses', 'accessories', 'sportswear', 'kids'];
const FIRST = ['Ada', 'Grace', 'Alan', 'Edsger', 'Barbara', 'Donald', 'Frances', 'Ken', 'Margaret', 'Niklaus'];

/** The id of synthetic contact i of a workspace. */
export const contactIdOf = (tenantId: string, i: number) => derivedId('ct', tenantId, 'bench', String(i));

/** A stored purchase of 1-3 items (a quarter of them shoes), drawing from `r`. */
export function purchaseEvent(r: () => number, eventId: string, orderId: string, at: string): StoredEvent {
  const items = Array.from({ length: 1 + Math.floor(r() * 3) }, () => ({
    sku: `sku-${Math.floor(r() * 300)}`,
    category: r() < 0.25 ? 'shoes' : (CATEGORIES[Math.floor(r() * CATEGORIES.length)] as string),
    price: Math.round(5 + r() * 120),
    quantity: 1,
  }));
  return { eventId, type: 'purchase', at, receivedAt: at, orderId, total: items.reduce((s, x) => s + x.price, 0), currency: 'EUR', items };
}

/**
 * One stored contact item as the contact repo, list repo and event service leave it: 10% never
 * sent an event (no `value`), the rest 1-12 orders over two years (1-3 items, a quarter of them
 * shoes) and 0-10 visits, folded by foldEvents as refreshAggregates does.
 */
export function contactItem(tenantId: string, i: number, listId: string, nowMs: number): ContactItem {
  const r = prng(i * 2654435761 + 7);
  const contactId = contactIdOf(tenantId, i);
  const created = new Date(nowMs - Math.floor(r() * 900) * DAY * 1000).toISOString();
  const hasPhone = r() < 0.3;
  const emailStatus = r() < 0.7 ? 'subscribed' : r() < 0.4 ? 'unsubscribed' : 'unknown';
  const item: ContactItem = {
    ...keys.contact({ tenantId, contactId }),
    ...gsi1.contacts({ tenantId, contactId }),
    entity: 'contact',
    tenantId,
    contactId,
    ...(r() < 0.95 ? { email: `contact${i}@example.com` } : {}),
    ...(hasPhone ? { phone: `+44770${String(1_000_000 + i).slice(-7)}` } : {}),
    firstName: FIRST[i % FIRST.length],
    attributes: { plan: r() < 0.2 ? 'pro' : 'free', source: r() < 0.5 ? 'import' : 'shop', signupYear: 2019 + Math.floor(r() * 7) },
    consent: {
      email: emailStatus === 'unknown' ? { status: 'unknown' } : { status: emailStatus, source: 'import', at: created },
      sms: hasPhone && r() < 0.6 ? { status: 'subscribed', source: 'shop', at: created } : { status: 'unknown' },
    },
    createdAt: created,
    updatedAt: created,
    version: 1,
  };
  const lists = [...(r() < 0.25 ? [listId] : []), ...(r() < 0.3 ? ['ls_newsletter'] : [])];
  if (lists.length > 0) item.lists = new Set(lists);
  if (r() < 0.1) return item;
  const events: StoredEvent[] = [];
  const orders = 1 + Math.floor(r() ** 2 * 12);
  const lastDaysAgo = r() * 700;
  for (let o = 0; o < orders; o++) {
    const at = new Date(nowMs - (lastDaysAgo + o * (5 + r() * 60)) * DAY * 1000).toISOString();
    events.push(purchaseEvent(r, `e${i}-${o}`, `o${i}-${o}`, at));
  }
  const visits = Math.floor(r() * 11);
  for (let v = 0; v < visits; v++) {
    const at = new Date(nowMs - r() * 200 * DAY * 1000).toISOString();
    events.push({ eventId: `v${i}-${v}`, type: 'visit', at, receivedAt: at });
  }
  item.value = foldEvents(events);
  return item;
}

/**
 * Every contact item of a workspace over the same ranges of gsi1 that forEachContact reads
 * (SCAN_PARTS at once, SCAN_PAGE a page), items dropped: the raw read a contact scan is measured against.
 */
export async function bareContactRead(doc: DynamoDBDocumentClient, table: string, tenantId: string): Promise<number> {
  const counts = await Promise.all(
    Array.from({ length: SCAN_PARTS }, async (_, part) => {
      const { low, high } = contactRange(part, SCAN_PARTS);
      const range = low && high ? ' AND gsi1sk BETWEEN :low AND :high' : low ? ' AND gsi1sk >= :low' : high ? ' AND gsi1sk <= :high' : '';
      let n = 0;
      let start: Record<string, unknown> | undefined;
      do {
        const out = await doc.send(
          new QueryCommand({
            TableName: table,
            IndexName: TABLE_KEYS.gsi1.name,
            KeyConditionExpression: `gsi1pk = :pk${range}`,
            ExpressionAttributeValues: {
              ':pk': gsi1.contactsPartition({ tenantId }),
              ...(low ? { ':low': low } : {}),
              ...(high ? { ':high': high } : {}),
            },
            Limit: SCAN_PAGE,
            ExclusiveStartKey: start,
          }),
        );
        n += out.Items?.length ?? 0;
        start = out.LastEvaluatedKey;
      } while (start);
      return n;
    }),
  );
  return counts.reduce((s, n) => s + n, 0);
}
