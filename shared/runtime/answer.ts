/** Turns a recipient-side answer (a page, a redirect, the pixel) into an HTTP response. */
import type { Answer } from '../services/recipients.ts';
import { RawResponse } from './http-handler.ts';

/** The smallest transparent GIF: 1×1, 43 bytes. */
const PIXEL = Buffer.from('R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7', 'base64');

/** Nothing a recipient sees is cached: each request is counted, and pages show the current state. */
const NO_STORE = { 'cache-control': 'no-store, max-age=0', 'referrer-policy': 'no-referrer' };

export function answer(a: Answer): RawResponse {
  if ('redirect' in a) return new RawResponse(302, { ...NO_STORE, location: a.redirect, 'content-type': 'text/html; charset=utf-8' }, '');
  if ('pixel' in a) return new RawResponse(200, { ...NO_STORE, 'content-type': 'image/gif' }, new Uint8Array(PIXEL));
  return new RawResponse(a.status, { ...NO_STORE, 'content-type': 'text/html; charset=utf-8', 'x-frame-options': 'DENY' }, a.html);
}
