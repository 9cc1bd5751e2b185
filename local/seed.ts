/** A small demo data set for a fresh local platform: sending settings with two topics, contacts with consent, two lists, purchases, a segment, two templates and a campaign draft. */
import { allDeps } from '../shared/runtime/deps.ts';
import { upsertContact } from '../shared/services/contacts.ts';
import { addMembers, createList } from '../shared/services/lists.ts';
import { ingestEvents } from '../shared/services/events.ts';
import { createSegment } from '../shared/services/segments.ts';
import { createTemplate } from '../shared/services/template-authoring.ts';
import { createCampaign } from '../shared/services/campaigns.ts';
import type { CreateCampaign } from '../shared/domain/campaign.ts';
import { updateSendingSettings } from '../shared/services/value-model.ts';
import { recomputeBoundaries } from '../shared/services/value-model.ts';

const FIRST = ['Ada', 'Grace', 'Alan', 'Edsger', 'Barbara', 'Donald', 'Frances', 'Ken', 'Margaret', 'Niklaus', 'Radia', 'Tim'];
const LAST = [
  'Lovelace',
  'Hopper',
  'Turing',
  'Dijkstra',
  'Liskov',
  'Knuth',
  'Allen',
  'Thompson',
  'Hamilton',
  'Wirth',
  'Perlman',
  'Berners-Lee',
];
const ZONES = ['Europe/London', 'Europe/Paris', 'America/New_York', 'Asia/Tokyo'];

/** Seeds only an empty workspace; returns how many contacts it created. */
export async function seedDemoData(tenantId: string): Promise<number> {
  const deps = allDeps();
  const caller = { tenantId };
  if ((await deps.contacts.list(tenantId, 1)).items.length > 0) return 0;
  // A sender identity (the local SES accepts any), quiet hours, and two topics (before the contacts that consent to them).
  await updateSendingSettings(deps, caller, {
    email: { from: 'offers@herald.local', fromName: 'Herald Demo Shop' },
    sms: { originationIdentity: '+15550100' },
    quietHours: { start: '21:00', end: '08:00' },
    topics: [
      {
        name: 'newsletter',
        displayName: 'Monthly newsletter',
        description: 'News from the shop, once a month',
        defaultStatus: 'subscribed',
        labels: { de: { displayName: 'Monatlicher Newsletter', description: 'Neues aus dem Laden, einmal im Monat' } },
      },
      {
        name: 'offers',
        displayName: 'Offers and sales',
        description: 'Discounts and sales, a few times a month',
        defaultStatus: 'unsubscribed',
        labels: { de: { displayName: 'Angebote und Rabatte', description: 'Rabatte und Aktionen, ein paar Mal im Monat' } },
      },
    ],
  });
  const ids: string[] = [];
  for (let i = 0; i < 48; i++) {
    const first = FIRST[i % FIRST.length] as string;
    const last = LAST[(i * 5) % LAST.length] as string;
    const { contact } = await upsertContact(
      deps,
      caller,
      {
        email: `${first}.${last}.${i}@example.com`.toLowerCase(),
        ...(i % 3 === 0 ? { phone: `+4477009${String(100000 + i).slice(1)}` } : {}),
        firstName: first,
        lastName: last,
        timezone: ZONES[i % ZONES.length],
        locale: i % 4 === 1 ? 'fr-FR' : 'en-GB',
        preferredChannel: i % 3 === 0 ? 'sms' : 'email',
        attributes: { plan: i % 5 === 0 ? 'pro' : 'free', lifetimeValue: Math.round((i * 37.5) % 900) },
        consent: {
          email: { status: i % 7 === 0 ? 'unsubscribed' : 'subscribed', source: 'demo-seed' },
          ...(i % 3 === 0 ? { sms: { status: 'subscribed' as const, source: 'demo-seed' } } : {}),
        },
        // Offers is opt-in: three in four chose it; one in eleven left the (opt-out) newsletter.
        topics: {
          ...(i % 4 !== 3 ? { offers: { status: 'subscribed' as const, source: 'demo-seed' } } : {}),
          ...(i % 11 === 0 ? { newsletter: { status: 'unsubscribed' as const, source: 'demo-seed' } } : {}),
        },
      },
      'demo-seed',
    );
    ids.push(contact.contactId);
  }
  const { list: newsletter } = await createList(
    deps,
    caller,
    { name: 'Newsletter', description: 'Everyone who opted in to the monthly letter' },
    'demo-seed-newsletter',
  );
  await addMembers(
    deps,
    caller,
    newsletter.listId,
    ids.filter((_, i) => i % 7 !== 0),
  );
  const { list: vip } = await createList(deps, caller, { name: 'VIP', description: 'Pro plan customers' }, 'demo-seed-vip');
  await addMembers(
    deps,
    caller,
    vip.listId,
    ids.filter((_, i) => i % 5 === 0),
  );
  await seedPurchases(deps, tenantId, ids);
  return ids.length;
}

