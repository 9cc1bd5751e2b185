import { createHmac } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  isMachineRequest,
  isOneClickBody,
  MAX_TRACKED_LINKS,
  newSecret,
  parseSecret,
  signToken,
  type TokenClaims,
  type TokenKind,
  trackHtml,
  trackText,
  verifyToken,
  withUtm,
} from '../../../shared/domain/tracking.ts';

const SECRET = parseSecret('0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef');
const OTHER = parseSecret('fedcba9876543210fedcba9876543210fedcba9876543210fedcba9876543210');
const CP = 'cp_01jq3v8k2m4n5p6q7r8s9t0v1w';
const CT = 'ct_01jq3v8k2m4n5p6q7r8s9t0v1x';
const CLICK: TokenClaims = { kind: 'click', tenantId: 'acme-shop1', campaignId: CP, contactId: CT, link: 3 };
const B64URL = [...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'];

/** A token over any payload, MAC'd with SECRET: to forge what signToken never writes. */
const forge = (payload: Uint8Array) =>
  Buffer.concat([payload, createHmac('sha256', SECRET).update(payload).digest().subarray(0, 16)]).toString('base64url');
const payloadOf = (token: string) => {
  const bytes = Buffer.from(token, 'base64url');
  return Uint8Array.from(bytes.subarray(0, bytes.length - 16));
};

// ---------------------------------------------------------------------------------------------
// Arbitraries

const KINDS: TokenKind[] = ['click', 'open', 'unsubscribe', 'preferences'];
const ulidBody = fc.string({ unit: fc.constantFrom(...'0123456789abcdefghjkmnpqrstvwxyz'), minLength: 26, maxLength: 26 });
/** Any well-formed id up to 255 UTF-8 bytes, packable or not. */
const anyId = fc
  .string({ unit: 'grapheme', minLength: 1, maxLength: 40 })
  .filter((s) => Buffer.byteLength(s) <= 255 && Buffer.from(s).toString() === s);
const claimsArb: fc.Arbitrary<TokenClaims> = fc
  .record({
    kind: fc.constantFrom(...KINDS),
    tenantId: fc.stringMatching(/^[a-z0-9-]{1,40}$/),
    campaignId: fc.oneof(
      ulidBody.map((b) => `cp_${b}`),
      anyId,
    ),
    contactId: fc.oneof(
      ulidBody.map((b) => `ct_${b}`),
      anyId,
    ),
    link: fc.integer({ min: 0, max: 254 }),
  })
  .map(({ link, ...c }) => (c.kind === 'click' ? { ...c, link } : c));

// ---------------------------------------------------------------------------------------------

describe('signToken / verifyToken', () => {
  it('is 80 characters for a click with a 10-character tenant and packed ids (110 with a 40-character tenant)', () => {
    const token = signToken(SECRET, CLICK);
    expect(token).toMatch(/^[A-Za-z0-9_-]{80}$/);
    expect(signToken(SECRET, { kind: 'open', tenantId: 'acme-shop1', campaignId: CP, contactId: CT })).toHaveLength(80);
    expect(signToken(SECRET, { ...CLICK, tenantId: 'a'.repeat(40) })).toHaveLength(110);
  });

  it('round-trips every kind, the link index only on clicks', () => {
    for (const kind of KINDS) {
      const claims: TokenClaims = kind === 'click' ? CLICK : { kind, tenantId: 't1', campaignId: CP, contactId: CT };
      expect(verifyToken(SECRET, signToken(SECRET, claims))).toStrictEqual(claims);
    }
    expect(verifyToken(SECRET, signToken(SECRET, { ...CLICK, link: 0 }))?.link).toBe(0);
    expect(verifyToken(SECRET, signToken(SECRET, { ...CLICK, link: 254 }))?.link).toBe(254);
  });

  it('carries ids of any other form as UTF-8, up to 255 bytes (the longest token, 750 characters, is accepted)', () => {
    for (const [campaignId, contactId] of [
      ['cp_0000000000000000000000000a', 'ct_sample'],
      ['cp_01JQ3V8K2M4N5P6Q7R8S9T0V1W', 'ct_01jq3v8k2m4n5p6q7r8s9t0v1i'], // upper case; `i` is not Crockford
      ['ct_01jq3v8k2m4n5p6q7r8s9t0v1w', 'cp_01jq3v8k2m4n5p6q7r8s9t0v1x'], // prefixes swapped
      ['campaign-7', 'kontakt-ÄÖÜ-😀'],
      ['x'.repeat(255), 'é'.repeat(127)],
    ]) {
      const claims: TokenClaims = { kind: 'open', tenantId: 'a'.repeat(40), campaignId: campaignId!, contactId: contactId! };
      const token = signToken(SECRET, claims);
      expect(verifyToken(SECRET, token)).toStrictEqual(claims);
    }
    const longest = signToken(SECRET, {
      kind: 'click',
      tenantId: 'a'.repeat(40),
      campaignId: 'x'.repeat(255),
      contactId: 'y'.repeat(255),
      link: 1,
    });
    expect(longest).toHaveLength(750);
  });

  it('refuses claims it cannot carry', () => {
    const bad: [TokenClaims, RegExp][] = [
      [{ ...CLICK, tenantId: 'Acme' }, /tenantId/],
      [{ ...CLICK, tenantId: '' }, /tenantId/],
      [{ ...CLICK, tenantId: 'a'.repeat(41) }, /tenantId/],
      [{ ...CLICK, campaignId: '' }, /ids/],
      [{ ...CLICK, contactId: 'x'.repeat(256) }, /ids/],
      [{ ...CLICK, contactId: 'bad\ud800' }, /ids/],
      [{ ...CLICK, link: 255 }, /link index/],
      [{ ...CLICK, link: -1 }, /link index/],
      [{ ...CLICK, link: 1.5 }, /link index/],
      [{ kind: 'click', tenantId: 't', campaignId: CP, contactId: CT }, /link index/],
      [{ kind: 'open', tenantId: 't', campaignId: CP, contactId: CT, link: 1 }, /only a click/],
      [{ ...CLICK, kind: 'bounce' as TokenKind }, /unknown token kind/],
    ];
    for (const [claims, message] of bad) expect(() => signToken(SECRET, claims)).toThrow(message);
    expect(() => signToken(new Uint8Array(31), CLICK)).toThrow(/at least 32 bytes/);
  });

  it('rejects tokens signed with another secret, and any secret under 32 bytes', () => {
    const token = signToken(SECRET, CLICK);
    expect(verifyToken(OTHER, token)).toBeUndefined();
    expect(verifyToken(new Uint8Array(0), token)).toBeUndefined();
  });

  it('rejects bad base64url, truncation, extension and non-canonical encodings', () => {
    const token = signToken(SECRET, CLICK);
    for (const bad of [
      '',
      'AAAA',
      token.slice(0, -1),
      token.slice(0, 60),
      token.slice(1),
      `${token}A`,
      `${token}AA`,
      `${token}=`,
      `${token}==`,
      ` ${token}`,
      `${token}\n`,
      token.replace(/-/g, '+').replace(/_/g, '/'),
      `${token.slice(0, 40)}.${token.slice(41)}`,
      'x'.repeat(2000),
    ]) {
      expect(verifyToken(SECRET, bad)).toBeUndefined();
    }
    // 60 bytes is a whole number of base64 groups; a 16-byte MAC alone, or less, is no token.
    expect(verifyToken(SECRET, Buffer.alloc(16).toString('base64url'))).toBeUndefined();
    // A final character whose unused bits are set decodes to the same bytes: refused all the same.
    const open = signToken(SECRET, { kind: 'open', tenantId: 'acme', campaignId: CP, contactId: CT });
    const bytes = Buffer.from(open, 'base64url');
    if (bytes.length % 3 !== 0) {
      const last = open.at(-1)!;
      const sibling = B64URL[B64URL.indexOf(last) + 1]!;
      expect(Buffer.from(open.slice(0, -1) + sibling, 'base64url')).toEqual(bytes);
      expect(verifyToken(SECRET, open.slice(0, -1) + sibling)).toBeUndefined();
    }
  });

  it('rejects every single flipped bit', () => {
    const bytes = Buffer.from(signToken(SECRET, CLICK), 'base64url');
    for (let bit = 0; bit < bytes.length * 8; bit++) {
      const copy = Buffer.from(bytes);
      copy[bit >> 3]! ^= 1 << (bit & 7);
      expect(verifyToken(SECRET, copy.toString('base64url'))).toBeUndefined();
    }
  });

  it('rejects a correctly MAC-ed payload with an unknown version or kind, trailing bytes or padding bits, or a link on the wrong kind', () => {
    const payload = payloadOf(signToken(SECRET, CLICK));
    expect(verifyToken(SECRET, forge(payload))).toStrictEqual(CLICK); // the forging helper is right
    const edit = (f: (p: Uint8Array) => void) => {
      const p = Uint8Array.from(payload);
      f(p);
      return verifyToken(SECRET, forge(p));
    };
    expect(edit((p) => (p[0] = 2))).toBeUndefined(); // version 2
    expect(edit((p) => (p[0] = 0))).toBeUndefined();
    expect(edit((p) => (p[1] = (p[1]! & 0x1f) | (5 << 5)))).toBeUndefined(); // kind 5 (0-4 are click, open, unsubscribe, preferences, nps)
    expect(edit((p) => (p[1] = (p[1]! & 0x1f) | (7 << 5)))).toBeUndefined(); // kind 7
    expect(edit((p) => (p[1] = (p[1]! & 0x1f) | (1 << 5)))).toBeUndefined(); // an open with a link
    expect(edit((p) => (p[p.length - 1]! |= 1))).toBeUndefined(); // padding bit set (347 bits in 44 bytes)
    expect(verifyToken(SECRET, forge(Uint8Array.from([...payload, 0])))).toBeUndefined(); // trailing byte
    expect(verifyToken(SECRET, forge(payload.subarray(0, -1)))).toBeUndefined(); // truncated payload
    expect(verifyToken(SECRET, forge(Uint8Array.from([1])))).toBeUndefined();
    const unsubscribe = payloadOf(signToken(SECRET, { kind: 'unsubscribe', tenantId: 'acme', campaignId: CP, contactId: CT }));
    unsubscribe[1] = (unsubscribe[1]! & 0x1f) | (0 << 5); // a click without a link
    expect(verifyToken(SECRET, forge(unsubscribe))).toBeUndefined();
    // An NPS token carries a score 0-10: 11 and above, or none, are not tokens.
    const nps = payloadOf(signToken(SECRET, { kind: 'nps', tenantId: 'acme', campaignId: CP, contactId: CT, link: 10 }));
    expect(verifyToken(SECRET, forge(nps))).toMatchObject({ kind: 'nps', link: 10 });
    const nps11 = Uint8Array.from(nps);
    nps11[1] = (nps11[1]! & 0xe0) | (11 >> 3); // the link's high bits: 10 → 11 (0b1011)
    nps11[2] = (nps11[2]! & 0x1f) | ((11 & 0b111) << 5);
    expect(verifyToken(SECRET, forge(nps11))).toBeUndefined();
    expect(() => signToken(SECRET, { kind: 'nps', tenantId: 'acme', campaignId: CP, contactId: CT, link: 11 })).toThrow(/score 0-10/);
    expect(() => signToken(SECRET, { kind: 'nps', tenantId: 'acme', campaignId: CP, contactId: CT })).toThrow(/score 0-10/);
  });

  it('property: round-trips arbitrary valid claims', () => {
    fc.assert(
      fc.property(claimsArb, (claims) => {
        expect(verifyToken(SECRET, signToken(SECRET, claims))).toStrictEqual(claims);
      }),
      { numRuns: 500 },
    );
  });

  it('property: never throws, and accepts nothing, for arbitrary strings', () => {
    fc.assert(
      fc.property(
        fc.oneof(fc.string(), fc.string({ unit: 'binary' }), fc.string({ unit: fc.constantFrom(...B64URL), maxLength: 120 })),
        (s) => {
          expect(verifyToken(SECRET, s)).toBeUndefined();
        },
      ),
      { numRuns: 1000 },
    );
  });

  it('property: any single-character change, deletion or insertion of a valid token is refused', () => {
    const change = fc.record({
      claims: claimsArb,
      at: fc.nat(),
      op: fc.constantFrom('replace', 'delete', 'insert'),
      char: fc.constantFrom(...B64URL, '+', '/', '=', '.', ' ', '%'),
    });
    fc.assert(
      fc.property(change, ({ claims, at, op, char }) => {
        const token = signToken(SECRET, claims);
        const i = at % token.length;
        const mutated =
          op === 'delete'
            ? token.slice(0, i) + token.slice(i + 1)
            : op === 'insert'
              ? token.slice(0, i) + char + token.slice(i)
              : token.slice(0, i) + char + token.slice(i + 1);
        fc.pre(mutated !== token);
        expect(verifyToken(SECRET, mutated)).toBeUndefined();
      }),
      { numRuns: 2000 },
    );
  });
});

describe('parseSecret / newSecret', () => {
  const bytes = Buffer.from(Array.from({ length: 32 }, (_, i) => i * 7));

  it('reads hex, base64 and base64url, with or without padding, trimmed', () => {
    for (const text of [
      bytes.toString('hex'),
      bytes.toString('hex').toUpperCase(),
      bytes.toString('base64'),
      bytes.toString('base64').replace(/=+$/, ''),
      bytes.toString('base64url'),
      `  ${bytes.toString('base64url')}\n`,
    ]) {
      expect(Buffer.from(parseSecret(text))).toEqual(bytes);
    }
  });

  it('refuses a short or malformed secret without repeating it', () => {
    expect(() => parseSecret(Buffer.alloc(31, 0xfb).toString('base64url'))).toThrow('at least 32 bytes; it has 31');
    expect(() => parseSecret('abcd')).toThrow(/at least 32 bytes/);
    expect(() => parseSecret('')).toThrow(/hex, base64 or base64url/);
    const secretish = 'not a secret: sh!';
    expect(() => parseSecret(secretish)).toThrow(/hex, base64 or base64url/);
    try {
      parseSecret(secretish);
    } catch (error) {
      expect((error as Error).message).not.toContain(secretish);
    }
  });

  it('makes fresh 32-byte secrets that parse', () => {
    const a = newSecret();
    expect(a).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(parseSecret(a)).toHaveLength(32);
    expect(newSecret()).not.toBe(a);
  });
});

// ---------------------------------------------------------------------------------------------

const PIXEL = (src: string) => `<img src="${src}" width="1" height="1" alt="" style="display:block;border:0;width:1px;height:1px">`;
const T = (i: number) => `https://t.herald.example/c/${i}`;

/** A newsletter as email builders write it: table layout, styles, an MSO button, footer links. */
const NEWSLETTER = `<!DOCTYPE html>
<html lang="en" xmlns:v="urn:schemas-microsoft-com:vml">
<head>
<meta charset="utf-8">
<title>Spring sale <a href="https://title.example/">?</title>
<style type="text/css">
  a[href^="https"] { color: #0b5; } /* <a href="https://css.example/"> */
</style>
</head>
<BODY style="margin:0">
<div style="display:none">Up to 40% off &mdash; this weekend only</div>
<table role="presentation" width="100%"><tr><td>
  <A HREF="https://shop.example/?utm_source=news&amp;ref=logo" TARGET="_blank"><img src="https://cdn.example/logo.png" alt="Shop"></A>
  <a title="href=https://evil.example" class='btn'
     href = 'https://shop.example/sale?c=spring&#38;d=2'
     style="color:#fff">Shop the sale</a>
  <!--[if mso]><v:roundrect href="https://shop.example/sale" arcsize="10%"><![endif]-->
  <a href=https://shop.example/new>New in</a>
  <a data-track="false" href="https://partner.example/private">Partner</a>
  <a href="mailto:help@shop.example">Email us</a> or <a href="tel:+4930123456">call</a>
  <a href="#top">Back to top</a> <a href="/relative/path">Relative</a>
  <a href=" https://shop.example/?utm_source=news&amp;ref=logo ">Logo again</a>
  <!-- <a href="https://commented.example/"> -->
  <p>You got this because you subscribed. <a href="https://herald.example/u/TOKEN?x=1&amp;y=2">Unsubscribe</a> ·
  <a href="https://herald.example/p/TOKEN">Preferences</a></p>
</td></tr></table>
</BODY>
</html>`;

describe('trackHtml', () => {
  const keep = ['https://herald.example/u/TOKEN?x=1&y=2', 'https://herald.example/p/TOKEN'];

  it('tracks the http(s) links of a real newsletter, in order, and nothing else', () => {
    const { html, links } = trackHtml(NEWSLETTER, { tracked: T, pixel: 'https://t.herald.example/o/PIXEL', keep });
    expect(links).toEqual([
      'https://shop.example/?utm_source=news&ref=logo',
      'https://shop.example/sale?c=spring&d=2',
      'https://shop.example/new',
      'https://shop.example/?utm_source=news&ref=logo', // the same URL twice is two links
    ]);
    const expected = NEWSLETTER.replace('"https://shop.example/?utm_source=news&amp;ref=logo"', `"${T(0)}"`)
      .replace("'https://shop.example/sale?c=spring&#38;d=2'", `'${T(1)}'`)
      .replace('href=https://shop.example/new>', `href="${T(2)}">`)
      .replace('" https://shop.example/?utm_source=news&amp;ref=logo "', `"${T(3)}"`)
      .replace('</BODY>', `${PIXEL('https://t.herald.example/o/PIXEL')}</BODY>`);
    expect(html).toBe(expected);
  });

  it('leaves the unsubscribe and preference links alone, matching them with entities decoded', () => {
    const { links } = trackHtml(NEWSLETTER, { tracked: T, keep: [] });
    expect(links.slice(-2)).toEqual(keep);
  });

  it('escapes the tracked URL for the attribute', () => {
    const { html } = trackHtml('<a href="https://a.example/">x</a>', { tracked: () => `https://t.example/?a=1&b="<'>"`, keep: [] });
    expect(html).toBe('<a href="https://t.example/?a=1&amp;b=&quot;&lt;&#39;&gt;&quot;">x</a>');
  });

  it('decodes named and numeric character references and strips what a browser strips', () => {
    const { links } = trackHtml(
      '<a href="https://a.example/?a=1&amp;b=2&#38;c=3&#x26;d=4&AMP;e=5&copy;">1</a><a href="\n  https://b.example/pa\nth\t ">2</a>',
      { tracked: T, keep: [] },
    );
    expect(links).toEqual(['https://a.example/?a=1&b=2&c=3&d=4&e=5&copy;', 'https://b.example/path']);
  });

  it('reads any attribute order, case, quoting and white space, and uses the first href', () => {
    const cases: [string, string][] = [
      ['<a class="x" href="https://a.example/1">', 'https://a.example/1'],
      ["<A HREF='HTTPS://A.EXAMPLE/2'>", 'HTTPS://A.EXAMPLE/2'],
      ['<a href=http://a.example/3 target=_blank>', 'http://a.example/3'],
      ['<a\n\thref\n=\n"https://a.example/4"\n>', 'https://a.example/4'],
      ['<a href="https://a.example/5" href="https://a.example/other">', 'https://a.example/5'],
      ['<a title="a > b" href="https://a.example/6">', 'https://a.example/6'],
      ['<a/href="https://a.example/7">', 'https://a.example/7'],
      ['<a onclick="x(\'href=https://no.example\')" href="https://a.example/8">', 'https://a.example/8'],
    ];
    for (const [tag, url] of cases) expect(trackHtml(tag, { tracked: T, keep: [] }).links).toEqual([url]);
  });

  it('does not match href inside other attribute values, other tags, comments, scripts or styles', () => {
    for (const html of [
      '<a title="href=https://x.example">',
      '<a title=\'<a href="https://x.example">\'>',
      '<img alt="<a href=https://x.example>" src="https://cdn.example/i.png">',
      '<abbr href="https://x.example">',
      '<area href="https://x.example">',
      '<link href="https://x.example/style.css">',
      '<!-- <a href="https://x.example"> -->',
      '<!--[if mso]><a href="https://x.example">Outlook</a><![endif]-->',
      '<script>var s = \'<a href="https://x.example">\';</script>',
      '<style>/* <a href="https://x.example"> */</style>',
      '<textarea><a href="https://x.example"></textarea>',
      '</a href="https://x.example">',
      '<a href="https://x.example" data-track="false">',
      '<a DATA-TRACK=\' FALSE \' href="https://x.example">',
      '<a href="mailto:a@b.example?subject=https://x.example">',
      '<a href="tel:+1555">',
      '<a href="#https://x.example">',
      '<a href="/https://x.example">',
      '<a href="//x.example/protocol-relative">',
      '<a href="javascript:alert(1)">',
      '<a href="https://">',
      '<a href>',
      '<a href=>',
      '<a>',
    ]) {
      const out = trackHtml(html, { tracked: T, keep: [] });
      expect(out).toEqual({ html, links: [] });
    }
    // The tag after a comment or a script is a tag again.
    expect(trackHtml('<!-- x --><script>1<2</script ><a href="https://y.example">', { tracked: T, keep: [] }).links).toEqual([
      'https://y.example',
    ]);
  });

  it('tracks data-track="true" and other values like any link', () => {
    expect(trackHtml('<a data-track="true" href="https://a.example">', { tracked: T, keep: [] }).links).toEqual(['https://a.example']);
  });

  it(`tracks at most ${MAX_TRACKED_LINKS} links; the rest stay as they are`, () => {
    const html = Array.from({ length: 300 }, (_, i) => `<a href="https://a.example/${i}">${i}</a>`).join('\n');
    const out = trackHtml(html, { tracked: T, keep: [] });
    expect(out.links).toHaveLength(254);
    expect(out.links[253]).toBe('https://a.example/253');
    expect(out.html).toContain(`<a href="${T(253)}">253</a>`);
    expect(out.html).toContain('<a href="https://a.example/254">254</a>');
    expect(out.html).not.toContain(T(254));
  });

  it('puts the pixel before the last </body>, or at the end, escaped; none without a pixel', () => {
    const opts = (pixel?: string) => ({ tracked: T, keep: [], ...(pixel !== undefined ? { pixel } : {}) });
    expect(trackHtml('<body><p>Hi</p></body ></html>', opts('https://p.example/o')).html).toBe(
      `<body><p>Hi</p>${PIXEL('https://p.example/o')}</body ></html>`,
    );
    expect(trackHtml('<p>Hi</p><!-- </body> -->', opts('https://p.example/o?a&b')).html).toBe(
      `<p>Hi</p><!-- </body> -->${PIXEL('https://p.example/o?a&amp;b')}`,
    );
    expect(trackHtml('<p>Hi</p>', opts()).html).toBe('<p>Hi</p>');
  });

  it('leaves malformed markup alone and does not throw', () => {
    for (const html of [
      '<a href="https://x.example',
      '<a href=',
      '<a href="https://x.example">ok</a><a title="unterminated',
      '<style>a { color: red }',
      '<!-- never closed <a href="https://x.example">',
      '<',
      '<<<>>>',
      '</',
      '<!',
      '<a',
    ]) {
      expect(trackHtml(html, { tracked: T, keep: [] }).html).toBe(
        html.startsWith('<a href="https://x.example">ok') ? html.replace('https://x.example', T(0)) : html,
      );
    }
  });

  // Markup fragments that exercise the tokenizer, mixed with arbitrary characters.
  const FRAGMENTS = [
    '<a href="https://a.example/x?y=1&amp;z=2">',
    "<A HREF='http://b.example/'>",
    '<a href=https://c.example/p>',
    '<a data-track="false" href="https://d.example">',
    '<a title="href=https://x" href="https://e.example">',
    '<a\n  href\n=\n"https://f.example"\n>',
    '<a href="mailto:x@y.example">',
    '<a href="#top">',
    '<a href="https://keep.example/u">',
    '<a href>',
    '<a href=>',
    '<!--',
    '-->',
    '<!-- <a href="https://g.example"> -->',
    '<style>',
    '</style>',
    '<script>',
    '</script>',
    '<body>',
    '</body>',
    '</BODY >',
    '</a>',
    '<a ',
    ' href=',
    'https://h.example',
    '"',
    "'",
    '<',
    '>',
    '=',
    '/',
    ' ',
    '\n',
    '&amp;',
    '&#x26;',
    '<!',
    '</',
    '<?',
    '<!--[if mso]>',
    '<![endif]-->',
    '<img alt="<a href=\'https://i.example\'>">',
  ];
  const htmlish = fc
    .array(fc.oneof(fc.constantFrom(...FRAGMENTS), fc.string({ maxLength: 6 }), fc.string({ unit: 'binary', maxLength: 4 })), {
      maxLength: 40,
    })
    .map((parts) => parts.join(''));

  /** A tracked value no input holds, with nothing to escape: its positions mark what changed. */
  const MARK = (i: number) => `\ue000${i}\ue000`;

  /**
   * Checks that `output` is `input` with only href values replaced by MARK(0), MARK(1)... in order
   * (quotes kept, or double quotes added around an unquoted value), plus the pixel.
   */
  function onlyHrefsChanged(input: string, output: string, links: string[], pixel: string) {
    const tag = PIXEL(pixel);
    const at = output.lastIndexOf(tag);
    expect(at).toBeGreaterThanOrEqual(0);
    const stripped = output.slice(0, at) + output.slice(at + tag.length);
    const marks = [...stripped.matchAll(/\ue000(\d+)\ue000/g)].map((m) => Number(m[1]));
    expect(marks).toEqual(links.map((_, i) => i));
    const parts = stripped.split(/\ue000\d+\ue000/);
    let pos = 0;
    for (let k = 0; k < links.length; k++) {
      const part = parts[k]!;
      const quote = part.at(-1);
      expect(quote === '"' || quote === "'").toBe(true);
      if (input[pos + part.length - 1] === quote) {
        // A quoted value: the same up to and including the opening quote; the value runs to the closing one.
        expect(input.startsWith(part, pos)).toBe(true);
        pos = input.indexOf(quote!, pos + part.length);
        expect(pos).toBeGreaterThanOrEqual(0);
      } else {
        // An unquoted value: the output added `"` on both sides.
        expect(quote).toBe('"');
        expect(input.startsWith(part.slice(0, -1), pos)).toBe(true);
        pos += part.length - 1;
        while (pos < input.length && !/[\t\n\f\r >]/.test(input[pos]!)) pos++;
        expect(parts[k + 1]![0]).toBe('"');
        parts[k + 1] = parts[k + 1]!.slice(1);
      }
    }
    expect(input.slice(pos)).toBe(parts[links.length]);
    for (const link of links) expect(link).toMatch(/^https?:\/\/[^\t\n\r]/i);
  }

  it('property: never throws on arbitrary strings', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.string({ unit: 'binary' }), htmlish), (html) => {
        const out = trackHtml(html, { tracked: T, pixel: 'https://p.example/o', keep: [] });
        expect(out.links.length).toBeLessThanOrEqual(MAX_TRACKED_LINKS);
      }),
      { numRuns: 1000 },
    );
  });

  it('property: changes nothing but tracked href values and the added pixel', () => {
    fc.assert(
      fc.property(fc.oneof(htmlish, fc.string()), (html) => {
        fc.pre(!html.includes('\ue000'));
        const out = trackHtml(html, { tracked: MARK, pixel: 'https://p.example/o', keep: ['https://keep.example/u'] });
        onlyHrefsChanged(html, out.html, out.links, 'https://p.example/o');
      }),
      { numRuns: 2000 },
    );
  });

  it('property: HTML with no trackable link comes back as it was', () => {
    fc.assert(
      fc.property(fc.oneof(htmlish, fc.string()), (html) => {
        fc.pre(!/https?:/i.test(html));
        expect(trackHtml(html, { tracked: T, keep: [] })).toEqual({ html, links: [] });
      }),
      { numRuns: 500 },
    );
  });
});

