/**
 * Rendering email and SMS templates with LiquidJS. Pure and browser-safe: the syntax check run
 * at save, the variables a template sees, rendering with a small cache of parsed templates,
 * HTML-to-text, and SMS encoding and segment counting.
 */
import { type Context, type Emitter, Liquid, type Template as LiquidTemplate, type TagToken } from 'liquidjs';
import type { Contact } from './contact.ts';
import { type FieldIssue, ValidationFailed } from './errors.ts';
import type { EmailContent, SmsContent, Template } from './template.ts';
import type { ContactValue } from './value.ts';

// ---------------------------------------------------------------------------------------------
// Liquid engines

/** The recipient's own links; `nps`: the 11 score links of an NPS survey (`{{ links.nps[9] }}`). */
type Links = { unsubscribe: string; preferences: string; nps?: string[] };

const escapeHtml = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string);

/**
 * One engine per output kind: the escaping is compiled into each parsed output, so the HTML part
 * is parsed by an engine that escapes variables and everything else by one that does not.
 * Partials (include, render, layout) are removed: a template is one self-contained string, and
 * nothing may be read from a file system.
 */
function engine(html: boolean): Liquid {
  const liquid = new Liquid({
    strictFilters: true,
    strictVariables: false,
    ownPropertyOnly: true,
    templates: {},
    parseLimit: 1_000_000,
    // Bounds on one render (ms) and on what ranges and filters may allocate, against runaway loops.
    renderLimit: 1_000,
    memoryLimit: 10_000_000,
    ...(html ? { outputEscape: 'escape' as const } : {}),
  });
  for (const tag of ['include', 'render', 'layout']) delete liquid.tags[tag];
  const linkTag = (key: 'unsubscribe' | 'preferences') => ({
    parse(token: TagToken) {
      if (token.args.trim() !== '') throw new Error(`tag "${token.name}" takes no arguments`);
    },
    render(ctx: Context, emitter: Emitter) {
      const url = ctx.getSync(['links', key]);
      const s = typeof url === 'string' ? url : '';
      emitter.write(html ? escapeHtml(s) : s);
    },
  });
  liquid.registerTag('unsubscribe_url', linkTag('unsubscribe'));
  liquid.registerTag('preferences_url', linkTag('preferences'));
  return liquid;
}
const plain = engine(false);
const escaping = engine(true);

const POSITION_SUFFIX = /,\s*line:\d+,\s*col:\d+\s*$/;

/** `line 3: tag "iff" not found` from a LiquidJS error. */
function describeLiquidError(err: unknown): string {
  if (!(err instanceof Error)) return String(err);
  const token = (err as { token?: { getPosition?: () => [number, number] } }).token;
  const line = token?.getPosition?.()[0] ?? Number(/line:(\d+)/.exec(err.message)?.[1] ?? Number.NaN);
  const message = err.message.replace(POSITION_SUFFIX, '');
  return Number.isFinite(line) ? `line ${line}: ${message}` : message;
}

type Field = { name: string; source: string; liquid: Liquid };

function fieldsOf(content: { channel: 'email' | 'sms'; email?: EmailContent | undefined; sms?: SmsContent | undefined }): Field[] {
  if (content.channel === 'sms') return content.sms ? [{ name: 'sms.body', source: content.sms.body, liquid: plain }] : [];
  const e = content.email;
  if (!e) return [];
  return [
    { name: 'email.subject', source: e.subject, liquid: plain },
    ...(e.preheader !== undefined ? [{ name: 'email.preheader', source: e.preheader, liquid: plain }] : []),
    { name: 'email.html', source: e.html, liquid: escaping },
    ...(e.text !== undefined ? [{ name: 'email.text', source: e.text, liquid: plain }] : []),
  ];
}

/**
 * The Liquid syntax check of every field of a template's content, run at save: one issue per
 * field that does not parse, named by its path and carrying the line, such as
 * `{ field: 'body.email.html', message: 'line 3: tag "iff" not found' }`. Unknown tags and
 * filters are errors. Content missing for the channel is CreateTemplate's concern, not this one's.
 */
export function checkTemplate(
  content: { channel: 'email' | 'sms'; email?: EmailContent | undefined; sms?: SmsContent | undefined },
  pathPrefix = 'body',
): FieldIssue[] {
  const issues: FieldIssue[] = [];
  for (const f of fieldsOf(content)) {
    try {
      f.liquid.parse(f.source);
    } catch (err) {
      issues.push({ field: pathPrefix ? `${pathPrefix}.${f.name}` : f.name, message: describeLiquidError(err) });
    }
  }
  return issues;
}

