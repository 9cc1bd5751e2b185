import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Contact } from '../../../shared/domain/contact.ts';
import { CreateTemplate, type EmailContent, type Template, UpdateTemplate } from '../../../shared/domain/template.ts';
import {
  checkTemplate,
  htmlToText,
  type RenderData,
  renderData,
  renderTemplate,
  smsEncoding,
  templateCacheStats,
} from '../../../shared/domain/template-render.ts';
import type { ContactValue } from '../../../shared/domain/value.ts';

const CONTACT: Contact = {
  contactId: 'ct_1',
  email: 'ada@example.com',
  phone: '+447700900123',
  firstName: 'Ada',
  lastName: 'Lovelace',
  attributes: { plan: 'pro', seats: 3 },
  consent: { email: { status: 'subscribed' }, sms: { status: 'unknown' } },
  createdAt: '2026-01-01T00:00:00.000Z',
  updatedAt: '2026-02-01T00:00:00.000Z',
  version: 2,
};
const VALUE: ContactValue = {
  orders: 4,
  revenue: 250.5,
  averageOrderValue: 62.63,
  refunds: 0,
  categories: {},
  events: {},
  rfm: { r: 5, f: 4, m: 5 },
  tier: 'A',
  lifecycle: 'loyal',
};
const LINKS = { unsubscribe: 'https://h.example/u?t=abc&c=1', preferences: 'https://h.example/p?t=abc' };
const WORKSPACE = { name: 'Acme', supportEmail: 'help@acme.example' };
const DATA: RenderData = renderData(CONTACT, VALUE, WORKSPACE, LINKS);

let nextId = 0;
/** A template with an id of its own, so the module-wide parse cache never joins two tests. */
function email(content: EmailContent, version = 1): Pick<Template, 'templateId' | 'version' | 'channel' | 'email'> {
  return { templateId: `tpl_email_${nextId++}`, version, channel: 'email', email: content };
}
function sms(body: string): Pick<Template, 'templateId' | 'version' | 'channel' | 'sms'> {
  return { templateId: `tpl_sms_${nextId++}`, version: 1, channel: 'sms', sms: { body } };
}

describe('renderData', () => {
  it('exposes contact fields, attributes, consent statuses, value, workspace and links', () => {
    // Act
    const data = renderData(CONTACT, VALUE, WORKSPACE, LINKS);

    // Assert
    expect(data).toEqual({
      contact: {
        contactId: 'ct_1',
        email: 'ada@example.com',
        phone: '+447700900123',
        firstName: 'Ada',
        lastName: 'Lovelace',
        attributes: { plan: 'pro', seats: 3 },
        consent: { email: 'subscribed', sms: 'unknown' },
        createdAt: '2026-01-01T00:00:00.000Z',
      },
      value: VALUE,
      workspace: { name: 'Acme', supportEmail: 'help@acme.example' },
      links: LINKS,
    });
  });

  it('leaves value out when the contact has none', () => {
    expect(renderData(CONTACT, undefined, {}, LINKS)).not.toHaveProperty('value');
  });
});

