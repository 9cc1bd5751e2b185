/**
 * What SES reports after a campaign email was accepted (through the configuration set's event
 * destination, on EventBridge): delivery, bounce and complaint reach the send record (once:
 * a repeated or out-of-order event changes nothing) and the campaign's counters. The message tags
 * the sender put on every email (workspace, send) name the record. Suppression and consent
 * changes follow from these events with the recipient side (issue 7).
 */
import * as z from 'zod';
import { addTo, counter, type CounterDelta, type FeedbackKind, parseSendId } from '../domain/campaign.ts';
import { TenantId } from '../domain/tenant.ts';
import { normaliseAddress } from '../domain/suppression.ts';
import { messageEventData, type WebhookFact } from '../domain/webhook.ts';
import type { Deps } from '../runtime/ports.ts';
import { addSuppression } from './suppressions.ts';
import { publishWebhookEvents } from './webhooks.ts';

/** The part of an SES event detail this reads; the rest is kept as is. */
export const SesEventDetail = z.looseObject({
  eventType: z.string(),
  mail: z.looseObject({
    messageId: z.string(),
    timestamp: z.string().optional(),
    tags: z.record(z.string(), z.array(z.string())).default({}),
  }),
  bounce: z
    .looseObject({
      bounceType: z.string(),
      timestamp: z.string().optional(),
      bouncedRecipients: z.array(z.looseObject({ emailAddress: z.string() })).default([]),
    })
    .optional(),
  complaint: z
    .looseObject({
      timestamp: z.string().optional(),
      complainedRecipients: z.array(z.looseObject({ emailAddress: z.string() })).default([]),
    })
    .optional(),
  delivery: z.looseObject({ timestamp: z.string().optional() }).optional(),
});
export type SesEventDetail = z.infer<typeof SesEventDetail>;

const IsoTime = z.iso.datetime({ offset: true });

const FIELD: Record<FeedbackKind, 'deliveredAt' | 'bouncedAt' | 'complainedAt'> = {
  delivered: 'deliveredAt',
  bounced: 'bouncedAt',
  complained: 'complainedAt',
};

/** Records one SES event; `ignored` for event types it does not count and for mail no campaign sent. */
export async function recordSesEvent(
  deps: Pick<Deps, 'sends' | 'campaigns' | 'suppressions' | 'contacts' | 'now'> & Pick<Deps, 'webhooks' | 'queue'>,
  detail: SesEventDetail,
): Promise<'recorded' | 'repeat' | 'ignored'> {
  // A transient (soft) bounce is SES still trying: only a permanent or undetermined one counts as bounced.
  const kind: FeedbackKind | undefined =
    detail.eventType === 'Delivery'
      ? 'delivered'
      : detail.eventType === 'Bounce' && detail.bounce?.bounceType !== 'Transient'
        ? 'bounced'
        : detail.eventType === 'Complaint'
          ? 'complained'
          : undefined;
  const tenant = TenantId.safeParse(detail.mail.tags.workspace?.[0]);
  const send = parseSendId(detail.mail.tags.send?.[0] ?? '');
  if (!kind || !tenant.success || !send) return 'ignored';
  // The event's own time when it is a proper ISO date-time (normalised to UTC), else now: nothing odd is stored.
  const reported = detail[kind === 'delivered' ? 'delivery' : kind === 'bounced' ? 'bounce' : 'complaint']?.timestamp;
  const at = IsoTime.safeParse(reported).success ? new Date(reported as string).toISOString() : deps.now().toISOString();
  const record = await deps.sends.markFeedback(tenant.data, send.campaignId, send.contactId, FIELD[kind], at, {
    ...(detail.bounce ? { bounceType: detail.bounce.bounceType } : {}),
  });
  if (!record) return 'repeat';
  // A hard (permanent) bounce or a complaint, seen the first time for a known send: the address is
  // never emailed again by this workspace. A repeat does not add it back after someone removed it.
  const suppress =
    kind === 'bounced' && detail.bounce?.bounceType === 'Permanent'
      ? { reason: 'hard_bounce' as const, addresses: detail.bounce?.bouncedRecipients ?? [] }
      : kind === 'complained'
        ? { reason: 'complaint' as const, addresses: detail.complaint?.complainedRecipients ?? [] }
        : undefined;
  for (const { emailAddress } of suppress?.addresses ?? []) {
    if (!normaliseAddress('email', emailAddress)) continue;
    await addSuppression(
      deps,
      { tenantId: tenant.data },
      { channel: 'email', address: emailAddress, reason: suppress?.reason, source: `ses:${send.campaignId}` },
    );
  }
  const delta: CounterDelta = { [counter.feedback(kind, record.variant ?? '')]: 1 };
  const messageId = detail.mail.messageId;
  const bounceType = kind === 'bounced' ? detail.bounce?.bounceType : undefined;
  const facts: WebhookFact[] = [
    { type: `message.${kind}`, key: `${record.sendId}:${kind}`, data: messageEventData(record, { messageId, bounceType }), occurredAt: at },
  ];
  // SES took it after all: an `unknown` (a lost answer) becomes `sent`.
  if (
    record.status === 'unknown' &&
    (await deps.sends.transition(tenant.data, send.campaignId, send.contactId, ['unknown'], {
      status: 'sent',
      messageId: detail.mail.messageId,
      updatedAt: deps.now().toISOString(),
    }))
  ) {
    addTo(delta, counter.sent(record.variant ?? ''));
    addTo(delta, counter.unknown(record.variant ?? ''), -1);
    facts.unshift({ type: 'message.sent', key: `${record.sendId}:sent`, data: messageEventData(record, { messageId }) });
  }
  await deps.campaigns.addCounts(tenant.data, send.campaignId, delta);
  await publishWebhookEvents(deps, tenant.data, facts);
  return 'recorded';
}
