/**
 * Email delivery over SES v2. The endpoint comes from AWS_ENDPOINT_URL_SESV2 when set (the local
 * SES emulator); the campaign sender builds on this adapter.
 */
import { SESv2Client, SendEmailCommand } from '@aws-sdk/client-sesv2';

export interface OutgoingEmail {
  from: string;
  to: string;
  subject: string;
  html: string;
  text: string;
  configurationSet?: string;
  /** Extra headers such as List-Unsubscribe (RFC 8058). */
  headers?: Record<string, string>;
}

export function createSesEmailSender(client = new SESv2Client({})) {
  return {
    async send(email: OutgoingEmail): Promise<{ messageId: string }> {
      const out = await client.send(
        new SendEmailCommand({
          FromEmailAddress: email.from,
          Destination: { ToAddresses: [email.to] },
          ConfigurationSetName: email.configurationSet,
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
