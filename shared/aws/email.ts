/**
 * Email delivery over SES v2. The endpoint comes from AWS_ENDPOINT_URL_SESV2 when set (the local
 * SES emulator); the campaign sender builds on this adapter.
 */
import { SESv2Client, SendEmailCommand } from '@aws-sdk/client-sesv2';
import type { OutgoingEmail } from '../domain/message.ts';
import type { EmailPort } from '../runtime/ports.ts';

export type { OutgoingEmail };

/** `configurationSet`: the one every email is sent with unless the email names another. */
export function createSesEmailSender(client = new SESv2Client({}), configurationSet?: string): EmailPort {
  return {
    async send(email: OutgoingEmail): Promise<{ messageId: string }> {
      const out = await client.send(
        new SendEmailCommand({
          FromEmailAddress: email.from,
          Destination: { ToAddresses: [email.to] },
          ConfigurationSetName: email.configurationSet ?? configurationSet,
          ...(email.replyTo ? { ReplyToAddresses: [email.replyTo] } : {}),
          Content: {
            Simple: {
              Subject: { Data: email.subject, Charset: 'UTF-8' },
              Body: { Html: { Data: email.html, Charset: 'UTF-8' }, Text: { Data: email.text, Charset: 'UTF-8' } },
              Headers: Object.entries(email.headers ?? {}).map(([Name, Value]) => ({ Name, Value })),
            },
          },
        }),
      );
      return { messageId: out.MessageId ?? '' };
    },
  };
}
