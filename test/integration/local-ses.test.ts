/** The local SES front (quotas, throttling, faults, the mailbox simulator) and SQS delays, through the real SDK clients. */
import { GetAccountCommand, SESv2Client, SendEmailCommand, type SendEmailCommandInput } from '@aws-sdk/client-sesv2';
import { SendMessageBatchCommand, SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import type { EventBridgeEvent } from 'aws-lambda';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startEventBus } from '../../local/event-bus.ts';
import { startQueues } from '../../local/queues.ts';
import { type LocalSes, type SesEvent, startSes } from '../../local/ses.ts';
import { createSesEmailSender } from '../../shared/aws/email.ts';
import { usePlatform } from '../helpers/platform.ts';

const credentials = { accessKeyId: 'local', secretAccessKey: 'local' };
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

let ses: LocalSes;
const published: SesEvent[][] = [];
beforeAll(async () => {
  ses = await startSes({
    maxSendRate: 14,
    publish: async (events) => {
      published.push(events);
    },
  });
});
afterAll(async () => {
  await ses?.close();
});
afterEach(() => {
  ses.configure({ throttlePerSecond: undefined, failureRate: 0, fault: undefined, maxSendRate: 14 });
  ses.resetStats();
  published.length = 0;
});

const client = (maxAttempts = 1) => new SESv2Client({ endpoint: ses.endpoint, region: 'us-east-1', credentials, maxAttempts });
const email = (to: string, extra: Partial<SendEmailCommandInput> = {}): SendEmailCommandInput => ({
  FromEmailAddress: '"Herald News" <news@herald.test>',
  Destination: { ToAddresses: [to] },
  Content: {
    Simple: {
      Subject: { Data: `Hello ${to}` },
      Body: { Html: { Data: '<p>Hi</p>' }, Text: { Data: 'Hi' } },
      Headers: [{ Name: 'List-Unsubscribe-Post', Value: 'List-Unsubscribe=One-Click' }],
    },
  },
  ...extra,
});
const tagged = { ConfigurationSetName: 'herald-local', EmailTags: [{ Name: 'campaignId', Value: 'c-1' }] };
const mailbox = async () =>
  ((await (await fetch(`${ses.endpoint}/store`)).json()) as { emails: { messageId: string; subject: string; headers?: unknown[] }[] })
    .emails;

/** Waits (briefly) for the publish callback, which runs after the answer. */
const eventsOf = async (messageId: string) => {
  for (let i = 0; i < 50 && !published.some((batch) => batch[0]?.detail.mail.messageId === messageId); i++) await sleep(10);
  return published.find((batch) => batch[0]?.detail.mail.messageId === messageId) ?? [];
};

describe('local SES: account and sending quota', () => {
  it('answers GetAccount with the configured rate, and counts sends in the last 24 hours', async () => {
    const before = await client().send(new GetAccountCommand({}));
    expect(before).toMatchObject({ SendingEnabled: true, ProductionAccessEnabled: true, SendQuota: { MaxSendRate: 14 } });
    await client().send(new SendEmailCommand(email('ada@example.com')));
    ses.configure({ maxSendRate: 50 });
    const after = await client().send(new GetAccountCommand({}));
    expect(after.SendQuota).toEqual({
      Max24HourSend: expect.any(Number),
      MaxSendRate: 50,
      SentLast24Hours: (before.SendQuota?.SentLast24Hours ?? 0) + 1,
    });
  });
});

