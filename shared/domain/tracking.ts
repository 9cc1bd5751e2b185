/**
 * The pure core of the recipient side: signed tokens for tracked links, the open pixel, one-click
 * unsubscribe and the preference page; rewriting the links of a rendered message; UTM parameters;
 * telling scanners and prefetchers from people; and recognising an RFC 8058 one-click POST.
 * Nothing here does I/O: the handlers that serve these URLs live with the adapters.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

// ---------------------------------------------------------------------------------------------
// Signed tokens

export type TokenKind = 'click' | 'open' | 'unsubscribe' | 'preferences' | 'nps';

export interface TokenClaims {
  kind: TokenKind;
  tenantId: string;
  campaignId: string;
  contactId: string;
  /** click: index of the link in the message, 0-254; nps: the score, 0-10 */
  link?: number;
}

/** The kinds in wire order: a token carries the index. */
const KINDS: readonly TokenKind[] = ['click', 'open', 'unsubscribe', 'preferences', 'nps'];
const VERSION = 1;
const MAC_BYTES = 16;
const NO_LINK = 255;
const MIN_SECRET_BYTES = 32;
/** A token longer than this is refused unread (the longest valid one, 40-character tenant and two 255-byte ids, is 750). */
const MAX_TOKEN_CHARS = 1024;

/** Tenant ids match /^[a-z0-9-]{1,40}$/: 37 symbols, 6 bits each. */
const TENANT = /^[a-z0-9-]{1,40}$/;
const TENANT_ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789-';
/** Ids are a prefix and a lower-case ULID: 26 Crockford base32 characters, 5 bits each. */
const ID_ALPHABET = '0123456789abcdefghjkmnpqrstvwxyz';
const PACKABLE = /^[0-9abcdefghjkmnpqrstvwxyz]{26}$/;
const MAX_ID_BYTES = 255;

const utf8 = new TextEncoder();
const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

/** Writes fields of any bit width, most significant bit first; the last byte is padded with zeros. */
class BitWriter {
  private readonly bytes: number[] = [];
  private acc = 0;
  private bits = 0;
  write(value: number, width: number): void {
    for (let i = width - 1; i >= 0; i--) {
      this.acc = (this.acc << 1) | ((value >>> i) & 1);
      if (++this.bits === 8) {
        this.bytes.push(this.acc);
        this.acc = 0;
        this.bits = 0;
      }
    }
  }
  finish(): Uint8Array {
    if (this.bits > 0) this.bytes.push(this.acc << (8 - this.bits));
    return Uint8Array.from(this.bytes);
  }
}

/** Reads what BitWriter wrote; undefined past the end. */
class BitReader {
  private pos = 0;
  constructor(private readonly bytes: Uint8Array) {}
  read(width: number): number | undefined {
    if (this.pos + width > this.bytes.length * 8) return undefined;
    let value = 0;
    for (let i = 0; i < width; i++, this.pos++) value = (value << 1) | ((this.bytes[this.pos >>> 3]! >>> (7 - (this.pos & 7))) & 1);
    return value;
  }
  /** True when only the zero padding of the last byte is left: anything more is trailing garbage. */
  atEnd(): boolean {
    const left = this.bytes.length * 8 - this.pos;
    return left < 8 && (left === 0 || this.read(left) === 0);
  }
}

function writeId(w: BitWriter, prefix: string, id: string): void {
  const body = id.slice(prefix.length);
  if (id.startsWith(prefix) && PACKABLE.test(body)) {
    w.write(1, 1);
    for (const c of body) w.write(ID_ALPHABET.indexOf(c), 5);
    return;
  }
  const bytes = utf8.encode(id);
  w.write(0, 1);
  w.write(bytes.length, 8);
  for (const b of bytes) w.write(b, 8);
}

function readId(r: BitReader, prefix: string): string | undefined {
  const packed = r.read(1);
  if (packed === 1) {
    let body = '';
    for (let i = 0; i < 26; i++) {
      const v = r.read(5);
      if (v === undefined) return undefined;
      body += ID_ALPHABET[v];
    }
    return prefix + body;
  }
  const length = packed === undefined ? undefined : r.read(8);
  if (length === undefined) return undefined;
  const bytes = new Uint8Array(length);
  for (let i = 0; i < length; i++) {
    const b = r.read(8);
    if (b === undefined) return undefined;
    bytes[i] = b;
  }
  try {
    return strictUtf8.decode(bytes);
  } catch {
    return undefined;
  }
}