describe('trackText', () => {
  it('rewrites bare URLs, leaving trailing punctuation and unopened brackets outside', () => {
    const text = [
      'Our sale starts now: https://shop.example/sale.',
      'New in (https://shop.example/new), see https://en.wikipedia.org/wiki/Foo_(bar) too!',
      'Quoted "https://shop.example/q?x=1&y=2", or <https://shop.example/angle>; HTTPS://SHOP.EXAMPLE/UP?',
      'Not these: ftp://x.example, www.shop.example, mailto:a@b.example, https:// alone.',
    ].join('\n');
    const out = trackText(text, (i) => `https://h.example/c/${i}`, []);
    expect(out.links).toEqual([
      'https://shop.example/sale',
      'https://shop.example/new',
      'https://en.wikipedia.org/wiki/Foo_(bar)',
      'https://shop.example/q?x=1&y=2',
      'https://shop.example/angle',
      'HTTPS://SHOP.EXAMPLE/UP',
    ]);
    expect(out.text).toBe(
      [
        'Our sale starts now: https://h.example/c/0.',
        'New in (https://h.example/c/1), see https://h.example/c/2 too!',
        'Quoted "https://h.example/c/3", or <https://h.example/c/4>; https://h.example/c/5?',
        'Not these: ftp://x.example, www.shop.example, mailto:a@b.example, https:// alone.',
      ].join('\n'),
    );
  });

  it('keeps the unsubscribe link, numbers from `first` and stops at the cap', () => {
    const sms = 'ACME: 20% off today https://shop.example/d Stop: https://herald.example/u/TOKEN';
    expect(trackText(sms, (i) => `https://h.example/${i}`, ['https://herald.example/u/TOKEN'], 7)).toEqual({
      text: 'ACME: 20% off today https://h.example/7 Stop: https://herald.example/u/TOKEN',
      links: ['https://shop.example/d'],
    });
    const many = Array.from({ length: 10 }, (_, i) => `https://a.example/${i}`).join(' ');
    const out = trackText(many, (i) => `T${i}`, [], 250);
    expect(out.links).toEqual(['https://a.example/0', 'https://a.example/1', 'https://a.example/2', 'https://a.example/3']);
    expect(out.text.startsWith('T250 T251 T252 T253 https://a.example/4')).toBe(true);
  });

  it('property: never throws, and text without a URL comes back as it was', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.string({ unit: 'binary' })), (text) => {
        const out = trackText(text, (i) => `T${i}`, []);
        if (!/https?:\/\//i.test(text)) expect(out).toEqual({ text, links: [] });
      }),
      { numRuns: 500 },
    );
  });
});

