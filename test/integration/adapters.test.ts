/** The AWS adapters against the local emulators, through the real SDK clients. */
import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createSesEmailSender } from '../../shared/aws/email.ts';
import { createEventPublisher } from '../../shared/aws/event-bus.ts';
import { createSmsSender } from '../../shared/aws/sms.ts';
import { startQueues } from '../../local/queues.ts';
import { usePlatform } from '../helpers/platform.ts';

const t = usePlatform();

describe('SES v2 adapter → aws-ses-v2-local', () => {
  it('delivers an email with its headers into the mailbox', async () => {
    const sender = createSesEmailSender();
    const { messageId } = await sender.send({
      from: 'news@herald.test',
      to: 'ada@example.com',
      subject: 'Hello Ada',
      html: '<p>Hi</p>',
      text: 'Hi',
      headers: { 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' },
    });
    expect(messageId).not.toBe('');
    const store = (await (await fetch(`${t.platform.mailboxUrl}/store`)).json()) as {
      emails: { subject: string; destination: { to: string[] } }[];
    };
    expect(store.emails.map((e) => e.subject)).toContain('Hello Ada');
  });
});

describe('SMS adapter → local SMS sink', () => {
  it('records the text and shows it on the outbox page', async () => {
    const { messageId } = await createSmsSender().send({ to: '+447700900123', body: 'Your code is 1234' });
    expect(t.platform.texts.find((x) => x.messageId === messageId)).toMatchObject({ to: '+447700900123', body: 'Your code is 1234' });
    expect(await (await fetch(t.platform.smsOutboxUrl)).text()).toContain('Your code is 1234');
  });

  it('rejects a number that is not E.164, as the service does', async () => {
    await expect(createSmsSender().send({ to: '07700', body: 'x' })).rejects.toThrow(/E\.164/);
  });
});

describe('EventBridge publisher → the platform event bus', () => {
  it('publishes with the endpoint and bus name the platform sets in the environment', async () => {
    const { eventIds } = await createEventPublisher().publish([{ source: 'herald.test', detailType: 'Ping', detail: { at: 1 } }]);
    expect(eventIds).toHaveLength(1);
    const status = (await (await fetch(t.platform.eventBusUrl)).json()) as { busName: string; pending: number };
    expect(status).toMatchObject({ busName: 'herald-local', pending: 0 });
    await t.platform.drainQueues();
  });
});

describe('local SQS', () => {
  it('retries failed messages of a partial batch and dead-letters them after maxReceives', async () => {
    const attempts = new Map<string, number>();
    const queues = await startQueues({
      retryBaseMs: 5,
      consumers: [
        {
          consumer: { queue: 'list-cleanup', entry: 'unused', batchSize: 10, concurrency: 1, maxReceives: 3, visibilityTimeoutSeconds: 30 },
          invoke: async (event) => {
            const failures = event.Records.filter((r) => {
              attempts.set(r.body, (attempts.get(r.body) ?? 0) + 1);
              return r.body === '"poison"';
            });
            return { batchItemFailures: failures.map((r) => ({ itemIdentifier: r.messageId })) };
          },
        },
      ],
    });
    const sqs = new SQSClient({ endpoint: queues.endpoint });
    for (const body of ['"ok-1"', '"poison"', '"ok-2"']) {
      await sqs.send(new SendMessageCommand({ QueueUrl: queues.urlOf('list-cleanup'), MessageBody: body }));
    }
    await queues.drain();
    expect(Object.fromEntries(attempts)).toEqual({ '"ok-1"': 1, '"poison"': 3, '"ok-2"': 1 });
    expect(queues.deadLetters('list-cleanup')).toMatchObject([{ body: '"poison"', receiveCount: 3 }]);
    await expect(sqs.send(new SendMessageCommand({ QueueUrl: queues.urlOf('nope'), MessageBody: 'x' }))).rejects.toThrow(/does not exist/);
    await queues.close();
  });

  it('keeps pending messages and dead letters across a restart when given a state file', async () => {
    const statePath = join(mkdtempSync(join(tmpdir(), 'herald-queues-')), 'queues.json');
    const consumer = {
      queue: 'list-cleanup' as const,
      entry: 'unused',
      batchSize: 10,
      concurrency: 1,
      maxReceives: 2,
      visibilityTimeoutSeconds: 30,
    };
    const failing = {
      consumer,
      invoke: async () => {
        throw new Error('down');
      },
    };
    const send = async (endpoint: string, url: string, body: string) =>
      new SQSClient({ endpoint }).send(new SendMessageCommand({ QueueUrl: url, MessageBody: body }));

    // 1. a poison message dead-letters
    const first = await startQueues({ statePath, retryBaseMs: 5, consumers: [failing] });
    await send(first.endpoint, first.urlOf('list-cleanup'), '"poison"');
    await first.drain();
    await first.close();

    // 2. a message fails once and waits a long backoff when the platform stops
    let attempts = 0;
    const second = await startQueues({
      statePath,
      retryBaseMs: 60_000,
      consumers: [
        {
          consumer,
          invoke: async () => {
            attempts++;
            throw new Error('down');
          },
        },
      ],
    });
    await send(second.endpoint, second.urlOf('list-cleanup'), '"work"');
    while (attempts === 0) await new Promise((resolve) => setTimeout(resolve, 10));
    await second.close();

    // 3. after the restart it is delivered at once, and the dead letter is still there
    const delivered: string[] = [];
    const third = await startQueues({
      statePath,
      consumers: [
        {
          consumer,
          invoke: async (event) => {
            delivered.push(...event.Records.map((r) => r.body));
          },
        },
      ],
    });
    await third.drain();
    await third.close();
    expect(delivered).toEqual(['"work"']);
    expect(third.deadLetters('list-cleanup')).toMatchObject([{ body: '"poison"', receiveCount: 2 }]);
  });
});