/**
 * The payload: a version byte, then a bit stream of kind (3 bits), link (8 bits, 255 = none),
 * tenant length (6 bits) and characters (6 bits each), then campaign and contact id, each a flag
 * bit and either 26 × 5 bits (packed: `cp_`/`ct_` + a ULID) or a length byte and UTF-8 bytes.
 */
function encodePayload(c: TokenClaims): Uint8Array {
  const w = new BitWriter();
  w.write(VERSION, 8);
  w.write(KINDS.indexOf(c.kind), 3);
  w.write(c.link ?? NO_LINK, 8);
  w.write(c.tenantId.length, 6);
  for (const ch of c.tenantId) w.write(TENANT_ALPHABET.indexOf(ch), 6);
  writeId(w, 'cp_', c.campaignId);
  writeId(w, 'ct_', c.contactId);
  return w.finish();
}

function decodePayload(payload: Uint8Array): TokenClaims | undefined {
  const r = new BitReader(payload);
  if (r.read(8) !== VERSION) return undefined;
  const kind = KINDS[r.read(3) ?? KINDS.length];
  const link = r.read(8);
  const tenantLength = r.read(6);
  if (!kind || link === undefined || !tenantLength || tenantLength > 40) return undefined;
  const linked = kind === 'click' || kind === 'nps';
  if (linked !== (link !== NO_LINK) || (kind === 'nps' && link > 10)) return undefined;
  let tenantId = '';
  for (let i = 0; i < tenantLength; i++) {
    const ch = TENANT_ALPHABET[r.read(6) ?? TENANT_ALPHABET.length];
    if (ch === undefined) return undefined;
    tenantId += ch;
  }
  const campaignId = readId(r, 'cp_');
  const contactId = readId(r, 'ct_');
  if (!campaignId || !contactId || !r.atEnd()) return undefined;
  return { kind, tenantId, campaignId, contactId, ...(linked ? { link } : {}) };
}

const mac = (secret: Uint8Array, payload: Uint8Array) => createHmac('sha256', secret).update(payload).digest().subarray(0, MAC_BYTES);

const idFits = (id: unknown): id is string =>
  typeof id === 'string' && id.length > 0 && strictUtf8.decode(utf8.encode(id)) === id && utf8.encode(id).length <= MAX_ID_BYTES;

/**
 * A URL-safe token carrying the claims: base64url(payload ‖ HMAC-SHA256(secret, payload)[0..16]).
 * Measured: 80 characters for a click with a 10-character tenant and `cp_`/`ct_` + ULID ids
 * (44-byte payload + 16-byte MAC); 110 with a 40-character tenant. Throws on claims it cannot
 * carry: a tenant outside /^[a-z0-9-]{1,40}$/, an empty id or one over 255 UTF-8 bytes, a click
 * without a link index 0-254, a link on another kind, or a secret under 32 bytes.
 */
export function signToken(secret: Uint8Array, claims: TokenClaims): string {
  if (!(secret instanceof Uint8Array) || secret.length < MIN_SECRET_BYTES)
    throw new Error(`secret must be at least ${MIN_SECRET_BYTES} bytes`);
  if (!KINDS.includes(claims.kind)) throw new Error(`unknown token kind: ${String(claims.kind)}`);
  if (typeof claims.tenantId !== 'string' || !TENANT.test(claims.tenantId)) throw new Error('tenantId must match /^[a-z0-9-]{1,40}$/');
  if (!idFits(claims.campaignId) || !idFits(claims.contactId)) throw new Error('ids must be 1-255 bytes of well-formed UTF-8');
  if (claims.kind === 'click') {
    const link = claims.link;
    if (typeof link !== 'number' || !Number.isInteger(link) || link < 0 || link >= NO_LINK)
      throw new Error('a click token needs a link index 0-254');
  } else if (claims.kind === 'nps') {
    const score = claims.link;
    if (typeof score !== 'number' || !Number.isInteger(score) || score < 0 || score > 10)
      throw new Error('an nps token needs a score 0-10');
  } else if (claims.link !== undefined) {
    throw new Error('only a click or nps token carries a link index');
  }
  const payload = encodePayload(claims);
  return Buffer.concat([payload, mac(secret, payload)]).toString('base64url');
}