const CATEGORIES = ['shoes', 'socks', 'jackets', 'bags'];

/**
 * Purchases over the last two years for two in three demo contacts (some lapsed, some loyal),
 * a few visits, the value-model boundaries, and a segment to preview.
 */
async function seedPurchases(deps: ReturnType<typeof allDeps>, tenantId: string, ids: string[]) {
  const now = Date.now();
  const events = ids.flatMap((contactId, i) => {
    if (i % 3 === 2) return [];
    const orders = 1 + (i % 6);
    const lastDaysAgo = (i * 17) % 500;
    return [
      ...Array.from({ length: orders }, (_, k) => {
        const category = CATEGORIES[(i + k) % CATEGORIES.length] as string;
        const total = 20 + ((i * 13 + k * 7) % 180);
        return {
          eventId: `demo-${contactId}-${k}`,
          type: 'purchase',
          contactId,
          orderId: `demo-${i}-${k}`,
          total,
          currency: 'EUR',
          at: new Date(now - (lastDaysAgo + k * 45) * 86_400_000).toISOString(),
          items: [{ sku: `${category.toUpperCase()}-${k % 3}`, name: `Demo ${category}`, category, price: total, quantity: 1 }],
        };
      }),
      ...(i % 4 === 0
        ? [
            {
              eventId: `demo-visit-${contactId}`,
              type: 'visit',
              contactId,
              at: new Date(now - 3 * 86_400_000).toISOString(),
              properties: { page: '/shoes' },
            },
          ]
        : []),
    ];
  });
  for (let i = 0; i < events.length; i += 500) await ingestEvents(deps, { tenantId }, events.slice(i, i + 500));
  await recomputeBoundaries(deps, tenantId);
  const { template: offer } = await createTemplate(
    deps,
    { tenantId },
    {
      name: 'Shoe offer',
      channel: 'email',
      email: {
        subject: '{{ contact.firstName | default: "Hello" }}, 20% off shoes this week',
        preheader: 'For our {{ value.lifecycle }} customers',
        html: '<h1>Hi {{ contact.firstName | default: "there" }},</h1><p>You have ordered {{ value.orders }} times with us: thank you. This week shoes are <a href="https://shop.example/shoes?sale=20">20% off</a>.</p><p><a href="{% unsubscribe_url %}">Unsubscribe</a></p>',
      },
    },
    'demo-seed-shoe-offer',
  );
  await createTemplate(
    deps,
    { tenantId },
    {
      name: 'Flash sale SMS',
      channel: 'sms',
      sms: { body: 'Hi {{ contact.firstName }}, 20% off shoes today only. Reply STOP to opt out.' },
    },
    'demo-seed-flash-sms',
  );
  const { segment } = await createSegment(
    deps,
    { tenantId },
    {
      name: 'Shoe buyers we can email',
      description: 'Bought shoes in the last year, new, active or loyal, subscribed to email',
      rule: {
        and: [
          { purchased: { category: 'shoes', within: 'P365D' } },
          { field: 'lifecycle', op: 'in', value: ['new', 'active', 'loyal'] },
          { reachable: 'email' },
        ],
      },
    },
    'demo-seed-shoe-buyers',
  );
  // A campaign draft ready to launch, for the contacts who chose the offers topic.
  await createCampaign(
    deps,
    { tenantId },
    {
      name: 'Shoe week',
      channel: 'email',
      variants: [{ name: 'A', email: offer.templateId }],
      audience: { segments: [segment.segmentId] },
      holdout: { percent: 10 },
      attributionDays: 7,
      goal: { event: 'purchase' },
      topic: 'offers',
    },
    'demo-seed-shoe-week',
  );
  await seedTriggers(deps, tenantId);
}