describe('renderTemplate', () => {
  it('renders contact fields, attributes, value and workspace settings', async () => {
    // Arrange
    const template = email({
      subject: 'Hi {{ contact.firstName }}, your {{ contact.attributes.plan }} plan',
      preheader: '{{ contact.attributes.seats }} seats',
      html: '<p>{{ value.lifecycle }} / tier {{ value.tier }} / {{ value.orders }} orders / {{ workspace.name }}</p>',
    });

    // Act
    const out = await renderTemplate(template, DATA);

    // Assert
    expect(out).toEqual({
      channel: 'email',
      subject: 'Hi Ada, your pro plan',
      preheader: '3 seats',
      html: '<p>loyal / tier A / 4 orders / Acme</p>',
      text: 'loyal / tier A / 4 orders / Acme',
    });
  });

  it('renders a missing value empty, or its default', async () => {
    // Arrange
    const { firstName: _, ...nameless } = CONTACT;
    const data = renderData(nameless, undefined, {}, LINKS);
    const template = sms('Hi {{ contact.firstName | default: "there" }}{{ contact.attributes.nothing }}! {{ value.tier }}.');

    // Act
    const out = await renderTemplate(template, data);

    // Assert
    expect(out).toMatchObject({ channel: 'sms', body: 'Hi there! .' });
  });

  it('writes the unsubscribe and preference links with tags or variables', async () => {
    // Arrange
    const template = sms('Stop: {% unsubscribe_url %} Prefs: {% preferences_url %} Or {{ links.unsubscribe }}');

    // Act
    const out = await renderTemplate(template, DATA);

    // Assert
    expect(out).toMatchObject({
      body: 'Stop: https://h.example/u?t=abc&c=1 Prefs: https://h.example/p?t=abc Or https://h.example/u?t=abc&c=1',
    });
  });

  it('escapes variables and links in the HTML part only', async () => {
    // Arrange
    const data = renderData({ ...CONTACT, firstName: '<b>Bo</b>' }, VALUE, WORKSPACE, LINKS);
    const template = email({
      subject: 'Hi {{ contact.firstName }}',
      html: '<p>Hi {{ contact.firstName }} {{ contact.firstName | raw }}</p><a href="{% unsubscribe_url %}">x</a>',
      text: 'Hi {{ contact.firstName }}',
    });

    // Act
    const out = await renderTemplate(template, data);

    // Assert
    expect(out).toEqual({
      channel: 'email',
      subject: 'Hi <b>Bo</b>',
      html: '<p>Hi &lt;b&gt;Bo&lt;/b&gt; <b>Bo</b></p><a href="https://h.example/u?t=abc&amp;c=1">x</a>',
      text: 'Hi <b>Bo</b>',
    });
  });

  it('generates the text part from the rendered HTML when none is given', async () => {
    // Arrange
    const template = email({
      subject: 'News',
      html: '<p>Hello {{ contact.firstName }}</p><p><a href="{% unsubscribe_url %}">Unsubscribe</a></p>',
    });

    // Act
    const out = await renderTemplate(template, DATA);

    // Assert
    expect(out).toMatchObject({ text: 'Hello Ada\n\nUnsubscribe (https://h.example/u?t=abc&c=1)' });
  });

  it('keeps the subject and preheader on one line', async () => {
    // Arrange
    const data = renderData({ ...CONTACT, firstName: 'Ada\r\nBcc: x@example.com' }, VALUE, WORKSPACE, LINKS);
    const template = email({ subject: 'Hi {{ contact.firstName }}', preheader: '{{ contact.firstName }}\n', html: '<p>x</p>' });

    // Act
    const out = await renderTemplate(template, data);

    // Assert
    expect(out).toMatchObject({ subject: 'Hi Ada Bcc: x@example.com', preheader: 'Ada Bcc: x@example.com' });
  });

  it('stops a runaway loop', async () => {
    // Arrange
    const template = sms('{% for i in (1..100000000) %}x{% endfor %}');

    // Act / Assert
    await expect(renderTemplate(template, DATA)).rejects.toThrow(/memory alloc limit exceeded/);
  });

  it('gives an SMS its encoding, characters and segments', async () => {
    // Arrange
    const template = sms('Hi {{ contact.firstName }} 😀');

    // Act
    const out = await renderTemplate(template, DATA);

    // Assert: "Hi Ada " is 7 code units, the emoji 2
    expect(out).toEqual({ channel: 'sms', body: 'Hi Ada 😀', encoding: 'UCS-2', characters: 9, segments: 1 });
  });
});

