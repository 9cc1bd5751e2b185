/**
 * QueuePort over SQS. Each queue's URL is in the variable the queue table names
 * (list-cleanup → LIST_CLEANUP_QUEUE_URL), set only on the functions that send to it.
 * Locally the same client talks to the local runtime's SQS endpoint.
 */
import { SQSClient, SendMessageCommand } from '@aws-sdk/client-sqs';
import { queueMessages, queueUrlEnv, type QueueName } from '../api/messages.ts';
import type { QueuePort } from '../runtime/ports.ts';

export function createSqsQueue(env: NodeJS.ProcessEnv = process.env): QueuePort {
  const sqs = new SQSClient({});
  const urlOf = (queue: QueueName) => {
    const url = env[queueUrlEnv(queue)];
    if (!url) throw new Error(`Invalid configuration: ${queueUrlEnv(queue)} is not set; is this function wired to send to ${queue}?`);
    return url;
  };
  return {
    async send(queue, message) {
      const body = queueMessages[queue].parse(message); // a malformed message fails its sender, not its consumer
      await sqs.send(new SendMessageCommand({ QueueUrl: urlOf(queue), MessageBody: JSON.stringify(body) }));
    },
  };
}