// ---------------------------------------------------------------------------------------------
// What a template sees

/** The variables a template sees. */
export interface RenderData {
  contact: {
    contactId: string;
    email?: string;
    phone?: string;
    externalId?: string;
    firstName?: string;
    lastName?: string;
    timezone?: string;
    locale?: string;
    preferredChannel?: 'email' | 'sms';
    attributes: Record<string, string | number | boolean | null>;
    /** The consent status per channel: `{{ contact.consent.email }}` is `subscribed`. */
    consent: { email: string; sms: string };
    createdAt: string;
  };
  /** Aggregates, RFM scores, tier and lifecycle stage (value.ts); absent when not computed. */
  value?: ContactValue;
  /** Workspace settings, such as `{{ workspace.name }}`. */
  workspace: { name?: string; [key: string]: unknown };
  /** Also written by `{% unsubscribe_url %}` and `{% preferences_url %}`. */
  links: Links;
  /** A triggered message's data: `{{ trigger.recommendations[0].item }}`, `{{ trigger.event.orderId }}`. */
  trigger?: Record<string, unknown>;
}

export function renderData(
  contact: Contact,
  value: ContactValue | undefined,
  workspace: Record<string, unknown>,
  links: Links,
  trigger?: Record<string, unknown>,
): RenderData {
  const c: RenderData['contact'] = {
    contactId: contact.contactId,
    attributes: { ...contact.attributes },
    consent: { email: contact.consent.email.status, sms: contact.consent.sms.status },
    createdAt: contact.createdAt,
  };
  for (const field of ['email', 'phone', 'externalId', 'firstName', 'lastName', 'timezone', 'locale'] as const) {
    const v = contact[field];
    if (v !== undefined) c[field] = v;
  }
  if (contact.preferredChannel !== undefined) c.preferredChannel = contact.preferredChannel;
  return {
    contact: c,
    ...(value !== undefined ? { value } : {}),
    workspace: { ...workspace },
    links: { unsubscribe: links.unsubscribe, preferences: links.preferences, ...(links.nps ? { nps: [...links.nps] } : {}) },
    ...(trigger !== undefined ? { trigger: { ...trigger } } : {}),
  };
}

// ---------------------------------------------------------------------------------------------
// Rendering

export type Rendered =
  | { channel: 'email'; subject: string; preheader?: string; html: string; text: string }
  | { channel: 'sms'; body: string; encoding: 'GSM-7' | 'UCS-2'; segments: number; characters: number };

type Parsed =
  | { channel: 'email'; subject: LiquidTemplate[]; preheader?: LiquidTemplate[]; html: LiquidTemplate[]; text?: LiquidTemplate[] }
  | { channel: 'sms'; body: LiquidTemplate[] };

const CACHE_SIZE = 500;
/** Least recently used first: a Map iterates in insertion order, and a hit is re-inserted. */
const cache = new Map<string, Parsed>();
let parses = 0;

/** How many templates have been parsed (cache misses) and how many are cached now. */
export function templateCacheStats(): { parses: number; size: number } {
  return { parses, size: cache.size };
}

type Renderable = Pick<Template, 'templateId' | 'version' | 'channel' | 'email' | 'sms'> & { updatedAt?: string };

function parsed(template: Renderable): Parsed {
  // updatedAt too: a template deleted and made again under the same id starts at version 1 again.
  const key = `${template.version}:${template.updatedAt ?? ''}:${template.templateId}`;
  const hit = cache.get(key);
  if (hit) {
    cache.delete(key);
    cache.set(key, hit);
    return hit;
  }
  let entry: Parsed;
  if (template.channel === 'sms') {
    if (!template.sms) throw new Error(`template ${template.templateId} has no sms content`);
    entry = { channel: 'sms', body: plain.parse(template.sms.body) };
  } else {
    const e = template.email;
    if (!e) throw new Error(`template ${template.templateId} has no email content`);
    entry = {
      channel: 'email',
      subject: plain.parse(e.subject),
      html: escaping.parse(e.html),
      ...(e.preheader !== undefined ? { preheader: plain.parse(e.preheader) } : {}),
      ...(e.text !== undefined ? { text: plain.parse(e.text) } : {}),
    };
  }
  parses++;
  cache.set(key, entry);
  if (cache.size > CACHE_SIZE) cache.delete(cache.keys().next().value as string);
  return entry;
}

/** A header line: line breaks would make an invalid subject, so they become spaces. */
const oneLine = (s: string) => s.replace(/\s*[\r\n]+\s*/g, ' ').trim();