describe('the parse cache', () => {
  it('parses a template once per (templateId, version)', async () => {
    // Arrange
    const v1 = sms('Hi {{ contact.firstName }}');
    const v2 = { ...v1, version: 2, sms: { body: 'Hello {{ contact.firstName }}' } };
    const before = templateCacheStats().parses;

    // Act
    const first = await renderTemplate(v1, DATA);
    const second = await renderTemplate(v1, DATA);
    const afterTwo = templateCacheStats().parses;
    const third = await renderTemplate(v2, DATA);

    // Assert
    expect(afterTwo - before).toBe(1);
    expect(templateCacheStats().parses - before).toBe(2);
    expect([first, second, third].map((r) => (r.channel === 'sms' ? r.body : ''))).toEqual(['Hi Ada', 'Hi Ada', 'Hello Ada']);
  });

  it('keeps the 500 most recently used templates', async () => {
    // Arrange
    const oldest = sms('a');
    const recent = sms('b');
    await renderTemplate(oldest, DATA);
    await renderTemplate(recent, DATA);
    for (let i = 0; i < 498; i++) await renderTemplate(sms('c'), DATA);
    await renderTemplate(recent, DATA); // touched: now the most recent
    await renderTemplate(oldest, DATA); // still cached: 500 entries fit
    for (let i = 0; i < 499; i++) await renderTemplate(sms('d'), DATA);
    const before = templateCacheStats().parses;

    // Act
    await renderTemplate(oldest, DATA);
    const afterOldest = templateCacheStats().parses;
    await renderTemplate(recent, DATA);

    // Assert: `recent` was used before `oldest`, so it went first
    expect(afterOldest - before).toBe(0);
    expect(templateCacheStats().parses - afterOldest).toBe(1);
    expect(templateCacheStats().size).toBe(500);
  });
});

describe('checkTemplate', () => {
  it('accepts valid templates', () => {
    // Arrange
    const content = {
      channel: 'email' as const,
      email: {
        subject: 'Hi {{ contact.firstName | default: "there" | upcase }}',
        html: '{% if value.tier == "A" %}<p>VIP</p>{% endif %}<a href="{% preferences_url %}">prefs</a>',
      },
    };

    // Act / Assert
    expect(checkTemplate(content)).toEqual([]);
  });

  it('names the field and the line of a syntax error', () => {
    // Arrange
    const content = {
      channel: 'email' as const,
      email: { subject: 'Hi', html: '<p>Hello</p>\n{% iff contact.firstName %}x{% endif %}', text: 'a\nb\n{{ x ' },
    };

    // Act
    const issues = checkTemplate(content);

    // Assert
    expect(issues).toEqual([
      { field: 'body.email.html', message: 'line 2: tag "iff" not found' },
      { field: 'body.email.text', message: 'line 3: output "{{ x " not closed' },
    ]);
  });

  it('refuses unknown filters, partials and arguments to the link tags', () => {
    // Arrange
    const content = {
      channel: 'email' as const,
      email: { subject: '{{ contact.firstName | shout }}', preheader: '{% include "x" %}', html: 'a\n{% unsubscribe_url "x" %}' },
    };

    // Act
    const issues = checkTemplate(content, 'template');

    // Assert
    expect(issues).toEqual([
      { field: 'template.email.subject', message: 'line 1: undefined filter: shout' },
      { field: 'template.email.preheader', message: 'line 1: tag "include" not found' },
      { field: 'template.email.html', message: 'line 2: tag "unsubscribe_url" takes no arguments' },
    ]);
  });

  it('checks the SMS body', () => {
    expect(checkTemplate({ channel: 'sms', sms: { body: 'Hi {% for %}' } })).toEqual([
      { field: 'body.sms.body', message: 'line 1: illegal tag: {% for %}' },
    ]);
  });
});

