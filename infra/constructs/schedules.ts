/** One function per schedule, run by an EventBridge rate rule (a missed run is retried twice). */
import { Duration } from 'aws-cdk-lib';
import { Rule, Schedule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import { Construct } from 'constructs';
import type { Schedule as ScheduleWiring } from '../../functions/wiring.ts';
import type { AppFunction } from './app-function.ts';
import { pascal, wiredFunction, type FunctionBindings } from './wired-function.ts';

export class Schedules extends Construct {
  /** By schedule name. */
  readonly functions = new Map<string, AppFunction>();

  constructor(scope: Construct, id: string, props: { schedules: readonly ScheduleWiring[]; bindings: FunctionBindings }) {
    super(scope, id);
    for (const schedule of props.schedules) {
      const name = pascal(schedule.name);
      const fn = wiredFunction(this, name, props.bindings, {
        entry: schedule.entry,
        table: 'RW',
        sends: schedule.sends,
        timeout: Duration.minutes(5),
      });
      new Rule(this, `${name}Schedule`, {
        schedule: Schedule.rate(Duration.minutes(schedule.everyMinutes)),
        targets: [new LambdaFunction(fn, { retryAttempts: 2 })],
      });
      this.functions.set(schedule.name, fn);
    }
  }
}
