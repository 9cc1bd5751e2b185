/**
 * Local SQS: answers the real SDK's SendMessage / SendMessageBatch calls, and runs the wiring
 * table's consumers as in-process workers with SQS's semantics that matter: at-least-once
 * delivery in batches, partial batch failure, retries with backoff, and a dead-letter list after
 * maxReceives. GET / shows depths and dead letters as JSON. With `statePath`, pending messages
 * and dead letters are saved there (every second while they change, and on close) and reloaded
 * on start, so a restart of `npm start` loses no queued work.
 */
import { createHash, randomUUID } from 'node:crypto';
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import type { QueueConsumer } from '../functions/wiring.ts';
import { close, listen, readBody, send } from './http-util.ts';

interface Message {
  messageId: string;
  body: string;
  receiveCount: number;
  visibleAt: number;
  sentAt: number;
}

export interface DeadLetter {
  messageId: string;
  body: string;
  receiveCount: number;
  failedAt: string;
}

export interface WiredConsumer {
  consumer: QueueConsumer & { queue: string };
  // biome-ignore lint/suspicious/noConfusingVoidType: as in aws-lambda's SQSHandler, a consumer may return nothing
  invoke: (event: SQSEvent) => Promise<SQSBatchResponse | void>;
}

export interface LocalQueues {
  endpoint: string;
  urlOf(queue: string): string;
  deadLetters(queue: string): DeadLetter[];
  /** Resolves once every queue is empty and no batch is in flight. */
  drain(timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

const ACCOUNT = '000000000000';
const md5 = (s: string) => createHash('md5').update(s).digest('hex');

export async function startQueues(options: {
  port?: number;
  consumers: WiredConsumer[];
  retryBaseMs?: number;
  statePath?: string;
}): Promise<LocalQueues> {
  const pending = new Map<string, Message[]>();
  const dead = new Map<string, DeadLetter[]>();
  let inFlight = 0;
  let stopped = false;
  const retryBaseMs = options.retryBaseMs ?? 250;
  for (const { consumer } of options.consumers) {
    pending.set(consumer.queue, []);
    dead.set(consumer.queue, []);
  }
  if (options.statePath && existsSync(options.statePath)) {
    const saved = JSON.parse(readFileSync(options.statePath, 'utf8')) as {
      pending: Record<string, Message[]>;
      dead: Record<string, DeadLetter[]>;
    };
    for (const [queue, messages] of Object.entries(saved.pending))
      pending.get(queue)?.push(...messages.map((m) => ({ ...m, visibleAt: Date.now() })));
    for (const [queue, letters] of Object.entries(saved.dead)) dead.get(queue)?.push(...letters);
  }
  let savedState = '';
  const save = () => {
    if (!options.statePath) return;
    const state = JSON.stringify({ pending: Object.fromEntries(pending), dead: Object.fromEntries(dead) });
    if (state === savedState) return;
    writeFileSync(`${options.statePath}.tmp`, state);
    renameSync(`${options.statePath}.tmp`, options.statePath);
    savedState = state;
  };
  const saver = options.statePath ? setInterval(save, 1000) : undefined;

  const enqueue = (queueUrl: string | undefined, body: string): Message => {
    const name = queueUrl?.split('/').pop() ?? '';
    const queue = pending.get(name);
    if (!queue) throw Object.assign(new Error(`The specified queue does not exist: ${queueUrl}`), { code: 'QueueDoesNotExist' });
    const message = { messageId: randomUUID(), body, receiveCount: 0, visibleAt: Date.now(), sentAt: Date.now() };
    queue.push(message);
    return message;
  };

  const server = createServer(async (req, res) => {
    const json = 'application/x-amz-json-1.0';
    try {
      if (req.method === 'GET') {
        return send(res, 200, {
          queues: [...pending].map(([name, messages]) => ({ name, depth: messages.length, deadLetters: dead.get(name) })),
        });
      }
      const target = String(req.headers['x-amz-target'] ?? '');
      const input = JSON.parse((await readBody(req)).toString('utf8') || '{}') as {
        QueueUrl?: string;
        MessageBody?: string;
        Entries?: { Id: string; MessageBody: string }[];
      };
      if (target === 'AmazonSQS.SendMessage') {
        const m = enqueue(input.QueueUrl, input.MessageBody ?? '');
        return send(res, 200, { MessageId: m.messageId, MD5OfMessageBody: md5(m.body) }, json);
      }
      if (target === 'AmazonSQS.SendMessageBatch') {
        const successful = (input.Entries ?? []).map((e) => {
          const m = enqueue(input.QueueUrl, e.MessageBody);
          return { Id: e.Id, MessageId: m.messageId, MD5OfMessageBody: md5(m.body) };
        });
        return send(res, 200, { Successful: successful, Failed: [] }, json);
      }
      if (target === 'AmazonSQS.GetQueueUrl')
        return send(res, 200, { QueueUrl: urlOf((input as { QueueName?: string }).QueueName ?? '') }, json);
      send(res, 400, { __type: 'com.amazonaws.sqs#UnsupportedOperation', message: `not emulated: ${target}` }, json);
    } catch (error) {
      const code = (error as { code?: string }).code;
      send(res, 400, { __type: `com.amazonaws.sqs#${code ?? 'InvalidParameterValue'}`, message: (error as Error).message }, json);
    }
  });
  const port = await listen(server, options.port ?? 0);
  const endpoint = `http://127.0.0.1:${port}`;
  const urlOf = (queue: string) => `${endpoint}/${ACCOUNT}/${queue}`;

  /** One worker: takes a batch of visible messages, invokes the consumer, settles each message. */
  const work = async ({ consumer, invoke }: WiredConsumer) => {
    while (!stopped) {
      const queue = pending.get(consumer.queue) ?? [];
      const now = Date.now();
      const batch = queue.filter((m) => m.visibleAt <= now).slice(0, consumer.batchSize);
      if (batch.length === 0) {
        await new Promise((resolve) => setTimeout(resolve, 25));
        continue;
      }
      inFlight++;
      for (const m of batch) {
        m.receiveCount++;
        m.visibleAt = now + consumer.visibilityTimeoutSeconds * 1000; // hidden while in flight
      }
      let failed: Set<string>;
      try {
        const result = await invoke({
          Records: batch.map((m) => ({
            messageId: m.messageId,
            receiptHandle: m.messageId,
            body: m.body,
            attributes: {
              ApproximateReceiveCount: String(m.receiveCount),
              SentTimestamp: String(m.sentAt),
              SenderId: ACCOUNT,
              ApproximateFirstReceiveTimestamp: String(now),
            },
            messageAttributes: {},
            md5OfBody: md5(m.body),
            eventSource: 'aws:sqs',
            eventSourceARN: `arn:aws:sqs:local:${ACCOUNT}:${consumer.queue}`,
            awsRegion: 'local',
          })),
        });
        failed = new Set((result?.batchItemFailures ?? []).map((f) => f.itemIdentifier));
      } catch {
        failed = new Set(batch.map((m) => m.messageId)); // a thrown error fails the whole batch, as on Lambda
      }
      for (const m of batch) {
        if (!failed.has(m.messageId)) {
          queue.splice(queue.indexOf(m), 1);
        } else if (m.receiveCount >= consumer.maxReceives) {
          queue.splice(queue.indexOf(m), 1);
          dead
            .get(consumer.queue)
            ?.push({ messageId: m.messageId, body: m.body, receiveCount: m.receiveCount, failedAt: new Date().toISOString() });
        } else {
          m.visibleAt = Date.now() + retryBaseMs * 2 ** (m.receiveCount - 1);
        }
      }
      inFlight--;
    }
  };
  const workers = options.consumers.flatMap((wired) => Array.from({ length: wired.consumer.concurrency }, () => work(wired)));

  return {
    endpoint,
    urlOf,
    deadLetters: (queue) => dead.get(queue) ?? [],
    async drain(timeoutMs = 10_000) {
      const deadline = Date.now() + timeoutMs;
      while ([...pending.values()].some((q) => q.length > 0) || inFlight > 0) {
        if (Date.now() > deadline) throw new Error('queues did not drain in time');
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    },
    async close() {
      stopped = true;
      await Promise.all(workers);
      clearInterval(saver);
      save();
      await close(server);
    },
  };
}