/** The built-in triggers: drafts (off until launched), each editable. */
async function seedTriggers(deps: ReturnType<typeof allDeps>, tenantId: string) {
  const template = async (key: string, name: string, subject: string, html: string) =>
    (await createTemplate(deps, { tenantId }, { name, channel: 'email', email: { subject, html } }, `demo-seed-${key}`)).template
      .templateId;
  const unsubscribe = '<p><a href="{% unsubscribe_url %}">Unsubscribe</a></p>';
  const builtIns: {
    key: string;
    name: string;
    trigger: NonNullable<CreateCampaign['trigger']>;
    template: string;
    survey?: 'nps';
    holdout?: false;
  }[] = [
    {
      key: 'cross-sell',
      name: 'Cross-sell after a purchase',
      trigger: { on: { event: 'purchase', where: [] }, delay: 'P3D', cancelIfPurchased: true, cooldown: 'P14D', recommendations: 3 },
      template: await template(
        'cross-sell-email',
        'Goes with your order',
        '{{ contact.firstName | default: "Hello" }}, these go with your {{ trigger.event.items[0].category }}',
        `<p>Customers who bought what you bought also liked:</p><ul>{% for r in trigger.recommendations %}<li><a href="https://shop.example/c/{{ r.item | url_encode }}">{{ r.item }}</a></li>{% endfor %}</ul>${unsubscribe}`,
      ),
    },
    {
      key: 'welcome',
      name: 'Welcome after the first purchase',
      trigger: { on: { event: 'purchase', where: [], first: true }, delay: 'PT1H' },
      template: await template(
        'welcome-email',
        'Welcome',
        'Welcome, {{ contact.firstName | default: "friend" }}',
        `<p>Thank you for your first order.</p>${unsubscribe}`,
      ),
    },
    {
      key: 'win-back',
      name: 'Win-back when a customer lapses',
      trigger: { on: { stage: 'lapsed' }, cooldown: 'P180D' },
      template: await template(
        'win-back-email',
        'We miss you',
        'We miss you{% if contact.attributes.incentiveCode %}: {{ contact.attributes.incentiveCode }} inside{% endif %}',
        `<p>It has been a while. {% if contact.attributes.incentiveCode %}Use {{ contact.attributes.incentiveCode }} at checkout.{% endif %}</p>${unsubscribe}`,
      ),
    },
    {
      key: 'nps',
      name: 'NPS survey after a purchase',
      survey: 'nps',
      trigger: { on: { event: 'purchase', where: [] }, delay: 'P14D', cooldown: 'P90D' },
      holdout: false,
      template: await template(
        'nps-email',
        'How did we do?',
        'How likely are you to recommend us?',
        `<p>From 0 (not at all) to 10 (extremely likely):</p><p>{% for i in (0..10) %}<a href="{{ links.nps[i] }}">{{ i }}</a> {% endfor %}</p>${unsubscribe}`,
      ),
    },
    {
      key: 'referral',
      name: 'Referral request for promoters',
      trigger: {
        on: { event: 'nps_answered', where: [{ field: 'properties.category', op: 'eq', value: 'promoter' }] },
        delay: 'PT1H',
        cooldown: 'P90D',
      },
      holdout: false,
      template: await template(
        'referral-email',
        'Share the love',
        'Thank you! A gift for your friends',
        `<p>Friends who order with your link get 10% off, and we thank you for each order: <a href="https://shop.example/?ref={{ contact.attributes.referralCode }}">share your link</a>. The shop passes the code on as <code>referralCode</code> with the purchase.</p>${unsubscribe}`,
      ),
    },
  ];
  for (const b of builtIns) {
    await createCampaign(
      deps,
      { tenantId },
      {
        name: b.name,
        channel: 'email',
        variants: [{ name: 'A', email: b.template }],
        // Surveys and referral requests ask; they are not measured against a holdout.
        ...(b.holdout === false ? {} : { holdout: { percent: 10 } }),
        trigger: b.trigger,
        ...(b.survey ? { survey: b.survey } : {}),
      },
      `demo-seed-trigger-${b.key}`,
    );
  }
}