/**
 * The claims of a token signed with this secret, or undefined for anything else: not canonical
 * base64url, truncated, extended, altered in any bit, signed with another secret, an unknown
 * version or kind. Never throws.
 */
export function verifyToken(secret: Uint8Array, token: string): TokenClaims | undefined {
  try {
    if (!(secret instanceof Uint8Array) || secret.length < MIN_SECRET_BYTES) return undefined;
    if (typeof token !== 'string' || token.length > MAX_TOKEN_CHARS || !/^[A-Za-z0-9_-]+$/.test(token)) return undefined;
    const bytes = Buffer.from(token, 'base64url');
    // Buffer decoding is lenient (stray bits in the last character): only the canonical form is accepted.
    if (bytes.length <= MAC_BYTES || bytes.toString('base64url') !== token) return undefined;
    const payload = bytes.subarray(0, bytes.length - MAC_BYTES);
    if (!timingSafeEqual(bytes.subarray(bytes.length - MAC_BYTES), mac(secret, payload))) return undefined;
    return decodePayload(payload);
  } catch {
    return undefined;
  }
}

/**
 * A signing secret from configuration: hex, or base64 / base64url (padding optional), of at least
 * 32 bytes; surrounding whitespace is ignored. A string of hex digits only is read as hex.
 * The error never repeats the value.
 */
export function parseSecret(value: string): Uint8Array {
  const v = typeof value === 'string' ? value.trim() : '';
  let bytes: Buffer | undefined;
  if (/^(?:[0-9a-fA-F]{2})+$/.test(v)) {
    bytes = Buffer.from(v, 'hex');
  } else if (/^[A-Za-z0-9+/_-]+={0,2}$/.test(v)) {
    const url = v.replace(/=+$/, '').replace(/\+/g, '-').replace(/\//g, '_');
    const decoded = Buffer.from(url, 'base64url');
    if (decoded.toString('base64url') === url) bytes = decoded;
  }
  if (!bytes) throw new Error('the tracking secret must be hex, base64 or base64url');
  if (bytes.length < MIN_SECRET_BYTES)
    throw new Error(`the tracking secret must be at least ${MIN_SECRET_BYTES} bytes; it has ${bytes.length}`);
  return new Uint8Array(bytes);
}

/** A fresh secret for parseSecret: 32 random bytes, base64url. */
export function newSecret(): string {
  return randomBytes(MIN_SECRET_BYTES).toString('base64url');
}

// ---------------------------------------------------------------------------------------------
// Link rewriting

/** Link indexes 0-254 fit a token's link byte (255 means none); later links stay untracked. */
export const MAX_TRACKED_LINKS = 254;

export interface TrackedHtml {
  html: string;
  links: string[];
}

const escapeAttr = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string);

const NAMED_ENTITIES: Record<string, string> = {
  amp: '&',
  AMP: '&',
  lt: '<',
  LT: '<',
  gt: '>',
  GT: '>',
  quot: '"',
  QUOT: '"',
  apos: "'",
  nbsp: '\u00a0',
};

/** Decodes the character references a URL carries: the named ones above and numeric ones, with their `;`. */
function decodeEntities(s: string): string {
  if (!s.includes('&')) return s;
  return s.replace(/&(?:#(\d{1,8})|#[xX]([0-9a-fA-F]{1,8})|([A-Za-z]+));/g, (whole, dec?: string, hex?: string, name?: string) => {
    if (name !== undefined) return NAMED_ENTITIES[name] ?? whole;
    const cp = dec !== undefined ? Number.parseInt(dec, 10) : Number.parseInt(hex as string, 16);
    return cp === 0 || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff) ? '\ufffd' : String.fromCodePoint(cp);
  });
}

/** What a browser does to an href before parsing it: strips tabs and line breaks, trims spaces and controls. */
function cleanUrl(s: string): string {
  const stripped = s.replace(/[\t\n\r]/g, '');
  let start = 0;
  let end = stripped.length;
  while (start < end && stripped.charCodeAt(start) <= 0x20) start++;
  while (end > start && stripped.charCodeAt(end - 1) <= 0x20) end--;
  return stripped.slice(start, end);
}

