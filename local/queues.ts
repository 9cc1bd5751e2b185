/**
 * Local SQS: answers the real SDK's SendMessage / SendMessageBatch calls, and runs the wiring
 * table's consumers as in-process workers with SQS's semantics that matter: at-least-once
 * delivery in batches, partial batch failure, retries with backoff, and a dead-letter list after
 * maxReceives, and DelaySeconds (0-900) on SendMessage and on each SendMessageBatch entry: the
 * message stays invisible until then. GET / shows depths and dead letters as JSON. With
 * `statePath`, pending messages and dead letters are saved there (every second while they change,
 * and on close) and reloaded on start, so a restart of `npm start` loses no queued work: a message
 * never received keeps its delay, one received before the restart (in flight or waiting for a
 * retry) is visible again at once.
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
  /** Messages not yet deleted from a queue: visible, delayed, in flight or waiting for a retry. */
  depth(queue: string): number;
  /**
   * Resolves once every queue is empty and no batch is in flight; delayed messages count as
   * pending, so it waits for them too (bounded by the timeout, then throws).
   */
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
    // a delay still running is kept; a receive the restart interrupted (or its backoff) is not
    for (const [queue, messages] of Object.entries(saved.pending))
      pending
        .get(queue)
        ?.push(...messages.map((m) => ({ ...m, visibleAt: m.receiveCount === 0 ? Math.max(m.visibleAt, Date.now()) : Date.now() })));
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

  const queueOf = (queueUrl: string | undefined): Message[] => {
    const queue = pending.get(queueUrl?.split('/').pop() ?? '');
    if (!queue) throw Object.assign(new Error(`The specified queue does not exist: ${queueUrl}`), { code: 'QueueDoesNotExist' });
    return queue;
  };
  const checkDelay = (delaySeconds: unknown) => {
    if (delaySeconds === undefined || (Number.isInteger(delaySeconds) && (delaySeconds as number) >= 0 && (delaySeconds as number) <= 900))
      return;
    throw Object.assign(
      new Error(`Value ${delaySeconds} for parameter DelaySeconds is invalid. Reason: must be between 0 and 900, if provided.`),
      { code: 'InvalidParameterValue' },
    );
  };
  const enqueue = (queue: Message[], body: string, delaySeconds = 0): Message => {
    const now = Date.now();
    const message = { messageId: randomUUID(), body, receiveCount: 0, visibleAt: now + delaySeconds * 1000, sentAt: now };
    queue.push(message);
    return message;
  };

  const server = createServer(async (req, res) => {
    const json = 'application/x-amz-json-1.0';
    try {
      if (req.method === 'GET') {
        const now = Date.now();
        return send(res, 200, {
          queues: [...pending].map(([name, messages]) => ({
            name,
            depth: messages.length,
            delayed: messages.filter((m) => m.receiveCount === 0 && m.visibleAt > now).length,
            deadLetters: dead.get(name),
          })),
        });
      }
      const target = String(req.headers['x-amz-target'] ?? '');
      const input = JSON.parse((await readBody(req)).toString('utf8') || '{}') as {
        QueueUrl?: string;
        MessageBody?: string;
        DelaySeconds?: number;
        Entries?: { Id: string; MessageBody: string; DelaySeconds?: number }[];
      };
      if (target === 'AmazonSQS.SendMessage') {
        const queue = queueOf(input.QueueUrl);
        checkDelay(input.DelaySeconds);
        const m = enqueue(queue, input.MessageBody ?? '', input.DelaySeconds);
        return send(res, 200, { MessageId: m.messageId, MD5OfMessageBody: md5(m.body) }, json);
      }
      if (target === 'AmazonSQS.SendMessageBatch') {
        const queue = queueOf(input.QueueUrl);
        const successful: { Id: string; MessageId: string; MD5OfMessageBody: string }[] = [];
        const failed: { Id: string; SenderFault: true; Code: string; Message: string }[] = [];
        for (const e of input.Entries ?? []) {
          try {
            checkDelay(e.DelaySeconds); // as SQS: a bad entry fails alone
          } catch (error) {
            failed.push({ Id: e.Id, SenderFault: true, Code: 'InvalidParameterValue', Message: (error as Error).message });
            continue;
          }
          const m = enqueue(queue, e.MessageBody, e.DelaySeconds);
          successful.push({ Id: e.Id, MessageId: m.messageId, MD5OfMessageBody: md5(m.body) });
        }
        return send(res, 200, { Successful: successful, Failed: failed }, json);
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
      const batch: Message[] = [];
      for (const m of queue) {
        if (m.visibleAt > now) continue;
        batch.push(m);
        if (batch.length === consumer.batchSize) break;
      }
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
    depth: (queue) => pending.get(queue)?.length ?? 0,
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