describe('withUtm', () => {
  const UTM = { source: 'herald', medium: 'email', campaign: 'spring-sale' };
  const Q = 'utm_source=herald&utm_medium=email&utm_campaign=spring-sale';

  it('appends to the query, before the fragment, encoding only its own values', () => {
    expect(withUtm('https://shop.example', UTM)).toBe(`https://shop.example?${Q}`);
    expect(withUtm('https://shop.example/p', UTM)).toBe(`https://shop.example/p?${Q}`);
    expect(withUtm('https://shop.example/p?a=1&b=%7E+x#frag?x=1', UTM)).toBe(`https://shop.example/p?a=1&b=%7E+x&${Q}#frag?x=1`);
    expect(withUtm('https://shop.example/p?', UTM)).toBe(`https://shop.example/p?${Q}`);
    expect(withUtm('https://shop.example/p?a=1&', UTM)).toBe(`https://shop.example/p?a=1&${Q}`);
    expect(withUtm('https://shop.example/p??', UTM)).toBe(`https://shop.example/p??&${Q}`);
    expect(withUtm('HTTP://Shop.Example/Ünï?q=ä#', UTM)).toBe(`HTTP://Shop.Example/Ünï?q=ä&${Q}#`);
    expect(withUtm('https://shop.example/', { source: 'a b', medium: 'e&m', campaign: 'Été=1', content: 'hero #1' })).toBe(
      'https://shop.example/?utm_source=a%20b&utm_medium=e%26m&utm_campaign=%C3%89t%C3%A9%3D1&utm_content=hero%20%231',
    );
    expect(withUtm('https://shop.example/', { source: 'a', medium: '', campaign: 'c', content: '' })).toBe(
      'https://shop.example/?utm_source=a&utm_campaign=c',
    );
  });

  it('leaves a URL with any utm_* parameter unchanged', () => {
    for (const url of [
      'https://shop.example/?utm_term=shoes',
      'https://shop.example/?a=1&UTM_Source=x',
      'https://shop.example/?utm%5Fsource=x',
      'https://shop.example/?utm_id',
    ]) {
      expect(withUtm(url, UTM)).toBe(url);
    }
    expect(withUtm('https://shop.example/#utm_source=x', UTM)).toBe(`https://shop.example/?${Q}#utm_source=x`);
  });

  it('leaves anything but an absolute http(s) URL unchanged', () => {
    for (const url of [
      '',
      'mailto:a@b.example',
      'tel:+1555',
      '/relative',
      '#top',
      'ftp://x.example/',
      'https://',
      'https://exa mple.com/',
      ' https://shop.example/',
      'https://shop.example/\n',
      'javascript:alert(1)',
      'https://[::1',
    ]) {
      expect(withUtm(url, UTM)).toBe(url);
    }
  });

  it('property: never throws and is idempotent', () => {
    const utm = fc.record({
      source: fc.string(),
      medium: fc.string(),
      campaign: fc.string(),
      content: fc.option(fc.string(), { nil: undefined }),
    });
    const url = fc.oneof(fc.webUrl({ withQueryParameters: true, withFragments: true }), fc.string(), fc.string({ unit: 'binary' }));
    fc.assert(
      fc.property(url, utm, (u, p) => {
        const once = withUtm(u, p);
        expect(withUtm(once, p)).toBe(once);
        expect(once.startsWith(u.split('#')[0]!)).toBe(true);
      }),
      { numRuns: 1000 },
    );
  });
});

