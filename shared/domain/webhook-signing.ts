/**
 * Webhook ids, secrets and signatures: HMAC-SHA256 and random bytes from node:crypto, so
 * Node-only. Split from webhook.ts, whose schemas the console imports in the browser.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { derivedId } from './ids.ts';

/** The event id of a fact: `evt_` + 26 base32 characters of SHA-256(workspace, key). */
export const webhookEventId = (tenantId: string, key: string) => derivedId('evt', tenantId, 'webhook', key);

/** A new signing secret: `whsec_` and 32 random bytes, base64url. The whole string is the HMAC key. */
export const newWebhookSecret = () => `whsec_${randomBytes(32).toString('base64url')}`;

/** Hex HMAC-SHA256 of `<timestamp>.<body>` with the secret (as UTF-8) as the key. */
export function signPayload(secret: string, timestamp: number, body: string): string {
  return createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex');
}

/** `t=<unix seconds>,v1=<hex>[,v1=<hex>…]`: one v1 per secret (two during a rotation's overlap). */
export function signatureHeader(secrets: readonly string[], timestamp: number, body: string): string {
  return [`t=${timestamp}`, ...secrets.map((s) => `v1=${signPayload(s, timestamp, body)}`)].join(',');
}

/**
 * For receivers: whether `header` (the Herald-Signature value) signs `body` (the raw request body,
 * exactly as received) with `secret`, at a time within `toleranceSeconds` of `now` (which refuses
 * a replay of an old delivery). Any one matching `v1` suffices; the comparison is constant-time.
 */
export function verifySignature(secret: string, header: string, body: string, now: Date = new Date(), toleranceSeconds = 300): boolean {
  let timestamp: number | undefined;
  const signatures: string[] = [];
  for (const part of header.split(',')) {
    const at = part.indexOf('=');
    const name = part.slice(0, at).trim();
    const value = part.slice(at + 1).trim();
    if (name === 't' && /^\d{1,12}$/.test(value)) timestamp = Number(value);
    else if (name === 'v1' && /^[0-9a-f]{64}$/.test(value)) signatures.push(value);
  }
  if (timestamp === undefined || signatures.length === 0) return false;
  if (Math.abs(Math.floor(now.getTime() / 1000) - timestamp) > toleranceSeconds) return false;
  const expected = Buffer.from(signPayload(secret, timestamp, body), 'hex');
  return signatures.some((s) => timingSafeEqual(Buffer.from(s, 'hex'), expected));
}
