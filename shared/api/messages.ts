/**
 * The queue table: every queue's name and the zod schema of its messages. The wiring gives each
 * queue its consumer and each function the queues it sends to; the QueueName union, the typed
 * `send`, every function's environment (only the URLs it sends to), the CDK queues and the local
 * queues are all derived from these two entries.
 */
import * as z from 'zod';
import { TenantId } from '../domain/tenant.ts';
import { InboundSms } from '../domain/sms-inbound.ts';
import { DueWork } from '../domain/trigger.ts';
import { WebhookDelivery } from '../domain/webhook.ts';

export const ListCleanupMessage = z.object({ tenantId: TenantId, listId: z.string().min(1) });
export type ListCleanupMessage = z.infer<typeof ListCleanupMessage>;

export const SegmentCountMessage = z.object({
  tenantId: TenantId,
  countId: z.string().min(1),
  part: z.number().int().min(0),
  step: z.number().int().min(0),
});
export type SegmentCountMessage = z.infer<typeof SegmentCountMessage>;

export const ValueModelMessage = z.object({ tenantId: TenantId });
export type ValueModelMessage = z.infer<typeof ValueModelMessage>;

/** Evaluate one workspace: every open campaign's report from its counters, then the base. */
export const EvaluationMessage = z.object({ tenantId: TenantId, runId: z.string().min(1).max(64) });

export const CampaignAudienceMessage = z.object({
  tenantId: TenantId,
  campaignId: z.string().min(1),
  /** One range of the contact key space (contact-scan.ts), and where in it to go on. */
  part: z.number().int().min(0),
  cursor: z.string().optional(),
});
export type CampaignAudienceMessage = z.infer<typeof CampaignAudienceMessage>;

/** One recipient to deliver to; everything else is read from its send record. */
export const CampaignSendMessage = z.object({
  tenantId: TenantId,
  campaignId: z.string().min(1),
  contactId: z.string().min(1),
  /** Tries so far after throttling or a fault (the next waits longer). */
  attempt: z.number().int().min(0).optional(),
});
export type CampaignSendMessage = z.infer<typeof CampaignSendMessage>;

export const CampaignControlMessage = z.object({
  tenantId: TenantId,
  campaignId: z.string().min(1),
  /** requeue: hand pending records to the senders again (resume, recovery); cancel: mark them cancelled. */
  action: z.enum(['requeue', 'cancel']),
  /** Requeue only records due now (a repair: the deferred ones have their own delayed messages). */
  onlyDue: z.boolean().optional(),
  shard: z.number().int().min(0),
  cursor: z.string().optional(),
});
export type CampaignControlMessage = z.infer<typeof CampaignControlMessage>;

/** An email SES received for Herald (its SNS notification, raw): an unsubscribe by mailto. */
export const InboundEmailMessage = z.looseObject({
  notificationType: z.string().optional(),
  mail: z.looseObject({
    destination: z.array(z.string()).default([]),
    commonHeaders: z.looseObject({ subject: z.string().max(2000).optional() }).default({}),
  }),
});

/** An End User Messaging SMS event (a delivery receipt), raw from its SNS topic. */
export const SmsEventMessage = z.looseObject({
  eventType: z.string(),
  messageId: z.string().optional(),
  context: z.record(z.string(), z.string()).default({}),
});

export const queueMessages = {
  /** A stage trigger launched or resumed: one part of the contact key space, a page at a time. */
  'trigger-scan': z.object({
    tenantId: TenantId,
    campaignId: z.string().min(1),
    part: z.number().int().min(0),
    cursor: z.string().optional(),
  }),
  /** A trigger's firing, or a lifecycle check, whose time has come. */
  'trigger-due': DueWork,
  /** SMS delivery receipts (End User Messaging configuration set → SNS → this queue). */
  'sms-events': SmsEventMessage,
  /** An email to the unsubscribe mailbox (SES inbound → SNS topic → this queue). */
  'inbound-email': InboundEmailMessage,
  /** A reply to one of the account's SMS numbers (End User Messaging two-way SMS, via its SNS topic). */
  'inbound-sms': InboundSms,
  /** A deleted list's memberships, purged a page at a time. */
  'list-cleanup': ListCleanupMessage,
  /** One step of one part of a segment count job. */
  'segment-count': SegmentCountMessage,
  /** Recompute one workspace's RFM and tier boundaries (a read of its whole base). */
  'value-model': ValueModelMessage,
  /** One evaluation run of one workspace (hourly, or POST /reports/run). */
  evaluation: EvaluationMessage,
  /** One range of a launched campaign's audience: records written, recipients queued. */
  'campaign-audience': CampaignAudienceMessage,
  /** One email recipient of a campaign. */
  'campaign-email': CampaignSendMessage,
  /** One SMS recipient of a campaign. */
  'campaign-sms': CampaignSendMessage,
  /** Requeue or cancel one shard of a campaign's pending records (resume, cancel, recovery). */
  'campaign-control': CampaignControlMessage,
  /** One webhook event to one subscription: an attempt, or a hop of a wait longer than SQS's 15 minutes. */
  'webhook-deliveries': WebhookDelivery,
} as const;

export type QueueName = keyof typeof queueMessages;
export const queueNames = Object.keys(queueMessages) as QueueName[];
export type QueueMessage<Q extends QueueName> = z.input<(typeof queueMessages)[Q]>;

/** The environment variable that holds a queue's URL: list-cleanup → LIST_CLEANUP_QUEUE_URL. */
export const queueUrlEnv = (queue: QueueName) => `${queue.toUpperCase().replaceAll('-', '_')}_QUEUE_URL`;
