/**
 * Email delivery over SES v2. The endpoint comes from AWS_ENDPOINT_URL_SESV2 when set (the local
 * SES emulator); the campaign sender builds on this adapter.
 */
import { GetAccountCommand, SESv2Client, SendEmailCommand } from '@aws-sdk/client-sesv2';
import type { OutgoingEmail } from '../domain/message.ts';
import type { EmailPort } from '../runtime/ports.ts';
import { refusalsAsDomainErrors } from './refusals.ts';

export type { OutgoingEmail };

/** A display name as a header needs it: quoted when ASCII, RFC 2047-encoded otherwise. */
export function displayName(name: string): string {
  return /^[\x20-\x7e]*$/.test(name) ? `"${name.replace(/["\\]/g, '')}"` : `=?UTF-8?B?${Buffer.from(name, 'utf8').toString('base64')}?=`;
}

/** SES tag values allow letters, digits, _ - . @ only (and at most 256 characters). */
export const tagValue = (s: string) => s.replace(/[^A-Za-z0-9_.@-]/g, '_').slice(0, 256);

/** How long the account's send rate is trusted before it is read again. */
const RATE_TTL_MS = 5 * 60_000;

/**
 * `configurationSet`: the one every email is sent with unless the email names another. The SDK
 * does not retry (maxAttempts 1): its retry after a lost answer would send the email again.
 * Throttling and faults come back as DeliveryDeferred, and the caller retries knowingly.
 */
export function createSesEmailSender(client = new SESv2Client({ maxAttempts: 1 }), configurationSet?: string): EmailPort {
  let rate: { value: number; readAt: number } | undefined;
  return {
    async maxSendRate() {
      if (!rate || Date.now() - rate.readAt > RATE_TTL_MS) {
        const out = await client.send(new GetAccountCommand({}));
        rate = { value: out.SendQuota?.MaxSendRate ?? 1, readAt: Date.now() };
      }
      return rate.value;
    },
    async send(email: OutgoingEmail): Promise<{ messageId: string }> {
      const out = await refusalsAsDomainErrors(
        client.send(
          new SendEmailCommand({
            FromEmailAddress: email.fromName ? `${displayName(email.fromName)} <${email.from}>` : email.from,
            Destination: { ToAddresses: [email.to] },
            ConfigurationSetName: email.configurationSet ?? configurationSet,
            ...(email.replyTo ? { ReplyToAddresses: [email.replyTo] } : {}),
            ...(email.tags ? { EmailTags: Object.entries(email.tags).map(([Name, Value]) => ({ Name, Value: tagValue(Value) })) } : {}),
            Content: {
              Simple: {
                Subject: { Data: email.subject, Charset: 'UTF-8' },
                Body: { Html: { Data: email.html, Charset: 'UTF-8' }, Text: { Data: email.text, Charset: 'UTF-8' } },
                Headers: Object.entries(email.headers ?? {}).map(([Name, Value]) => ({ Name, Value })),
              },
            },
          }),
        ),
      );
      return { messageId: out.MessageId ?? '' };
    },
  };
}
