/**
 * SMS delivery receipts: the events of End User Messaging's configuration set (through SNS onto
 * the sms-events queue). The message's context (set by the sender: workspace, send) names the
 * send record; a delivery is noted once as delivered, a final failure (blocked, invalid,
 * unreachable, expired, spam) once as bounced with the event type. Anything else is ignored.
 */
import * as z from 'zod';
import { counter, parseSendId } from '../domain/campaign.ts';
import { TenantId } from '../domain/tenant.ts';
import { SMS_FAILED_EVENTS } from '../domain/message.ts';
import { messageEventData } from '../domain/webhook.ts';
import type { Deps } from '../runtime/ports.ts';
import { publishWebhookEvent } from './webhooks.ts';

export const SmsEvent = z.looseObject({
  eventType: z.string(),
  messageId: z.string().optional(),
  eventTimestamp: z.union([z.number(), z.string()]).optional(),
  context: z.record(z.string(), z.string()).default({}),
});
export type SmsEvent = z.infer<typeof SmsEvent>;

const FAILED: ReadonlySet<string> = new Set(SMS_FAILED_EVENTS);

export async function recordSmsEvent(
  deps: Pick<Deps, 'sends' | 'campaigns' | 'now'> & Pick<Deps, 'webhooks' | 'queue'>,
  event: SmsEvent,
): Promise<'recorded' | 'repeat' | 'ignored'> {
  const kind = event.eventType === 'TEXT_DELIVERED' ? 'delivered' : FAILED.has(event.eventType) ? 'bounced' : undefined;
  const tenant = TenantId.safeParse(event.context.workspace);
  const send = parseSendId(event.context.send ?? '');
  if (!kind || !tenant.success || !send) return 'ignored';
  const record = await deps.sends.markFeedback(
    tenant.data,
    send.campaignId,
    send.contactId,
    kind === 'delivered' ? 'deliveredAt' : 'bouncedAt',
    deps.now().toISOString(),
    kind === 'bounced' ? { bounceType: event.eventType } : {},
  );
  if (!record) return 'repeat';
  await deps.campaigns.addCounts(tenant.data, send.campaignId, { [counter.feedback(kind, record.variant ?? '')]: 1 });
  const extra = { channel: 'sms' as const, messageId: event.messageId, bounceType: kind === 'bounced' ? event.eventType : undefined };
  await publishWebhookEvent(deps, tenant.data, `message.${kind}`, messageEventData(record, extra), `${record.sendId}:${kind}`);
  return 'recorded';
}
