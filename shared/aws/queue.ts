/** QueuePort over SQS. Locally the same client talks to the local runtime's SQS endpoint. */
import { SQSClient, SendMessageCommand } from '@aws-sdk/client-sqs';
import type { QueueName, QueuePort } from '../services/deps.ts';

export function createSqsQueue(urls: Record<QueueName, string>): QueuePort {
  const sqs = new SQSClient({});
  return {
    async send(queue, message) {
      await sqs.send(new SendMessageCommand({ QueueUrl: urls[queue], MessageBody: JSON.stringify(message) }));
    },
  };
}