describe('isMachineRequest', () => {
  const SENT = new Date('2026-05-01T10:00:00.000Z');
  const later = (ms: number) => new Date(SENT.getTime() + ms);
  const CHROME = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36';
  const human = { method: 'GET', userAgent: CHROME, at: later(60_000), sentAt: SENT };

  it('takes a person in a browser or mail client for a person', () => {
    expect(isMachineRequest(human)).toEqual({ machine: false });
    for (const userAgent of [
      'Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148',
      'Outlook-iOS/723.4027091.prod.iphone (4.2420.0)',
      'Mozilla/4.0 (compatible; ms-office; MSOffice 16)',
      'Microsoft Office/16.0 (Windows NT 10.0; Microsoft Outlook 16.0.17328; Pro)',
      'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:125.0) Gecko/20100101 Thunderbird/125.0',
    ]) {
      expect(isMachineRequest({ ...human, userAgent })).toEqual({ machine: false });
    }
    expect(isMachineRequest({ method: 'GET', userAgent: CHROME, at: later(5_000) })).toEqual({ machine: false }); // no sentAt
  });

  it('flags HEAD requests and prefetches', () => {
    expect(isMachineRequest({ ...human, method: 'HEAD' })).toEqual({ machine: true, why: 'head' });
    expect(isMachineRequest({ ...human, method: 'head' })).toEqual({ machine: true, why: 'head' });
    expect(isMachineRequest({ ...human, purpose: 'prefetch;prerender' })).toEqual({ machine: true, why: 'prefetch' });
    expect(isMachineRequest({ ...human, purpose: 'preview' })).toEqual({ machine: true, why: 'prefetch' });
    expect(isMachineRequest({ ...human, userAgent: 'facebookexternalhit/1.1 Facebot Twitterbot/1.0' })).toEqual({
      machine: true,
      why: 'prefetch',
    });
    expect(isMachineRequest({ ...human, userAgent: 'WhatsApp/2.23.20.0' })).toEqual({ machine: true, why: 'prefetch' });
  });

  it('flags security scanners, scripts and a missing user agent', () => {
    for (const userAgent of [
      'BarracudaCentral/1.0',
      'Mozilla/5.0 (compatible; Mimecast URL Protect)',
      'Proofpoint URL Defense',
      'urlscan.io',
      'Symantec Email Security.cloud',
      'Forcepoint Web Security',
      'Mozilla/5.0 ZScaler',
      'Trend Micro Email Security',
      'Microsoft Office 365 SafeLinks',
      'Microsoft Office Existence Discovery',
      'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/120.0.0.0 Safari/537.36',
      'python-requests/2.31.0',
      'curl/8.5.0',
      '',
      '   ',
    ]) {
      expect(isMachineRequest({ ...human, userAgent })).toEqual({ machine: true, why: 'scanner-agent' });
    }
    expect(isMachineRequest({ method: 'GET', at: later(60_000) })).toEqual({ machine: true, why: 'scanner-agent' });
  });

  it('flags a request within a second of sending (or before it)', () => {
    expect(isMachineRequest({ ...human, at: later(400) })).toEqual({ machine: true, why: 'too-fast' });
    expect(isMachineRequest({ ...human, at: later(999) })).toEqual({ machine: true, why: 'too-fast' });
    expect(isMachineRequest({ ...human, at: later(-5_000) })).toEqual({ machine: true, why: 'too-fast' });
    expect(isMachineRequest({ ...human, at: later(1_000) })).toEqual({ machine: false });
  });

  it('marks opens through Gmail, Yahoo and Apple image proxies as proxy opens, not machines', () => {
    const gmail = 'Mozilla/5.0 (Windows NT 5.1; rv:11.0) Gecko Firefox/11.0 (via ggpht.com GoogleImageProxy)';
    expect(isMachineRequest({ ...human, userAgent: gmail })).toEqual({ machine: false, proxy: true });
    expect(isMachineRequest({ ...human, userAgent: 'YahooMailProxy; https://help.yahoo.com/kb/yahoo-mail-proxy-SLN28749.html' })).toEqual({
      machine: false,
      proxy: true,
    });
    expect(isMachineRequest({ ...human, userAgent: 'Mozilla/5.0' })).toEqual({ machine: false, proxy: true });
    // Apple fetches on delivery: within the second it is both.
    expect(isMachineRequest({ ...human, userAgent: 'Mozilla/5.0', at: later(200) })).toEqual({
      machine: true,
      why: 'too-fast',
      proxy: true,
    });
    expect(isMachineRequest({ ...human, userAgent: gmail, method: 'HEAD' })).toEqual({ machine: true, why: 'head', proxy: true });
  });
});

