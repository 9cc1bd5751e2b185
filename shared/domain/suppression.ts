/**
 * The workspace suppression list: addresses never to message on a channel, whoever they belong
 * to (a hard bounce, a complaint, a request by phone, a legal hold). Consulted at send time; the
 * contact holding the address is also marked, so audiences leave it out.
 */
import * as z from 'zod';
import { Channel, Email, Phone } from './contact.ts';

export const SuppressionReason = z.enum(['hard_bounce', 'complaint', 'manual', 'legal']);
export type SuppressionReason = z.infer<typeof SuppressionReason>;

export const Suppression = z.object({
  channel: Channel,
  /** Lower-cased email, or E.164 phone number. */
  address: z.string(),
  reason: SuppressionReason,
  /** Who or what suppressed it: `ses:<campaignId>`, `api`, a person. */
  source: z.string().max(200),
  at: z.iso.datetime(),
});
export type Suppression = z.infer<typeof Suppression>;

export const AddSuppression = z
  .strictObject({
    channel: Channel,
    address: z.string().min(1).max(254),
    reason: SuppressionReason.default('manual'),
    source: z.string().trim().min(1).max(200).optional(),
  })
  .transform((s, ctx) => {
    const parsed = (s.channel === 'email' ? Email : Phone).safeParse(s.address);
    if (!parsed.success) {
      ctx.addIssue({ code: 'custom', message: parsed.error.issues[0]?.message ?? 'invalid', path: ['address'] });
      return z.NEVER;
    }
    return { ...s, address: parsed.data };
  });
export type AddSuppression = z.input<typeof AddSuppression>;

/** An address in the form the list keys it by (the contact identity's form), or undefined if it is not one. */
export function normaliseAddress(channel: Channel, address: string): string | undefined {
  const parsed = (channel === 'email' ? Email : Phone).safeParse(address);
  return parsed.success ? parsed.data : undefined;
}