const isHttp = (url: string) => /^https?:\/\/./i.test(url);

type Attr = { name: string; value?: { start: number; end: number; quoted: boolean } };
type Tag = { name: string; end: boolean; attrs: Attr[]; close: number };

const isSpace = (c: string | undefined) => c === ' ' || c === '\t' || c === '\n' || c === '\r' || c === '\f';

/**
 * Tokenizes the tag starting at `<` (start or end tag) the way the HTML tokenizer does: a name,
 * then attributes with double-quoted, single-quoted, unquoted or no values, up to the first `>`
 * outside quotes. Undefined when the input ends inside the tag (a browser drops such a tag too).
 */
function scanTag(html: string, lt: number): Tag | undefined {
  const end = html[lt + 1] === '/';
  let p = lt + (end ? 2 : 1);
  const nameStart = p;
  while (p < html.length && !isSpace(html[p]) && html[p] !== '/' && html[p] !== '>') p++;
  const name = html.slice(nameStart, p).toLowerCase();
  const attrs: Attr[] = [];
  for (;;) {
    while (p < html.length && (isSpace(html[p]) || html[p] === '/')) p++;
    if (p >= html.length) return undefined;
    if (html[p] === '>') return { name, end, attrs, close: p + 1 };
    const attrStart = p++; // the first character of a name may be anything, `=` included
    while (p < html.length && !isSpace(html[p]) && html[p] !== '/' && html[p] !== '>' && html[p] !== '=') p++;
    const attr: Attr = { name: html.slice(attrStart, p).toLowerCase() };
    attrs.push(attr);
    let q = p;
    while (q < html.length && isSpace(html[q])) q++;
    if (html[q] !== '=') continue;
    p = q + 1;
    while (p < html.length && isSpace(html[p])) p++;
    const quote = html[p];
    if (quote === '"' || quote === "'") {
      const close = html.indexOf(quote, p + 1);
      if (close < 0) return undefined;
      attr.value = { start: p + 1, end: close, quoted: true };
      p = close + 1;
    } else {
      const start = p;
      while (p < html.length && !isSpace(html[p]) && html[p] !== '>') p++;
      attr.value = { start, end: p, quoted: false };
    }
  }
}

/** Elements whose content is text, not markup: a `<a` inside them is no link. */
const RAW_TEXT = new Set(['script', 'style', 'title', 'textarea', 'xmp', 'iframe', 'noembed', 'noframes']);

const END_TAGS = new Map([...RAW_TEXT].map((name) => [name, new RegExp(`</${name}[\\t\\n\\f\\r />]`, 'gi')]));

/** The position of `</name` (followed by space, `/` or `>`) from `from` on, or -1. */
function findEndTag(html: string, name: string, from: number): number {
  const re = END_TAGS.get(name)!;
  re.lastIndex = from;
  return re.exec(html)?.index ?? -1;
}

const pixelTag = (src: string) =>
  `<img src="${escapeAttr(src)}" width="1" height="1" alt="" style="display:block;border:0;width:1px;height:1px">`;

/**
 * Rewrites every `<a href="http(s)://...">` to `tracked(i)`, i the index into `links` (the
 * original URLs, entities decoded and trimmed as a browser would, in order of appearance; the same
 * URL twice is two entries, so reports can tell a logo from a button). Left alone: an `<a>` with
 * `data-track="false"` (the attribute stays: mail clients ignore it), mailto:, tel:, #anchors,
 * relative URLs, any URL in `keep` (the unsubscribe and preference links), and links past the
 * 254th. Comments, MSO conditional comments included (VML buttons), and the content of script,
 * style and title are left untouched. Only the href value changes: its quotes are kept, an
 * unquoted one gets double quotes. The open pixel goes just before the last `</body>`, or at the
 * end when there is none. Never throws: markup that does not tokenize is left as it is.
 */