describe('isOneClickBody', () => {
  const FORM = 'application/x-www-form-urlencoded';

  it('accepts the RFC 8058 form body, however it is cased and encoded', () => {
    expect(isOneClickBody(FORM, 'List-Unsubscribe=One-Click')).toBe(true);
    expect(isOneClickBody('Application/X-WWW-Form-Urlencoded; charset=UTF-8', 'List-Unsubscribe=One-Click\r\n')).toBe(true);
    expect(isOneClickBody(FORM, 'a=1&list-unsubscribe=one-click')).toBe(true);
    expect(isOneClickBody(FORM, 'List%2DUnsubscribe=One%2DClick')).toBe(true);
    expect(isOneClickBody(undefined, 'List-Unsubscribe=One-Click')).toBe(true);
  });

  it('accepts a multipart body with the List-Unsubscribe part', () => {
    const body = ['--XyZ', 'Content-Disposition: form-data; name="List-Unsubscribe"', '', 'One-Click', '--XyZ--', ''].join('\r\n');
    expect(isOneClickBody('multipart/form-data; boundary=XyZ', body)).toBe(true);
    expect(isOneClickBody('multipart/form-data; boundary="XyZ"', body)).toBe(true);
    expect(isOneClickBody('multipart/form-data', body)).toBe(true); // boundary from the body
    expect(isOneClickBody(undefined, body)).toBe(true);
    expect(isOneClickBody('multipart/form-data; boundary=XyZ', body.replace(/\r\n/g, '\n'))).toBe(true);
    const other = body.replace('name="List-Unsubscribe"', 'name="x"; filename="List-Unsubscribe"');
    expect(isOneClickBody('multipart/form-data; boundary=XyZ', other)).toBe(false);
    expect(isOneClickBody('multipart/form-data; boundary=XyZ', body.replace('One-Click', 'Two-Click'))).toBe(false);
    expect(isOneClickBody('multipart/form-data; boundary=Other', body)).toBe(false);
  });

  it("accepts Herald's own confirmation form (confirm=yes)", () => {
    expect(isOneClickBody(FORM, 'confirm=yes')).toBe(true);
    expect(isOneClickBody(FORM, 'confirm=no')).toBe(false);
  });

  it('refuses anything else', () => {
    expect(isOneClickBody(FORM, '')).toBe(false);
    expect(isOneClickBody(FORM, 'List-Unsubscribe=')).toBe(false);
    expect(isOneClickBody(FORM, 'List-Unsubscribe=One-Click-Now')).toBe(false);
    expect(isOneClickBody('text/plain', 'List-Unsubscribe=One-Click')).toBe(false);
    expect(isOneClickBody('application/json', '{"List-Unsubscribe":"One-Click"}')).toBe(false);
    expect(isOneClickBody(undefined, '')).toBe(false);
  });

  it('property: never throws', () => {
    fc.assert(
      fc.property(fc.option(fc.string()), fc.string({ unit: 'binary' }), (type, body) => {
        expect(typeof isOneClickBody(type ?? undefined, body)).toBe('boolean');
      }),
      { numRuns: 500 },
    );
  });
});
