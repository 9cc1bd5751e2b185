/**
 * LiquidJS renders per second on one core: a realistic email template (subject, HTML with a
 * loop-free body, links, text made from the HTML) rendered for varied contacts through
 * renderTemplate's per-version cache, next to the same with the cache defeated (a new version
 * each render, so every render parses) and to a bare string concatenation of the same fields.
 * `npm run bench:templates -- [renders=20000]`
 */
import type { Contact } from '../shared/domain/contact.ts';
import { renderData, renderTemplate, smsEncoding } from '../shared/domain/template-render.ts';
import type { Template } from '../shared/domain/template.ts';
import { printTable } from './table.ts';

const renders = Number(process.argv[2] ?? 20_000);
const html = `<html><head><style>p{margin:0}</style></head><body>
<h1>Hi {{ contact.firstName | default: "there" }},</h1>
<p>You have placed {{ value.orders }} orders with us{% if value.tier == "A" %}, which makes you one of our best customers{% endif %}.</p>
<p>As a {{ contact.attributes.plan | default: "free" }} member you get <strong>20% off</strong> shoes this week.</p>
<p><a href="https://shop.example/shoes?c={{ contact.contactId }}">Shop now</a></p>
<p style="font-size:11px"><a href="{% unsubscribe_url %}">Unsubscribe</a> · <a href="{% preferences_url %}">Preferences</a></p>
</body></html>`;
const template = (version: number): Pick<Template, 'templateId' | 'version' | 'channel' | 'email' | 'sms'> => ({
  templateId: 'tp_bench',
  version,
  channel: 'email',
  email: { subject: '{{ contact.firstName | default: "Hello" }}, 20% off shoes', preheader: 'This week only', html },
});
const contacts = Array.from(
  { length: 1000 },
  (_, i): Contact => ({
    contactId: `ct_${i}`,
    email: `person${i}@example.com`,
    ...(i % 7 === 0 ? {} : { firstName: `Name${i}` }),
    attributes: { plan: i % 3 === 0 ? 'pro' : 'free' },
    consent: { email: { status: 'subscribed' }, sms: { status: 'unknown' } },
    createdAt: '2026-01-01T00:00:00.000Z',
    updatedAt: '2026-01-01T00:00:00.000Z',
    version: 1,
  }),
);
const links = { unsubscribe: 'https://t.example/u/abc', preferences: 'https://t.example/p/abc' };
const data = contacts.map((c, i) =>
  renderData(
    c,
    {
      orders: i % 9,
      revenue: i,
      averageOrderValue: 1,
      refunds: 0,
      categories: {},
      events: {},
      lifecycle: 'active',
      tier: i % 5 === 0 ? 'A' : 'B',
    },
    { id: 'bench' },
    links,
  ),
);

async function time(label: string, n: number, run: (i: number) => Promise<unknown> | unknown) {
  for (let i = 0; i < Math.min(500, n); i++) await run(i); // warm-up
  const started = performance.now();
  for (let i = 0; i < n; i++) await run(i);
  const seconds = (performance.now() - started) / 1000;
  return { run: label, renders: n, seconds: seconds.toFixed(2), 'per second (one core)': Math.round(n / seconds) };
}

const rows = [
  await time('baseline: string concatenation of the same fields', renders, (i) => {
    const d = data[i % data.length]!;
    return `${d.contact.firstName ?? 'Hello'}, 20% off shoes ${html.length}${d.contact.contactId}${links.unsubscribe}`;
  }),
  await time('renderTemplate, cached parse (a campaign)', renders, (i) => renderTemplate(template(1), data[i % data.length]!)),
  await time('renderTemplate, parse every time (cache defeated)', Math.round(renders / 10), (i) =>
    renderTemplate(template(i + 2), data[i % data.length]!),
  ),
  await time('smsEncoding of a 300-character text', renders, (i) => smsEncoding(`Hi ${i} `.padEnd(300, 'x'))),
];
console.log(
  `\nNode ${process.version}; ${renders} renders of a ${html.length}-character HTML email (subject, preheader, HTML, text from HTML)\n`,
);
printTable(rows);