export function trackHtml(html: string, options: { tracked: (index: number) => string; pixel?: string; keep: string[] }): TrackedHtml {
  const keep = new Set(options.keep.map(cleanUrl));
  const links: string[] = [];
  /** What changes: [start, end, replacement], in order once the pixel is placed. */
  const edits: [number, number, string][] = [];
  let bodyEnd = -1;
  let i = 0;
  while (i < html.length) {
    const lt = html.indexOf('<', i);
    if (lt < 0) break;
    const next = html[lt + 1] ?? '';
    if (html.startsWith('<!--', lt)) {
      // `<!-->` and `<!--->` are complete (empty) comments.
      const close = html.startsWith('<!-->', lt) ? lt + 2 : html.startsWith('<!--->', lt) ? lt + 3 : html.indexOf('-->', lt + 4);
      if (close < 0) break;
      i = close + 3;
      continue;
    }
    if (next === '!' || next === '?' || (next === '/' && !/[A-Za-z]/.test(html[lt + 2] ?? ''))) {
      // A doctype, processing instruction or bogus comment: up to the next `>`.
      const close = html.indexOf('>', lt + 1);
      if (close < 0) break;
      i = close + 1;
      continue;
    }
    if (!/[A-Za-z/]/.test(next)) {
      i = lt + 1; // a `<` that starts no tag is text
      continue;
    }
    const tag = scanTag(html, lt);
    if (!tag) break;
    i = tag.close;
    if (tag.end) {
      if (tag.name === 'body') bodyEnd = lt;
      continue;
    }
    if (RAW_TEXT.has(tag.name)) {
      const close = findEndTag(html, tag.name, i);
      if (close < 0) break;
      i = close;
      continue;
    }
    if (tag.name !== 'a' || links.length >= MAX_TRACKED_LINKS) continue;
    // The first of a repeated attribute is the one a browser uses.
    const href = tag.attrs.find((a) => a.name === 'href')?.value;
    const optOut = tag.attrs.find((a) => a.name === 'data-track')?.value;
    if (!href) continue;
    if (optOut && decodeEntities(html.slice(optOut.start, optOut.end)).trim().toLowerCase() === 'false') continue;
    const url = cleanUrl(decodeEntities(html.slice(href.start, href.end)));
    if (!isHttp(url) || keep.has(url)) continue;
    const value = escapeAttr(options.tracked(links.length));
    links.push(url);
    edits.push([href.start, href.end, href.quoted ? value : `"${value}"`]);
  }
  if (options.pixel !== undefined) {
    const at = bodyEnd >= 0 ? bodyEnd : html.length;
    edits.push([at, at, pixelTag(options.pixel)]);
    // `</body>` starts a tag and an href value lies inside one: the pixel never splits an edit.
    edits.sort((a, b) => a[0] - b[0]);
  }
  const out: string[] = [];
  let copied = 0;
  for (const [start, end, text] of edits) {
    out.push(html.slice(copied, start), text);
    copied = end;
  }
  out.push(html.slice(copied));
  return { html: out.join(''), links };
}

/** Punctuation that ends a sentence rather than a URL. */
const TRAILING = new Set(['.', ',', ';', ':', '!', '?', "'", '"', '*']);
const PAIRS: Record<string, string> = { ')': '(', ']': '[', '}': '{' };

/** A URL found in text, less trailing punctuation and closing brackets it does not open itself. */
function trimUrl(url: string): string {
  const tally = (c: string) => url.split(c).length - 1;
  const unopened: Record<string, number> = {};
  for (const [close, open] of Object.entries(PAIRS)) unopened[close] = tally(close) - tally(open);
  let end = url.length;
  for (;;) {
    const last = url[end - 1] as string;
    if (TRAILING.has(last)) end--;
    else if ((unopened[last] ?? 0) > 0) {
      unopened[last]!--;
      end--;
    } else return url.slice(0, end);
  }
}

/**
 * Rewrites the bare http(s) URLs of a plain-text part or an SMS body to `tracked(i)`, as trackHtml
 * does; trailing punctuation (`.`, `,`, `)` when the URL opens no `(`...) stays outside. `first`
 * is the index of the first link here, for the text part of a message whose HTML part took
 * indexes 0 to first - 1: `links[k]` is then index first + k, and the 254 cap counts both parts.
 */
export function trackText(text: string, tracked: (index: number) => string, keep: string[], first = 0): { text: string; links: string[] } {
  const keepSet = new Set(keep);
  const links: string[] = [];
  const result = text.replace(/https?:\/\/[^\s<>"]+/gi, (found) => {
    const url = trimUrl(found);
    if (!isHttp(url) || keepSet.has(url) || first + links.length >= MAX_TRACKED_LINKS) return found;
    const replaced = tracked(first + links.length) + found.slice(url.length);
    links.push(url);
    return replaced;
  });
  return { text: result, links };
}

