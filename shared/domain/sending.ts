/**
 * A workspace's sending settings: who messages come from, the limits every campaign obeys
 * (a frequency cap across campaigns, quiet hours in each recipient's time zone), and the topics
 * contacts consent to and campaigns name. Pure schemas.
 */
import * as z from 'zod';
import { Email, MAX_TOPICS, TopicName, utf8Length } from './contact.ts';

const ClockTime = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be a time of day such as 21:00');

const DisplayName = z.string().trim().min(1).max(100);
const Description = z.string().trim().max(300);
/** The JSON size all topics may take: the settings item is read by every sender batch. */
export const TOPICS_MAX_JSON_BYTES = 65_536;

/**
 * A topic contacts consent to on its own (a newsletter, offers), as SES contact-list topics:
 * `defaultStatus` is what a contact that never chose gets (`subscribed`: an opt-out topic;
 * `unsubscribed`: opt-in). `labels` translate the name and description for the preference page,
 * by language code (`de`, `fr`).
 */
export const Topic = z.strictObject({
  name: TopicName,
  displayName: DisplayName,
  description: Description.optional(),
  defaultStatus: z.enum(['subscribed', 'unsubscribed']),
  labels: z
    .record(
      z.string().regex(/^[a-z]{2,3}$/, 'must be a language code of 2-3 lower-case letters such as de'),
      z.strictObject({ displayName: DisplayName, description: Description.optional() }),
    )
    .refine((l) => Object.keys(l).length <= 20, 'at most 20 languages')
    .optional(),
});
export type Topic = z.infer<typeof Topic>;

const Topics = z
  .array(Topic)
  .max(MAX_TOPICS)
  .superRefine((topics, ctx) => {
    const seen = new Set<string>();
    topics.forEach((t, i) => {
      if (seen.has(t.name))
        ctx.addIssue({ code: 'custom', message: `topic names must differ (${t.name} is there twice)`, path: [i, 'name'] });
      seen.add(t.name);
    });
    if (utf8Length(JSON.stringify(topics)) > TOPICS_MAX_JSON_BYTES)
      ctx.addIssue({ code: 'custom', message: `topics may take at most ${TOPICS_MAX_JSON_BYTES} bytes as JSON` });
  });

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
  /** At most 20 topics (newsletter, offers) with distinct names; a campaign may name one. */
  topics: Topics.optional(),
});
export type SendingSettings = z.infer<typeof SendingSettings>;

/**
 * The topic a campaign names, with its default. A topic deleted from the settings after the
 * campaign was launched counts as opt-in: only contacts who explicitly subscribed to it get the
 * message (nobody is sent mail for a topic the workspace no longer offers unless they asked).
 */
export function campaignTopic(
  name: string | undefined,
  topics: Topic[] | undefined,
): { name: string; defaultStatus: Topic['defaultStatus'] } | undefined {
  if (name === undefined) return undefined;
  return { name, defaultStatus: topics?.find((t) => t.name === name)?.defaultStatus ?? 'unsubscribed' };
}

/** True when `hhmm` (a recipient's local time of day) falls in the quiet hours. */
export function inQuietHours(quiet: { start: string; end: string } | undefined, hhmm: string): boolean {
  if (!quiet) return false;
  return quiet.start < quiet.end ? hhmm >= quiet.start && hhmm < quiet.end : hhmm >= quiet.start || hhmm < quiet.end;
}
