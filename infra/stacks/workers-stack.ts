/** The functions no route calls: queue consumers, schedules, and event rules with their targets. */
import { Stack, type StackProps } from 'aws-cdk-lib';
import type { IEventBus } from 'aws-cdk-lib/aws-events';
import type { Construct } from 'constructs';
import type { AppFunction } from '../constructs/app-function.ts';
import { EventRules } from '../constructs/messaging.ts';
import { Schedules } from '../constructs/schedules.ts';
import type { FunctionBindings } from '../constructs/wired-function.ts';
import { Workers } from '../constructs/workers.ts';
import type { HeraldWiring } from '../wiring.ts';

export interface WorkersStackProps extends StackProps {
  wiring: Pick<HeraldWiring, 'queueConsumers' | 'schedules' | 'eventRules'>;
  bindings: FunctionBindings;
  bus: IEventBus;
}

export class WorkersStack extends Stack {
  /** By `queue:<name>`, `schedule:<name>`, `rule:<name>`. */
  readonly functions = new Map<string, AppFunction>();
  readonly eventRules?: EventRules;

  constructor(scope: Construct, id: string, props: WorkersStackProps) {
    super(scope, id, props);
    const { wiring, bindings } = props;
    const add = (kind: string, functions: ReadonlyMap<string, AppFunction>) => {
      for (const [name, fn] of functions) this.functions.set(`${kind}:${name}`, fn);
    };
    add('queue', new Workers(this, 'Consumers', { consumers: wiring.queueConsumers, bindings }).functions);
    add('schedule', new Schedules(this, 'Schedules', { schedules: wiring.schedules, bindings }).functions);
    if (wiring.eventRules.length > 0) {
      this.eventRules = new EventRules(this, 'EventRules', { bus: props.bus, rules: wiring.eventRules, bindings });
      add('rule', this.eventRules.functions);
    }
  }
}