// ---------------------------------------------------------------------------------------------
// UTM parameters

/** True when a query string (without `?`) has any utm_* parameter, whatever its case or encoding. */
function hasUtm(query: string): boolean {
  return query.split('&').some((pair) => {
    const key = (pair.split('=')[0] as string).replace(/\+/g, ' ');
    let decoded = key;
    try {
      decoded = decodeURIComponent(key);
    } catch {
      // a stray `%`: compare as written
    }
    return /^utm_/i.test(decoded);
  });
}

/**
 * Adds utm_source, utm_medium, utm_campaign and utm_content (when given; empty values are left
 * out) to an http(s) URL, before its fragment and after its query, as written: nothing else of the
 * URL is re-encoded. A URL that already has any utm_* parameter is returned unchanged (so applying
 * this twice is applying it once), and so is anything that is not an absolute http(s) URL.
 */
export function withUtm(url: string, utm: { source: string; medium: string; campaign: string; content?: string }): string {
  try {
    // No spaces or controls (a browser would drop them; appending after them would break the URL).
    if (!/^https?:\/\/[^\s\p{Cc}]+$/iu.test(url) || !URL.canParse(url)) return url;
    const hash = url.indexOf('#');
    const base = hash < 0 ? url : url.slice(0, hash);
    const fragment = hash < 0 ? '' : url.slice(hash);
    const q = base.indexOf('?');
    if (q >= 0 && hasUtm(base.slice(q + 1))) return url;
    const fields: [string, string | undefined][] = [
      ['utm_source', utm.source],
      ['utm_medium', utm.medium],
      ['utm_campaign', utm.campaign],
      ['utm_content', utm.content],
    ];
    const params = fields.filter(([, v]) => typeof v === 'string' && v !== '').map(([k, v]) => `${k}=${encodeURIComponent(v as string)}`);
    if (params.length === 0) return url;
    const query = base.slice(q + 1);
    const joiner = q < 0 ? '?' : query === '' || query.endsWith('&') ? '' : '&';
    return `${base}${joiner}${params.join('&')}${fragment}`;
  } catch {
    return url;
  }
}

// ---------------------------------------------------------------------------------------------
// Scanners, prefetchers and proxies

/**
 * Link scanners of mail security gateways, which fetch every link (and image) of a message on
 * delivery, matched case-insensitively anywhere in the user agent. Mail clients themselves are
 * people and are not here (Outlook, Outlook-iOS, Thunderbird...).
 */
const SCANNER_AGENTS = [
  'barracuda', // Barracuda Email Security ("BarracudaCentral")
  'mimecast', // Mimecast URL Protect
  'proofpoint', // Proofpoint URL Defense
  'urlscan', // urlscan.io and similar URL analysers
  'symantec', // Symantec / Broadcom Email Security.cloud
  'forcepoint',
  'zscaler',
  'trend micro',
  'trendmicro',
  'safelinks', // Microsoft Defender for Office 365 Safe Links
  'ironport', // Cisco Secure Email
  'fireeye', // Trellix (FireEye) Email Security
  'microsoft office existence discovery', // Office checking a link exists before it opens a browser
  // Scripts and headless browsers: no person behind them.
  'headlesschrome',
  'python-requests',
  'python-urllib',
  'go-http-client',
  'curl/',
  'wget/',
];

/** Link-preview fetchers (an SMS in iMessage or a link pasted in a chat): the message was received, not clicked. */
const PREVIEW_AGENTS = ['facebookexternalhit', 'twitterbot', 'slackbot', 'whatsapp', 'telegrambot', 'discordbot', 'skypeuripreview'];

/**
 * Image proxies that fetch the open pixel on the user's behalf: GoogleImageProxy (Gmail) when the
 * message is opened; Apple Mail Privacy Protection, which fetches every image on delivery whether
 * or not the message is read, with the bare user agent `Mozilla/5.0`; Yahoo's YahooMailProxy.
 */
