/**
 * An AppFunction for one wiring-table entry. It gets exactly what the entry declares: the table
 * (read-only, read-write or not at all) through `bindTable`, and the URL and send grant of each
 * queue it sends to through `bindQueue`; nothing else.
 */
import type { Duration } from 'aws-cdk-lib';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import type { ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import type { Construct } from 'constructs';
import { join } from 'node:path';
import { queueUrlEnv, type QueueName } from '../../shared/api/messages.ts';
import { AppFunction } from './app-function.ts';

/** What any function may be bound to; shared by every stack that builds functions. */
export interface FunctionBindings {
  /** Absolute path of the project root, which the wiring table's entries are relative to. */
  projectRoot: string;
  table: ITable;
  queues: ReadonlyMap<QueueName, IQueue>;
  /** Name of the SES configuration set that emails are sent with. */
  emailConfigurationSet: string;
  /** Base URL of the links messages carry (the API's public endpoint). */
  publicUrl: string;
  /** The End User Messaging configuration set SMS is sent with. */
  smsConfigurationSet: string;
  /** The key that signs and checks the recipient-side tokens. */
  trackingSecret: ISecret;
}

export interface WiredFunctionProps {
  /** Handler module, relative to the project root. */
  entry: string;
  table: 'RO' | 'RW' | 'none';
  sends?: readonly QueueName[];
  /** Channels it delivers messages on itself (SES v2 email, End User Messaging SMS). */
  delivers?: readonly ('email' | 'sms')[];
  /** Signs or checks recipient-side tokens (senders, the public recipient routes): read access to the key. */
  tokens?: boolean;
  timeout?: Duration;
}

export function wiredFunction(scope: Construct, id: string, bindings: FunctionBindings, props: WiredFunctionProps): AppFunction {
  const fn = new AppFunction(scope, id, {
    entry: join(bindings.projectRoot, props.entry),
    timeout: props.timeout,
    environment: { DEFAULT_TENANT: 'default' },
  });
  if (props.table !== 'none') fn.bindTable(bindings.table, props.table);
  for (const name of props.sends ?? []) {
    const queue = bindings.queues.get(name);
    if (!queue) throw new Error(`${props.entry} sends to '${name}', which has no consumer in the wiring table`);
    fn.bindQueue(queue, queueUrlEnv(name));
  }
  if (props.delivers?.includes('email')) fn.bindEmail(bindings.emailConfigurationSet);
  if (props.delivers?.includes('sms')) fn.bindSms().addEnvironment('SMS_CONFIGURATION_SET', bindings.smsConfigurationSet);
  if (props.delivers?.length) fn.addEnvironment('PUBLIC_URL', bindings.publicUrl);
  if (props.tokens || props.delivers?.length) {
    bindings.trackingSecret.grantRead(fn);
    fn.addEnvironment('TRACKING_SECRET_ARN', bindings.trackingSecret.secretArn);
  }
  return fn;
}

/** list-cleanup → ListCleanup, getOpenApi → GetOpenApi: construct ids from wiring names. */
export const pascal = (s: string) => s.replace(/(^|-)([a-z0-9])/g, (_m, _d, c: string) => c.toUpperCase());
