/** Everything Herald holds about one contact (GDPR art. 15 / 20): profile, consent, lists, events, aggregates. */
import * as z from 'zod';
import { ConsentEvent, Contact } from './contact.ts';
import { StoredEvent } from './event.ts';
import { Aggregates } from './value.ts';

export const ContactExport = z.object({
  contact: Contact,
  consentHistory: z.array(ConsentEvent),
  lists: z.array(z.string()),
  /** Every purchase, refund and custom event stored for the contact. */
  events: z.array(StoredEvent),
  /** What Herald derived from those events. */
  aggregates: Aggregates.optional(),
  /** The campaign messages sent to the contact and what happened to each (sent, delivered, opened, clicked, unsubscribed). */
  messages: z.array(
    z.object({
      campaignId: z.string(),
      channel: z.enum(['email', 'sms']).optional(),
      variant: z.string().optional(),
      status: z.string(),
      sentAt: z.iso.datetime().optional(),
      deliveredAt: z.iso.datetime().optional(),
      bouncedAt: z.iso.datetime().optional(),
      complainedAt: z.iso.datetime().optional(),
      openedAt: z.iso.datetime().optional(),
      clickedAt: z.iso.datetime().optional(),
      unsubscribedAt: z.iso.datetime().optional(),
    }),
  ),
  exportedAt: z.iso.datetime(),
});
export type ContactExport = z.infer<typeof ContactExport>;