describe('CreateTemplate and UpdateTemplate', () => {
  const emailContent = { subject: 'Hi', html: '<p>Hi</p>' };

  it('accepts content that matches the channel', () => {
    expect(CreateTemplate.safeParse({ name: 'Welcome', channel: 'email', email: emailContent }).success).toBe(true);
    expect(CreateTemplate.safeParse({ name: 'Welcome', channel: 'sms', sms: { body: 'Hi' } }).success).toBe(true);
  });

  it('refuses content that does not match the channel, naming its path', () => {
    // Act
    const wrong = CreateTemplate.safeParse({ name: 'Welcome', channel: 'email', sms: { body: 'Hi' } });
    const missing = CreateTemplate.safeParse({ name: 'Welcome', channel: 'sms' });

    // Assert
    expect(wrong.error?.issues.map((i) => i.path)).toEqual([['email'], ['sms']]);
    expect(missing.error?.issues.map((i) => i.path)).toEqual([['sms']]);
  });

  it('refuses an empty update and accepts a partial one', () => {
    expect(UpdateTemplate.safeParse({}).error?.issues.map((i) => i.path)).toEqual([['name']]);
    expect(UpdateTemplate.safeParse({ sms: { body: 'Hi' } }).success).toBe(true);
  });
});

describe('htmlToText', () => {
  it.each([
    [
      'drops head, style and script',
      '<html><head><title>T</title><style>p{color:red}</style></head><body><p>Hello&nbsp;<b>Ada</b></p><script>alert("<p>")</script><p>Bye</p></body></html>',
      'Hello Ada\n\nBye',
    ],
    ['breaks lines at block elements', '<div>One</div><div>Two<br>Three<br/>Four</div>', 'One\nTwo\nThree\nFour'],
    ['puts list items on lines', '<ul><li>A</li><li>B</li></ul><h1>Title</h1>After', 'A\nB\n\nTitle\n\nAfter'],
    ['puts table rows on lines', '<table><tr><td>Item</td><td>€5</td></tr><tr><td>Total</td><td>€5</td></tr></table>', 'Item €5\nTotal €5'],
    [
      'writes a link as text (url)',
      '<p>See <a class="x" href="https://x.example/a?b=1&amp;c=2">our shop</a>.</p>',
      'See our shop (https://x.example/a?b=1&c=2).',
    ],
    [
      'writes a link whose text is its address once',
      '<a href="https://x.example">https://x.example</a> <a href="mailto:a@x.example">a@x.example</a>',
      'https://x.example a@x.example',
    ],
    ['writes a link without text as its address', '<a href=\'https://x.example\'><img src="logo.png"></a>', 'https://x.example'],
    ['decodes entities once', '&amp;lt; &lt;b&gt; &quot;q&quot; &#39;s&#39; &#233; &#x1F600; &bogus;', '&lt; <b> "q" \'s\' é 😀 &bogus;'],
    ['collapses whitespace', '  <p>\n  a   lot\n of \t  space </p>  <!-- a comment -->', 'a lot of space'],
    ['keeps a lone less-than sign', '<p>1 < 2</p>', '1 < 2'],
    ['drops an unclosed script to the end', '<p>a</p><script>x<p>b', 'a'],
    ['joins the breaks of adjacent blocks', '<p>a<br><br>b</p>\n\n<p>c</p><div>d<br></div><div>e</div>', 'a\n\nb\n\nc\n\nd\ne'],
  ])('%s', (_name, html, text) => {
    expect(htmlToText(html)).toBe(text);
  });
});

