/**
 * `Messaging` (Platform stack): the EventBridge bus and the SES configuration set.
 * `EventRules` (Workers stack): one rule and function per event rule of the wiring table. A rule
 * lives with its target function, since the target's invoke permission names the rule.
 */
import { Duration } from 'aws-cdk-lib';
import { EventBus, Rule, type IEventBus } from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import { SqsDestination } from 'aws-cdk-lib/aws-lambda-destinations';
import { ConfigurationSet, EmailSendingEvent, EventDestination, SuppressionReasons } from 'aws-cdk-lib/aws-ses';
import type { Queue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import type { EventRule } from '../../functions/wiring.ts';
import type { AppFunction } from './app-function.ts';
import { deadLetterQueue } from './queues.ts';
import { pascal, wiredFunction, type FunctionBindings } from './wired-function.ts';

export class Messaging extends Construct {
  readonly bus: EventBus;
  readonly email: ConfigurationSet;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    this.bus = new EventBus(this, 'Bus', { description: 'Purchase and engagement events for Herald' });
    this.email = new ConfigurationSet(this, 'Email', {
      reputationMetrics: true,
      suppressionReasons: SuppressionReasons.BOUNCES_AND_COMPLAINTS,
    });
    // SES puts its events on the account's default bus; the wiring's `aws.ses` rules listen there.
    this.email.addEventDestination('ToEventBridge', {
      destination: EventDestination.eventBus(EventBus.fromEventBusName(this, 'DefaultBus', 'default')),
      events: [
        EmailSendingEvent.SEND,
        EmailSendingEvent.DELIVERY,
        EmailSendingEvent.BOUNCE,
        EmailSendingEvent.COMPLAINT,
        EmailSendingEvent.REJECT,
        EmailSendingEvent.RENDERING_FAILURE,
        EmailSendingEvent.DELIVERY_DELAY,
      ],
    });
  }
}

/**
 * A bus delivery must not be lost, and it can fail at two points, each with its own dead-letter
 * queue (their messages have different shapes): EventBridge cannot invoke the function (it
 * retries for up to 24 hours, then `UndeliveredEvents`), or the function runs and fails (Lambda
 * retries twice, then `FailedEvents`, the invocation record with the event).
 */
export class EventRules extends Construct {
  /** By rule name. */
  readonly functions = new Map<string, AppFunction>();
  readonly undelivered: Queue;
  readonly failed: Queue;

  constructor(scope: Construct, id: string, props: { bus: IEventBus; rules: readonly EventRule[]; bindings: FunctionBindings }) {
    super(scope, id);
    this.undelivered = deadLetterQueue(this, 'UndeliveredEvents');
    this.failed = deadLetterQueue(this, 'FailedEvents');
    const defaultBus = props.rules.some((r) => r.bus === 'default') ? EventBus.fromEventBusName(this, 'DefaultBus', 'default') : undefined;
    for (const rule of props.rules) {
      const name = pascal(rule.name);
      const fn = wiredFunction(this, name, props.bindings, { entry: rule.entry, table: 'RW', sends: rule.sends });
      fn.configureAsyncInvoke({ retryAttempts: 2, onFailure: new SqsDestination(this.failed) });
      new Rule(this, `${name}Rule`, {
        eventBus: rule.bus === 'default' && defaultBus ? defaultBus : props.bus,
        eventPattern: { source: [rule.source], detailType: [rule.detailType] },
        targets: [new LambdaFunction(fn, { deadLetterQueue: this.undelivered, retryAttempts: 185, maxEventAge: Duration.hours(24) })],
      });
      this.functions.set(rule.name, fn);
    }
  }
}