/**
 * Renders a template for one contact. The parsed form is cached by (templateId, version), so a
 * campaign parses each template once. Variables are HTML-escaped in the HTML part only (`| raw`
 * opts out); missing variables render empty, and `| default: "there"` supplies a fallback.
 */
export async function renderTemplate(template: Renderable, data: RenderData): Promise<Rendered> {
  const p = parsed(template);
  if (p.channel === 'sms') {
    const body = fitting(await renderField('sms.body', () => plain.render(p.body, data)), 'sms.body', RENDERED_LIMITS.sms);
    return { channel: 'sms', body, ...smsEncoding(body) };
  }
  const [subject, preheader, html, text] = await Promise.all([
    renderField('email.subject', () => plain.render(p.subject, data)),
    p.preheader ? renderField('email.preheader', () => plain.render(p.preheader as LiquidTemplate[], data)) : undefined,
    renderField('email.html', () => escaping.render(p.html, data)),
    p.text ? renderField('email.text', () => plain.render(p.text as LiquidTemplate[], data)) : undefined,
  ]);
  fitting(html, 'email.html', RENDERED_LIMITS.html);
  return {
    channel: 'email',
    subject: fitting(oneLine(subject), 'email.subject', RENDERED_LIMITS.subject),
    ...(preheader !== undefined ? { preheader: fitting(oneLine(preheader), 'email.preheader', RENDERED_LIMITS.preheader) } : {}),
    html,
    text: fitting(text ?? htmlToText(html), 'email.text', RENDERED_LIMITS.html),
  };
}

/** The most a rendered field may hold: what SES and End User Messaging accept, with room for headers. */
export const RENDERED_LIMITS = { subject: 998, preheader: 500, html: 1_000_000, sms: 1600 } as const;

/**
 * A template can parse and still fail for one contact (a filter given a value it cannot take, a
 * loop past the render limits): that is the template's fault, so a 400 naming the field, never a 500.
 */
async function renderField(field: string, render: () => Promise<unknown>): Promise<string> {
  try {
    return String(await render());
  } catch (error) {
    throw new ValidationFailed([
      { field: `template.${field}`, message: `cannot be rendered for this contact: ${describeLiquidError(error)}` },
    ]);
  }
}

function fitting(value: string, field: string, limit: number): string {
  if (value.length > limit) {
    throw new ValidationFailed([
      { field: `template.${field}`, message: `renders to ${value.length} characters for this contact; at most ${limit}` },
    ]);
  }
  return value;
}

// ---------------------------------------------------------------------------------------------
// HTML to text

const ENTITIES: Record<string, string> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
  nbsp: ' ',
  copy: '©',
  reg: '®',
  trade: '™',
  euro: '€',
  hellip: '…',
  mdash: '—',
  ndash: '–',
  lsquo: '‘',
  rsquo: '’',
  ldquo: '“',
  rdquo: '”',
};

/** Decodes the common named entities and every numeric one, in one pass (`&amp;lt;` is `&lt;`). */
function decodeEntities(s: string): string {
  return s.replace(/&(#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[a-zA-Z]+);/g, (whole, name: string) => {
    if (name.startsWith('#')) {
      const cp = name[1] === 'x' || name[1] === 'X' ? Number.parseInt(name.slice(2), 16) : Number.parseInt(name.slice(1), 10);
      if (cp === 0xa0) return ' ';
      const valid = cp > 0 && cp <= 0x10ffff && !(cp >= 0xd800 && cp <= 0xdfff);
      return valid ? String.fromCodePoint(cp) : whole;
    }
    return ENTITIES[name] ?? whole;
  });
}

const PARAGRAPH = new Set(['p', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'table', 'ul', 'ol', 'blockquote', 'pre', 'hr']);
const LINE = new Set([
  'div',
  'li',
  'tr',
  'section',
  'article',
  'header',
  'footer',
  'nav',
  'aside',
  'main',
  'address',
  'dl',
  'dt',
  'dd',
  'figure',
  'figcaption',
  'tbody',
  'thead',
  'tfoot',
]);
const CELL = new Set(['td', 'th']);
/** Elements whose content is not text: dropped up to their closing tag (or to the end). */
const DROPPED = new Set(['head', 'style', 'script', 'title', 'template', 'noscript']);

/**
 * A comment, a tag with its attributes, a declaration, text, or a lone `<`. No alternative
 * scans past the next `<` (bar a comment, which then runs to the end), so tokenising is linear.
 */
