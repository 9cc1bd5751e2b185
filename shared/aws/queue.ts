/**
 * QueuePort over SQS. Each queue's URL is in the variable the queue table names
 * (list-cleanup → LIST_CLEANUP_QUEUE_URL), set only on the functions that send to it.
 * Locally the same client talks to the local runtime's SQS endpoint.
 */
import { SQSClient, SendMessageBatchCommand, SendMessageCommand } from '@aws-sdk/client-sqs';
import { queueMessages, queueUrlEnv, type QueueName } from '../api/messages.ts';
import type { QueuePort } from '../runtime/ports.ts';

export function createSqsQueue(env: NodeJS.ProcessEnv = process.env): QueuePort {
  const sqs = new SQSClient({});
  const urlOf = (queue: QueueName) => {
    const url = env[queueUrlEnv(queue)];
    if (!url) throw new Error(`Invalid configuration: ${queueUrlEnv(queue)} is not set; is this function wired to send to ${queue}?`);
    return url;
  };
  const delay = (options?: { delaySeconds?: number }) =>
    options?.delaySeconds ? { DelaySeconds: Math.min(900, Math.max(0, Math.ceil(options.delaySeconds))) } : {};
  return {
    async send(queue, message, options) {
      const body = queueMessages[queue].parse(message); // a malformed message fails its sender, not its consumer
      await sqs.send(new SendMessageCommand({ QueueUrl: urlOf(queue), MessageBody: JSON.stringify(body), ...delay(options) }));
    },
    async sendMany(queue, messages, options) {
      const bodies = messages.map((m) => JSON.stringify(queueMessages[queue].parse(m)));
      const batches: string[][] = [];
      for (let i = 0; i < bodies.length; i += 10) batches.push(bodies.slice(i, i + 10));
      await Promise.all(
        batches.map(async (batch) => {
          let entries = batch.map((MessageBody, i) => ({ Id: String(i), MessageBody, ...delay(options) }));
          // SQS may take part of a batch; the rest is sent again (a few times, then it is an error).
          for (let attempt = 0; entries.length > 0; attempt++) {
            if (attempt > 5) throw new Error(`SQS refused ${entries.length} messages to ${queue} after retries`);
            const out = await sqs.send(new SendMessageBatchCommand({ QueueUrl: urlOf(queue), Entries: entries }));
            const failed = new Set((out.Failed ?? []).map((f) => f.Id));
            entries = entries.filter((e) => failed.has(e.Id));
          }
        }),
      );
    },
  };
}
