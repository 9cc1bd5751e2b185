/**
 * The routes a message's recipient reaches (access 'public': no bearer token; the signed token in
 * the path is the credential). They answer HTML pages, a redirect or an image, not JSON.
 */
import * as z from 'zod';
import type { Operation } from './common.ts';

/** Checked by signature in the handler: anything that is not a genuine token gets the 404 page. */
const TokenPath = z.object({ token: z.string().max(8192) });

export const recipientApi = {
  followLink: {
    summary: 'A tracked link: 302 to its target with UTM parameters (404 page for a token that does not verify)',
    path: TokenPath,
    status: 302,
    produces: 'text/html',
  },
  followLinkHead: {
    summary: 'A link scanner checking a tracked link: the redirect, not counted',
    path: TokenPath,
    status: 302,
    produces: 'text/html',
  },
  followShortLink: {
    summary: 'A short link in an SMS: 302 to its target with UTM parameters (404 page for an unknown code)',
    path: z.object({ code: z.string().max(64) }),
    status: 302,
    produces: 'text/html',
  },
  openPixel: { summary: 'The open pixel (a 1×1 GIF): counts an open', path: TokenPath, produces: 'image/gif' },
  unsubscribeForm: { summary: 'Asks whether to unsubscribe (a GET never unsubscribes)', path: TokenPath, produces: 'text/html' },
  unsubscribe: {
    summary: 'One-click unsubscribe (RFC 8058: List-Unsubscribe=One-Click, form-encoded), or the confirmation button',
    path: TokenPath,
    produces: 'text/html',
  },
  preferencesForm: { summary: 'The preference page: consent per channel, preferred channel', path: TokenPath, produces: 'text/html' },
  savePreferences: { summary: 'Saves the preference page (form-encoded)', path: TokenPath, produces: 'text/html' },
  answerNpsLink: {
    summary: 'An NPS score link: records a person’s answer and asks for a comment (a scanner gets a button instead)',
    path: TokenPath,
    produces: 'text/html',
  },
  answerNps: { summary: 'The NPS button’s answer (score=) or a comment (comment=), form-encoded', path: TokenPath, produces: 'text/html' },
} as const satisfies Record<string, Operation>;