const PROXY_AGENTS = ['googleimageproxy', 'yahoomailproxy'];
const APPLE_PROXY_AGENT = 'mozilla/5.0';

export interface MachineVerdict {
  machine: boolean;
  why?: 'head' | 'prefetch' | 'too-fast' | 'scanner-agent';
  /** The request came through a mail provider's image proxy: an open is counted, but flagged. */
  proxy?: boolean;
}

/**
 * Whether a click or open request was made by a machine rather than the recipient: a HEAD request;
 * a prefetch (a `purpose` header, the value of Purpose, Sec-Purpose or X-Purpose, saying
 * prefetch or preview, or a link-preview agent); a security scanner or script by its user agent,
 * or no user agent at all ('scanner-agent'); or within 1 second of `sentAt` or before it (no
 * person is that fast; scanners at delivery are). Opens through an image proxy are `proxy: true`
 * and not machines by themselves, so they count as opens that reports can set apart.
 */
export function isMachineRequest(request: {
  method: string;
  userAgent?: string;
  purpose?: string;
  at: Date;
  sentAt?: Date;
}): MachineVerdict {
  const ua = (request.userAgent ?? '').trim().toLowerCase();
  const proxy = PROXY_AGENTS.some((p) => ua.includes(p)) || ua === APPLE_PROXY_AGENT;
  const verdict = (why: MachineVerdict['why']): MachineVerdict => ({
    machine: why !== undefined,
    ...(why ? { why } : {}),
    ...(proxy ? { proxy } : {}),
  });
  if (request.method.toUpperCase() === 'HEAD') return verdict('head');
  if (/prefetch|preview/i.test(request.purpose ?? '') || PREVIEW_AGENTS.some((p) => ua.includes(p))) return verdict('prefetch');
  if (ua === '' || SCANNER_AGENTS.some((s) => ua.includes(s))) return verdict('scanner-agent');
  if (request.sentAt && request.at.getTime() - request.sentAt.getTime() < 1000) return verdict('too-fast');
  return verdict(undefined);
}

// ---------------------------------------------------------------------------------------------
// One-click unsubscribe

/** The fields of a multipart/form-data body, read leniently: boundary from the header or the first line. */
function multipartFields(contentType: string, body: string): [string, string][] {
  const declared = /boundary\s*=\s*(?:"([^"]+)"|([^;\s]+))/i.exec(contentType);
  const boundary = declared?.[1] ?? declared?.[2] ?? /^--([^\r\n]+)/.exec(body.trimStart())?.[1]?.trim();
  if (!boundary) return [];
  const fields: [string, string][] = [];
  for (const part of body.split(`--${boundary}`)) {
    const split = /\r?\n\r?\n/.exec(part);
    if (!split) continue;
    const headers = part.slice(0, split.index);
    const name = /content-disposition\s*:[^\r\n]*?\bname\s*=\s*(?:"([^"]*)"|([^;\s]+))/i.exec(headers);
    if (name) fields.push([name[1] ?? name[2] ?? '', part.slice(split.index + split[0].length)]);
  }
  return fields;
}

/**
 * True for an RFC 8058 one-click unsubscribe POST: an application/x-www-form-urlencoded or
 * multipart/form-data body with the field List-Unsubscribe=One-Click (names and values compared
 * without regard to case or surrounding space). Also true for Herald's own confirmation form
 * (the page a person reaches from the unsubscribe link), which posts `confirm=yes`. Without a
 * content type the body is read as a form, or as multipart when it starts with a boundary line.
 * False for anything else, such as a GET's empty body or a JSON body.
 */
export function isOneClickBody(contentType: string | undefined, body: string): boolean {
  const type = (contentType ?? '').split(';')[0]!.trim().toLowerCase();
  let fields: [string, string][];
  if (type === 'multipart/form-data' || (type === '' && body.trimStart().startsWith('--'))) {
    fields = multipartFields(contentType ?? '', body);
  } else if (type === 'application/x-www-form-urlencoded' || type === '') {
    fields = [...new URLSearchParams(body.trim())];
  } else {
    return false;
  }
  return fields.some(([name, value]) => {
    const n = name.trim().toLowerCase();
    const v = value.trim().toLowerCase();
    return (n === 'list-unsubscribe' && v === 'one-click') || (n === 'confirm' && v === 'yes');
  });
}
