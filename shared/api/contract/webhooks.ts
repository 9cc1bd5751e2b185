/** Outbound webhooks: subscriptions, their secret, a test delivery, and the dead-letter list. */
import * as z from 'zod';
import {
  CreateWebhook,
  UpdateWebhook,
  WebhookDeadLetter,
  WebhookTestResult,
  WebhookView,
  WebhookWithSecret,
} from '../../domain/webhook.ts';
import { Cursor, Id, IdempotencyHeaders, Limit, type Operation, PageOf } from './common.ts';

const WebhookPath = z.object({ webhookId: Id });
const DeadLetterPath = z.object({ webhookId: Id, eventId: Id });

export const webhookApi = {
  createWebhook: {
    summary:
      'Subscribe an https:// endpoint to event types (or "*"); the answer carries the signing secret, shown again only on rotation (idempotent with an Idempotency-Key header)',
    headers: IdempotencyHeaders,
    body: CreateWebhook,
    response: WebhookWithSecret,
    status: 201,
    conflict: 'The workspace has the most webhooks it may have',
  },
  listWebhooks: {
    summary: "The workspace's webhooks, oldest first (secrets masked)",
    query: z.object({ limit: Limit, cursor: Cursor }),
    response: PageOf(WebhookView),
  },
  getWebhook: { summary: 'A webhook (secret masked)', path: WebhookPath, response: WebhookView },
  updateWebhook: {
    summary: 'Change the URL, event types, description or enabled flag',
    path: WebhookPath,
    body: UpdateWebhook,
    response: WebhookView,
    conflict: 'The webhook was changed or deleted meanwhile (retry)',
  },
  deleteWebhook: { summary: 'Delete a webhook and its dead letters; queued deliveries are dropped', path: WebhookPath, status: 204 },
  rotateWebhookSecret: {
    summary: 'A new signing secret; the old one also signs deliveries for keepPreviousSeconds (default a day, 0 revokes it now)',
    path: WebhookPath,
    query: z.object({ keepPreviousSeconds: z.coerce.number().int().min(0).max(604_800).default(86_400) }),
    response: WebhookWithSecret,
    conflict: 'The webhook was changed or deleted meanwhile (retry)',
  },
  testWebhook: {
    summary:
      "Send a signed webhook.test event now: the receiver's status and latency, or the error (a receiver's failure is not an error here)",
    path: WebhookPath,
    response: WebhookTestResult,
  },
  listWebhookDeadLetters: {
    summary: 'Deliveries that failed every attempt (or found the webhook disabled), in event id order',
    path: WebhookPath,
    query: z.object({ limit: Limit, cursor: Cursor }),
    response: PageOf(WebhookDeadLetter),
  },
  redriveWebhookDeadLetter: {
    summary: 'Send a dead letter again (same event id, the whole retry schedule again) and take it off the list',
    path: DeadLetterPath,
    response: z.object({ eventId: z.string(), queued: z.literal(true) }),
    status: 202,
    conflict: 'The webhook is disabled',
  },
  deleteWebhookDeadLetter: { summary: 'Drop a dead letter', path: DeadLetterPath, status: 204 },
} as const satisfies Record<string, Operation>;