describe('local SES: throttling and faults', () => {
  it('answers calls past the per-second rate with TooManyRequestsException, and counts them', async () => {
    ses.configure({ throttlePerSecond: 3 });
    // start at the beginning of a one-second window so the five calls share it
    await sleep(1000 - (Date.now() % 1000));
    const sesv2 = client();
    const results = await Promise.allSettled(
      Array.from({ length: 5 }, (_, i) => sesv2.send(new SendEmailCommand(email(`t${i}@example.com`)))),
    );
    const rejected = results.filter((r) => r.status === 'rejected').map((r) => (r as PromiseRejectedResult).reason as Error);
    expect(rejected).toHaveLength(2);
    expect(rejected[0]).toMatchObject({ name: 'TooManyRequestsException', message: 'Maximum sending rate exceeded.' });
    expect((rejected[0] as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode).toBe(429);
    expect(ses.stats()).toEqual({ sendCalls: 5, accepted: 3, throttled: 2, failed: 0 });
  });

  it('fails every call with failureRate 1, stores nothing, and counts each SDK attempt', async () => {
    ses.configure({ failureRate: 1 });
    const stored = (await mailbox()).length;
    const error = await client(2)
      .send(new SendEmailCommand(email('fail@example.com')))
      .catch((e: unknown) => e as Error & { $metadata: { httpStatusCode?: number; attempts?: number } });
    expect(error).toMatchObject({ name: 'InternalFailure', $metadata: { httpStatusCode: 500, attempts: 2 } });
    expect((await mailbox()).length).toBe(stored);
    expect(ses.stats()).toEqual({ sendCalls: 2, accepted: 0, throttled: 0, failed: 2 });
  });

  it('lets a test choose the fate of a call by its recipients', async () => {
    ses.configure({
      fault: ({ to }) => (to.includes('slow@example.com') ? 'throttle' : to.includes('down@example.com') ? 'error' : undefined),
    });
    await expect(client().send(new SendEmailCommand(email('slow@example.com')))).rejects.toMatchObject({
      name: 'TooManyRequestsException',
    });
    await expect(client().send(new SendEmailCommand(email('down@example.com')))).rejects.toMatchObject({ name: 'InternalFailure' });
    // the SDK's own retries of a throttled call (3 attempts by default) are each counted
    ses.configure({ fault: ({ to }) => (to.includes('slow@example.com') && ses.stats().throttled < 3 ? 'throttle' : undefined) });
    const out = await new SESv2Client({ endpoint: ses.endpoint, region: 'us-east-1', credentials }).send(
      new SendEmailCommand(email('slow@example.com')),
    );
    expect(out.MessageId).toBeTruthy();
    expect(ses.stats()).toEqual({ sendCalls: 5, accepted: 1, throttled: 3, failed: 1 });
  });
});

describe('local SES: mailbox', () => {
  it('keeps the custom headers in the mailbox and the tags beside it', async () => {
    const { MessageId } = await client().send(new SendEmailCommand(email('ada@example.com', tagged)));
    const stored = (await mailbox()).find((e) => e.messageId === MessageId);
    expect(stored?.headers).toEqual([{ name: 'List-Unsubscribe-Post', value: 'List-Unsubscribe=One-Click' }]);
    expect(await (await fetch(`${ses.endpoint}/tags/${MessageId}`)).json()).toEqual({
      messageId: MessageId,
      configurationSet: 'herald-local',
      tags: { campaignId: 'c-1' },
    });
    const messages = (await (await fetch(`${ses.endpoint}/messages`)).json()) as { emails: any[] };
    expect(messages.emails.find((e) => e.messageId === MessageId)).toMatchObject({
      subject: 'Hello ada@example.com',
      configurationSet: 'herald-local',
      tags: { campaignId: 'c-1' },
      headers: [{ name: 'List-Unsubscribe-Post', value: 'List-Unsubscribe=One-Click' }],
    });
    expect((await fetch(`${ses.endpoint}/tags/ses-nope`)).status).toBe(404);
    expect(await (await fetch(ses.endpoint)).text()).toContain('<html');
  });
});

describe('local SES: mailbox simulator events', () => {
  const send = async (to: string, extra: Partial<SendEmailCommandInput> = tagged) => {
    const { MessageId } = await client().send(new SendEmailCommand(email(to, extra)));
    return { messageId: MessageId as string, events: await eventsOf(MessageId as string) };
  };
  const types = (events: SesEvent[]) => events.map((e) => [e.detailType, e.detail.eventType]);

  it('success: Send then Delivery, with the mail object, headers and tags SES publishes', async () => {
    const { messageId, events } = await send('success@simulator.amazonses.com');
    expect(types(events)).toEqual([
      ['Email Sent', 'Send'],
      ['Email Delivered', 'Delivery'],
    ]);
    expect(events[0]).toMatchObject({
      source: 'aws.ses',
      resources: ['arn:aws:ses:us-east-1:000000000000:configuration-set/herald-local'],
    });
    expect(events[1]?.detail.mail).toEqual({
      timestamp: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      source: '"Herald News" <news@herald.test>',
      sourceArn: 'arn:aws:ses:us-east-1:000000000000:identity/herald.test',
      sendingAccountId: '000000000000',
      messageId,
      destination: ['success@simulator.amazonses.com'],
      headersTruncated: false,
      headers: expect.arrayContaining([
        { name: 'From', value: '"Herald News" <news@herald.test>' },
        { name: 'To', value: 'success@simulator.amazonses.com' },
        { name: 'Subject', value: 'Hello success@simulator.amazonses.com' },
        { name: 'List-Unsubscribe-Post', value: 'List-Unsubscribe=One-Click' },
      ]),
      commonHeaders: {
        from: ['"Herald News" <news@herald.test>'],
        to: ['success@simulator.amazonses.com'],
        messageId,
        subject: 'Hello success@simulator.amazonses.com',
      },
      tags: expect.objectContaining({ 'ses:configuration-set': ['herald-local'], campaignId: ['c-1'] }),
    });
    expect(events[1]?.detail.delivery).toMatchObject({
      recipients: ['success@simulator.amazonses.com'],
      smtpResponse: '250 2.6.0 Message received',
      processingTimeMillis: expect.any(Number),
    });
  });

  it('bounce (also with a +label): Send then a permanent, general Bounce', async () => {
    const { events } = await send('bounce+c-1@simulator.amazonses.com');
    expect(types(events)).toEqual([
      ['Email Sent', 'Send'],
      ['Email Bounced', 'Bounce'],
    ]);
    expect(events[1]?.detail.bounce).toEqual({
      bounceType: 'Permanent',
      bounceSubType: 'General',
      bouncedRecipients: [
        {
          emailAddress: 'bounce+c-1@simulator.amazonses.com',
          action: 'failed',
          status: '5.1.1',
          diagnosticCode: 'smtp; 550 5.1.1 user unknown',
        },
      ],
      timestamp: expect.any(String),
      feedbackId: expect.any(String),
      reportingMTA: expect.any(String),
    });
  });

  it('complaint: Send, Delivery, then a Complaint of type abuse', async () => {
    const { events } = await send('complaint@simulator.amazonses.com');
    expect(types(events)).toEqual([
      ['Email Sent', 'Send'],
      ['Email Delivered', 'Delivery'],
      ['Email Complaint Received', 'Complaint'],
    ]);
    expect(events[2]?.detail.complaint).toMatchObject({
      complainedRecipients: [{ emailAddress: 'complaint@simulator.amazonses.com' }],
      complaintFeedbackType: 'abuse',
      feedbackId: expect.any(String),
    });
    expect(events[2]?.detail.mail.tags.campaignId).toEqual(['c-1']);
  });

  it('suppressionlist: Send then a Bounce because the address is on the suppression list; ooto: Send then Delivery', async () => {
    const suppressed = await send('suppressionlist@simulator.amazonses.com');
    expect(types(suppressed.events)).toEqual([
      ['Email Sent', 'Send'],
      ['Email Bounced', 'Bounce'],
    ]);
    expect(suppressed.events[1]?.detail.bounce).toMatchObject({
      bounceType: 'Permanent',
      bounceSubType: 'OnAccountSuppressionList',
      bouncedRecipients: [{ emailAddress: 'suppressionlist@simulator.amazonses.com', action: 'failed' }],
    });
    expect(types((await send('ooto@simulator.amazonses.com')).events)).toEqual([
      ['Email Sent', 'Send'],
      ['Email Delivered', 'Delivery'],
    ]);
  });

  it('publishes nothing without a configuration set, or for an address outside the simulator', async () => {
    await client().send(new SendEmailCommand(email('bounce@simulator.amazonses.com', { EmailTags: tagged.EmailTags })));
    await client().send(new SendEmailCommand(email('ada@example.com', tagged)));
    await sleep(50);
    expect(published).toEqual([]);
  });

  it('reaches an event bus rule on source aws.ses, as the platform wires it', async () => {
    type Event = EventBridgeEvent<string, SesEvent['detail']>;
    const bounces: Event[] = [];
    const bus = await startEventBus({
      rules: [
        {
          rule: { name: 'ses-bounces', source: 'aws.ses', detailType: 'Email Bounced' },
          invoke: async (e) => void bounces.push(e as unknown as Event),
        },
      ],
    });
    const wired = await startSes({ publish: async (events) => void bus.put(events) });
    try {
      const { MessageId } = await new SESv2Client({ endpoint: wired.endpoint, region: 'us-east-1', credentials }).send(
        new SendEmailCommand(email('bounce@simulator.amazonses.com', tagged)),
      );
      for (let i = 0; i < 50 && bounces.length === 0; i++) await sleep(10);
      await bus.drain();
      expect(bounces).toHaveLength(1);
      expect(bounces[0]).toMatchObject({
        source: 'aws.ses',
        'detail-type': 'Email Bounced',
        resources: ['arn:aws:ses:us-east-1:000000000000:configuration-set/herald-local'],
        detail: { eventType: 'Bounce', mail: { messageId: MessageId, tags: { campaignId: ['c-1'] } } },
      });
    } finally {
      await wired.close();
      await bus.close();
    }
  });
});

describe('the platform’s SES', () => {
  const t = usePlatform({ ses: { maxSendRate: 7 } });

  it('takes its quota from the options, and is configured and counted through platform.ses', async () => {
    const sesv2 = new SESv2Client({ maxAttempts: 1 }); // the endpoint from AWS_ENDPOINT_URL_SESV2, as the handlers
    expect((await sesv2.send(new GetAccountCommand({}))).SendQuota?.MaxSendRate).toBe(7);
    t.platform.ses.resetStats();
    const sender = createSesEmailSender(sesv2);
    const message = { from: 'news@herald.test', to: 'ada@example.com', subject: 'Hi', html: '<p>Hi</p>', text: 'Hi' };
    await sender.send(message);
    t.platform.ses.configure({ throttlePerSecond: 0 });
    // The adapter says what it means for a sender: not sent, try again later.
    await expect(sender.send(message)).rejects.toMatchObject({
      name: 'DeliveryDeferred',
      message: expect.stringContaining('TooManyRequestsException'),
    });
    expect(t.platform.ses.stats()).toEqual({ sendCalls: 2, accepted: 1, throttled: 1, failed: 0 });
  });
});

describe('local SQS: DelaySeconds', () => {
  it('hides a message until its delay is over, and honours each batch entry’s delay', async () => {
    const received: { body: string; at: number }[] = [];
    const queues = await startQueues({
      consumers: [
        {
          consumer: { queue: 'list-cleanup', entry: 'unused', batchSize: 10, concurrency: 1, maxReceives: 3, visibilityTimeoutSeconds: 30 },
          invoke: async (event) => {
            received.push(...event.Records.map((r) => ({ body: r.body, at: Date.now() })));
          },
        },
      ],
    });
    try {
      const sqs = new SQSClient({ endpoint: queues.endpoint, region: 'us-east-1', credentials });
      const url = queues.urlOf('list-cleanup');
      const start = Date.now();
      await sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: '"delayed"', DelaySeconds: 1 }));
      const batch = await sqs.send(
        new SendMessageBatchCommand({
          QueueUrl: url,
          Entries: [
            { Id: 'now', MessageBody: '"now"' },
            { Id: 'later', MessageBody: '"later"', DelaySeconds: 1 },
            { Id: 'bad', MessageBody: '"bad"', DelaySeconds: 901 },
          ],
        }),
      );
      expect(batch.Successful?.map((s) => s.Id)).toEqual(['now', 'later']);
      expect(batch.Failed).toMatchObject([{ Id: 'bad', SenderFault: true, Code: 'InvalidParameterValue' }]);
      await expect(sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'x', DelaySeconds: -1 }))).rejects.toThrow(/DelaySeconds/);

      await sleep(300);
      expect(received.map((r) => r.body)).toEqual(['"now"']);
      expect(queues.depth('list-cleanup')).toBe(2);

      await queues.drain(5_000); // waits for the delayed ones too
      expect(received.map((r) => r.body).sort()).toEqual(['"delayed"', '"later"', '"now"']);
      for (const r of received.filter((x) => x.body !== '"now"')) expect(r.at - start).toBeGreaterThanOrEqual(1000);
      expect(queues.depth('list-cleanup')).toBe(0);
    } finally {
      await queues.close();
    }
  });

  it('keeps a delay that is still running across a restart with a state file', async () => {
    const statePath = join(mkdtempSync(join(tmpdir(), 'herald-delay-')), 'queues.json');
    const consumer = {
      queue: 'list-cleanup' as const,
      entry: 'unused',
      batchSize: 10,
      concurrency: 1,
      maxReceives: 3,
      visibilityTimeoutSeconds: 30,
    };
    const first = await startQueues({ statePath, consumers: [{ consumer, invoke: async () => {} }] });
    const sentAt = Date.now();
    await new SQSClient({ endpoint: first.endpoint, region: 'us-east-1', credentials }).send(
      new SendMessageCommand({ QueueUrl: first.urlOf('list-cleanup'), MessageBody: '"delayed"', DelaySeconds: 1 }),
    );
    await first.close();

    const received: number[] = [];
    const second = await startQueues({ statePath, consumers: [{ consumer, invoke: async () => void received.push(Date.now()) }] });
    try {
      await sleep(300);
      expect(received).toEqual([]);
      expect(second.depth('list-cleanup')).toBe(1);
      await second.drain(5_000);
      expect(received).toHaveLength(1);
      expect(received[0]! - sentAt).toBeGreaterThanOrEqual(1000);
    } finally {
      await second.close();
    }
  });
});
