/** One SQS queue per consumer in the wiring table, each with a dead-letter queue. */
import { Duration, Validations } from 'aws-cdk-lib';
import { Queue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import type { QueueName } from '../../shared/api/messages.ts';
import type { QueueConsumerWiring } from '../wiring.ts';
import { pascal } from './wired-function.ts';

/** A queue that only receives what failed elsewhere; messages are kept the SQS maximum, 14 days. */
export function deadLetterQueue(scope: Construct, id: string): Queue {
  const dlq = new Queue(scope, id, { enforceSSL: true, retentionPeriod: Duration.days(14) });
  Validations.of(dlq).acknowledge({ id: 'AwsSolutions-SQS3', reason: 'This is a dead-letter queue itself.' });
  return dlq;
}

export class Queues extends Construct {
  readonly queues = new Map<QueueName, Queue>();

  constructor(scope: Construct, id: string, props: { consumers: readonly QueueConsumerWiring[] }) {
    super(scope, id);
    for (const consumer of props.consumers) {
      const name = pascal(consumer.queue);
      this.queues.set(
        consumer.queue,
        new Queue(this, name, {
          enforceSSL: true,
          visibilityTimeout: Duration.seconds(consumer.visibilityTimeoutSeconds),
          deadLetterQueue: { queue: deadLetterQueue(this, `${name}Dlq`), maxReceiveCount: consumer.maxReceives },
        }),
      );
    }
  }
}
