/**
 * Inbound SMS: the message AWS End User Messaging publishes for a reply to one of the account's
 * numbers (two-way SMS, through an SNS topic), and the keywords carriers and regulators expect a
 * sender to honour (STOP and its equivalents opt out, START opts back in).
 */
import * as z from 'zod';

/** The two-way SMS message (End User Messaging's SNS payload, raw). */
export const InboundSms = z.looseObject({
  originationNumber: z.string().min(1).max(32),
  destinationNumber: z.string().min(1).max(256),
  messageBody: z.string().max(2000),
  inboundMessageId: z.string().min(1).max(200),
  messageKeyword: z.string().optional(),
});
export type InboundSms = z.infer<typeof InboundSms>;

const STOP = new Set(['STOP', 'STOPALL', 'UNSUBSCRIBE', 'CANCEL', 'END', 'QUIT', 'OPTOUT', 'OPT-OUT', 'REVOKE', 'STOPP', 'ARRET', 'BAJA']);
const START = new Set(['START', 'UNSTOP', 'SUBSCRIBE', 'YES', 'OPTIN', 'OPT-IN']);
const HELP = new Set(['HELP', 'INFO', 'AIDE', 'AYUDA']);

/** The keyword a reply is, if its first word is one (any case, punctuation around it ignored). */
export function smsKeyword(body: string): 'stop' | 'start' | 'help' | undefined {
  const word =
    body
      .trim()
      .split(/\s+/)[0]
      ?.replace(/^[^\p{L}]+|[^\p{L}-]+$/gu, '')
      .toUpperCase() ?? '';
  if (STOP.has(word)) return 'stop';
  if (START.has(word)) return 'start';
  if (HELP.has(word)) return 'help';
  return undefined;
}
