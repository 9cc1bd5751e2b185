/** One consumer function per queue: batches with partial failures, concurrency capped per queue. */
import { Duration } from 'aws-cdk-lib';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import { Construct } from 'constructs';
import type { QueueConsumerWiring } from '../wiring.ts';
import type { AppFunction } from './app-function.ts';
import { pascal, wiredFunction, type FunctionBindings } from './wired-function.ts';

export class Workers extends Construct {
  /** By queue name. */
  readonly functions = new Map<string, AppFunction>();

  constructor(scope: Construct, id: string, props: { consumers: readonly QueueConsumerWiring[]; bindings: FunctionBindings }) {
    super(scope, id);
    for (const consumer of props.consumers) {
      const queue = props.bindings.queues.get(consumer.queue);
      if (!queue) throw new Error(`No queue '${consumer.queue}' for ${consumer.entry}`);
      const fn = wiredFunction(this, pascal(consumer.queue), props.bindings, {
        entry: consumer.entry,
        table: 'RW',
        sends: consumer.sends,
        delivers: consumer.delivers,
        tokens: consumer.tokens,
        // Half the visibility timeout: a batch finishes before its messages reappear.
        timeout: Duration.seconds(Math.floor(consumer.visibilityTimeoutSeconds / 2)),
      });
      fn.addEventSource(
        new SqsEventSource(queue, {
          batchSize: consumer.batchSize,
          maxConcurrency: Math.max(2, consumer.concurrency),
          reportBatchItemFailures: true,
        }),
      );
      this.functions.set(consumer.queue, fn);
    }
  }
}
