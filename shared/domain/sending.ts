/**
 * A workspace's sending settings: who messages come from, and the limits every campaign obeys
 * (a frequency cap across campaigns, quiet hours in each recipient's time zone). Pure schemas.
 */
import * as z from 'zod';
import { Email } from './contact.ts';

const ClockTime = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be a time of day such as 21:00');

export const SendingSettings = z.strictObject({
  email: z
    .strictObject({
      /** The verified SES identity messages are sent from. */
      from: Email,
      fromName: z
        .string()
        .trim()
        .min(1)
        .max(100)
        .regex(/^[^\r\n"<>,;\\]*$/, 'may not contain line breaks or " < > , ; \\')
        .optional(),
      replyTo: Email.optional(),
      /**
       * An address whose mail SES receives for Herald (its domain's MX points to SES inbound and
       * Herald's receipt rule set is active): List-Unsubscribe then offers it as a mailto: too.
       */
      unsubscribeMailbox: Email.optional(),
    })
    .optional(),
  sms: z
    .strictObject({
      /** The AWS End User Messaging origination identity: a phone number, sender id or pool. */
      originationIdentity: z.string().trim().min(1).max(256),
      /** Messages per second the identity may send (its MPS in End User Messaging); default 10. */
      ratePerSecond: z.number().int().min(1).max(10_000).optional(),
    })
    .optional(),
  /** At most `messages` marketing messages per contact within `withinDays`, across campaigns. */
  frequencyCap: z.strictObject({ messages: z.number().int().min(1).max(100), withinDays: z.number().int().min(1).max(90) }).optional(),
  /** No sending between `start` and `end` in the recipient's time zone (may wrap past midnight). */
  quietHours: z
    .strictObject({ start: ClockTime, end: ClockTime })
    .refine((q) => q.start !== q.end, { message: 'must differ from end', path: ['start'] })
    .optional(),
});
export type SendingSettings = z.infer<typeof SendingSettings>;

/** True when `hhmm` (a recipient's local time of day) falls in the quiet hours. */
export function inQuietHours(quiet: { start: string; end: string } | undefined, hhmm: string): boolean {
  if (!quiet) return false;
  return quiet.start < quiet.end ? hhmm >= quiet.start && hhmm < quiet.end : hhmm >= quiet.start || hhmm < quiet.end;
}