describe('smsEncoding', () => {
  it.each([
    [160, 1],
    [161, 2],
    [306, 2],
    [307, 3],
  ])('counts %i GSM-7 characters as %i segments', (length, segments) => {
    expect(smsEncoding('a'.repeat(length))).toEqual({ encoding: 'GSM-7', characters: length, segments });
  });

  it('counts each extension character twice', () => {
    expect(smsEncoding('€[]{}^~|\\')).toEqual({ encoding: 'GSM-7', characters: 18, segments: 1 });
    expect(smsEncoding(`${'a'.repeat(159)}€`)).toEqual({ encoding: 'GSM-7', characters: 161, segments: 2 });
  });

  it('never splits an extension character across parts', () => {
    // 152 + 2 + 152 = 306 septets; the € does not fit in part 1 (154 > 153), so part 2 holds € + 151 and part 3 one
    expect(smsEncoding(`${'a'.repeat(152)}€${'a'.repeat(152)}`)).toEqual({ encoding: 'GSM-7', characters: 306, segments: 3 });
  });

  it('switches to UCS-2 for one emoji, with 70 / 67 parts', () => {
    expect(smsEncoding(`${'a'.repeat(68)}😀`)).toEqual({ encoding: 'UCS-2', characters: 70, segments: 1 });
    expect(smsEncoding(`${'a'.repeat(69)}😀`)).toEqual({ encoding: 'UCS-2', characters: 71, segments: 2 });
    expect(smsEncoding('ж'.repeat(134))).toEqual({ encoding: 'UCS-2', characters: 134, segments: 2 });
    expect(smsEncoding('ж'.repeat(135))).toEqual({ encoding: 'UCS-2', characters: 135, segments: 3 });
  });

  it('never splits a surrogate pair across parts', () => {
    // 66 + 2 + 66 = 134 units: part 1 holds 66, part 2 the emoji + 65, part 3 one
    expect(smsEncoding(`${'a'.repeat(66)}😀${'a'.repeat(66)}`)).toEqual({ encoding: 'UCS-2', characters: 134, segments: 3 });
  });

  it('counts an empty body as no segments', () => {
    expect(smsEncoding('')).toEqual({ encoding: 'GSM-7', characters: 0, segments: 0 });
  });

  const BASIC = [
    ...'@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà',
  ];
  const EXTENDED = [...'\f^{}\\[~]|€'];
  const expected = (n: number, single: number, part: number) => (n === 0 ? 0 : n <= single ? 1 : Math.ceil(n / part));

  it('has 128 - 1 basic characters (no escape) and 10 extension characters', () => {
    expect([new Set(BASIC).size, new Set(EXTENDED).size]).toEqual([127, 10]);
  });

  it('property: GSM basic strings take ceil(characters / 153) parts, or one up to 160', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...BASIC), { maxLength: 700 }), (chars) => {
        const body = chars.join('');
        expect(smsEncoding(body)).toEqual({ encoding: 'GSM-7', characters: chars.length, segments: expected(chars.length, 160, 153) });
      }),
    );
  });

  it('property: with extension characters, characters count them twice and parts lose at most one septet each', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...BASIC, ...EXTENDED), { maxLength: 700 }), (chars) => {
        const septets = chars.reduce((s, c) => s + (EXTENDED.includes(c) ? 2 : 1), 0);
        const { encoding, characters, segments } = smsEncoding(chars.join(''));
        expect([encoding, characters]).toEqual(['GSM-7', septets]);
        expect(segments).toBeGreaterThanOrEqual(expected(septets, 160, 153));
        expect(segments).toBeLessThanOrEqual(expected(septets, 160, 152));
      }),
    );
  });
});

describe('render-time limits', () => {
  const data = renderData(CONTACT, undefined, {}, { unsubscribe: 'https://u.example', preferences: 'https://p.example' });
  it('refuses a rendered SMS over 1,600 characters, naming the field (a 400, never a 500)', async () => {
    const template = {
      templateId: 'tp_big',
      version: 1,
      channel: 'sms' as const,
      sms: { body: '{% for i in (1..400) %}abcde{% endfor %}' },
    };
    const error = await renderTemplate(template, data).catch((e: unknown) => e);
    expect((error as { issues?: { field: string }[] }).issues?.[0]?.field).toBe('template.sms.body');
  });

  it('re-parses a template made again under the same id and version (keyed by updatedAt too)', async () => {
    const first = {
      templateId: 'tp_again',
      version: 1,
      updatedAt: '2026-01-01T00:00:00.000Z',
      channel: 'sms' as const,
      sms: { body: 'OLD' },
    };
    const again = { ...first, updatedAt: '2026-01-02T00:00:00.000Z', sms: { body: 'NEW' } };
    expect(((await renderTemplate(first, data)) as { body: string }).body).toBe('OLD');
    expect(((await renderTemplate(again, data)) as { body: string }).body).toBe('NEW');
  });
});