const TOKEN = /<!--[\s\S]*?(?:-->|$)|<(\/?)([a-zA-Z][a-zA-Z0-9]*)((?:[^<>"']|"[^"<]*"|'[^'<]*')*)>|<[!?][^<>]*>|[^<]+|</g;
const HREF = /\bhref\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+))/i;

/**
 * Plain text from HTML, for the text part of an email: no head, style or script; block elements
 * become line breaks (paragraphs and headings a blank line); a link becomes `text (url)`; the
 * common entities are decoded and whitespace collapsed.
 */
export function htmlToText(html: string): string {
  const lower = html.toLowerCase();
  const out: string[] = [];
  const links: { href: string | undefined; start: number }[] = [];
  // The break asked for by the block elements met since the last text (1: a line, 2: a blank line), and <br>s.
  let level = 0;
  let brs = 0;
  const write = (s: string) => {
    if (level > 0 || brs > 0) {
      if (s.trim() === '') return;
      out.push('\n'.repeat(Math.max(level, brs)));
      level = 0;
      brs = 0;
    }
    out.push(s);
  };
  const token = new RegExp(TOKEN.source, 'g');
  for (let m = token.exec(html); m !== null; m = token.exec(html)) {
    const [whole, closing, rawName, attrs] = m;
    if (rawName === undefined) {
      if (whole === '<' || !whole.startsWith('<')) write(decodeEntities(whole).replace(/\s+/g, ' '));
      continue;
    }
    const name = rawName.toLowerCase();
    if (DROPPED.has(name)) {
      if (closing) continue;
      const end = lower.indexOf(`</${name}`, token.lastIndex);
      const close = end < 0 ? -1 : html.indexOf('>', end);
      token.lastIndex = close < 0 ? html.length : close + 1;
    } else if (name === 'a') {
      if (!closing) {
        const h = HREF.exec(attrs ?? '');
        const href = h ? decodeEntities((h[1] ?? h[2] ?? h[3] ?? '').trim()) : undefined;
        links.push({ href, start: out.length });
      } else {
        const link = links.pop();
        const href = link?.href;
        if (link && href && !href.startsWith('#')) {
          const text = out.slice(link.start).join('').replace(/\s+/g, ' ').trim();
          const bare = href.replace(/^mailto:/i, '');
          if (text === '') write(href);
          else if (text !== href && text !== bare) write(` (${href})`);
        }
      }
    } else if (name === 'br') brs++;
    else if (PARAGRAPH.has(name)) level = 2;
    else if (LINE.has(name)) level = Math.max(level, 1);
    else if (CELL.has(name) && closing) write(' ');
  }
  return out
    .join('')
    .split('\n')
    .map((line) => line.replace(/[ \t\f\v]+/g, ' ').trim())
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

// ---------------------------------------------------------------------------------------------
// SMS encoding

/** GSM 03.38 basic character set (without the escape code), one septet each. */
const GSM_BASIC = new Set(
  '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà',
);
/** The extension table: an escape code and the character, two septets each. */
const GSM_EXTENDED = new Set('\f^{}\\[~]|€');

const SEGMENT_RULES = {
  'GSM-7': { single: 160, part: 153 },
  'UCS-2': { single: 70, part: 67 },
} as const;

/**
 * How an SMS body is sent: GSM-7 when every character is in the GSM alphabet (extension
 * characters count 2), otherwise UCS-2 (UTF-16 code units). One part holds 160 (GSM-7) or 70
 * (UCS-2); a longer message is split into parts of 153 or 67, and a part never splits an
 * extension character's escape pair or a surrogate pair, so such a character at a boundary
 * moves to the next part (as operators count them).
 */
export function smsEncoding(body: string): { encoding: 'GSM-7' | 'UCS-2'; characters: number; segments: number } {
  const units: number[] = [];
  let gsm = true;
  for (const ch of body) {
    if (GSM_BASIC.has(ch)) units.push(1);
    else if (GSM_EXTENDED.has(ch)) units.push(2);
    else {
      gsm = false;
      break;
    }
  }
  const encoding = gsm ? 'GSM-7' : 'UCS-2';
  const sizes = gsm ? units : Array.from(body, (ch) => ch.length);
  const characters = sizes.reduce((s, n) => s + n, 0);
  const rule = SEGMENT_RULES[encoding];
  if (characters === 0) return { encoding, characters, segments: 0 };
  if (characters <= rule.single) return { encoding, characters, segments: 1 };
  let segments = 1;
  let used = 0;
  for (const n of sizes) {
    if (used + n > rule.part) {
      segments++;
      used = 0;
    }
    used += n;
  }
  return { encoding, characters, segments };
}
