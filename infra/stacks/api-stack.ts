/**
 * Stateless resources, built from the wiring table: the HTTP API with a Cognito JWT authorizer,
 * one function per route, SQS queues with dead-letter queues and their consumers, scheduled
 * functions, the event bus and its rules, and the SES configuration set.
 */
import { CfnOutput, Duration, RemovalPolicy, Stack, Validations, type StackProps } from 'aws-cdk-lib';
import { type CfnStage, HttpApi, HttpMethod, HttpNoneAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpJwtAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import { AccountRecovery, Mfa, StringAttribute, UserPool } from 'aws-cdk-lib/aws-cognito';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { EventBus, Rule, Schedule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { ConfigurationSet, SuppressionReasons } from 'aws-cdk-lib/aws-ses';
import { Queue } from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import { join } from 'node:path';
import { accessOf, eventRules, functionId, queueConsumers, routes, schedules } from '../../functions/wiring.ts';
import { queueUrlEnv, type QueueName } from '../../shared/api/messages.ts';
import { AppFunction } from '../constructs/app-function.ts';

export interface ApiStackProps extends StackProps {
  table: ITable;
  /** Absolute path of the project root, where the wiring table's entries are relative to. */
  projectRoot: string;
}

const pascal = (s: string) => s.replace(/(^|-)([a-z0-9])/g, (_m, _d, c: string) => c.toUpperCase());

export class ApiStack extends Stack {
  readonly api: HttpApi;
  readonly functions = new Map<string, AppFunction>();
  readonly queues = new Map<QueueName, Queue>();

  constructor(scope: Construct, id: string, props: ApiStackProps) {
    super(scope, id, props);
    const { table } = props;

    // Queues first: every function's configuration names them.
    for (const consumer of queueConsumers) {
      const dlq = new Queue(this, `${pascal(consumer.queue)}Dlq`, { enforceSSL: true, retentionPeriod: Duration.days(14) });
      Validations.of(dlq).acknowledge({ id: 'AwsSolutions-SQS3', reason: 'This is the dead-letter queue itself.' });
      this.queues.set(consumer.queue, new Queue(this, `${pascal(consumer.queue)}Queue`, {
        enforceSSL: true,
        visibilityTimeout: Duration.seconds(consumer.visibilityTimeoutSeconds),
        deadLetterQueue: { queue: dlq, maxReceiveCount: consumer.maxReceives },
      }));
    }

    const makeFunction = (entry: string, access: 'RO' | 'RW' | 'none', sends: QueueName[] = [], timeout?: Duration) => {
      const fn = new AppFunction(this, pascal(functionId(entry)), {
        entry: join(props.projectRoot, entry),
        timeout,
        environment: { DEFAULT_TENANT: 'default' },
      });
      if (access !== 'none') fn.bindTable(table, access);
      for (const queue of sends) fn.bindQueue(this.queues.get(queue) as Queue, queueUrlEnv(queue));
      this.functions.set(functionId(entry), fn);
      return fn;
    };

    // Who may call the management API: Cognito users; the tenant is a custom claim.
    const userPool = new UserPool(this, 'Users', {
      selfSignUpEnabled: false,
      signInAliases: { email: true },
      passwordPolicy: { minLength: 12, requireDigits: true, requireLowercase: true, requireUppercase: true, requireSymbols: true },
      mfa: Mfa.REQUIRED,
      mfaSecondFactor: { otp: true, sms: false },
      accountRecovery: AccountRecovery.EMAIL_ONLY,
      customAttributes: { tenant: new StringAttribute({ mutable: false, minLen: 1, maxLen: 40 }) },
      removalPolicy: RemovalPolicy.RETAIN,
    });
    for (const id of ['AwsSolutions-COG3', 'AwsSolutions-COG8']) {
      Validations.of(userPool).acknowledge({ id, reason: 'Threat protection needs the paid Plus feature plan; a team turns it on for its own account (docs/deploy.md).' });
    }
    const client = userPool.addClient('Console', { authFlows: { userSrp: true }, preventUserExistenceErrors: true });
    const authorizer = new HttpJwtAuthorizer('Cognito', `https://cognito-idp.${this.region}.amazonaws.com/${userPool.userPoolId}`, {
      jwtAudience: [client.userPoolClientId],
    });

    this.api = new HttpApi(this, 'Api', { description: 'Herald management API' });
    const accessLogs = new LogGroup(this, 'ApiAccessLogs', { retention: RetentionDays.ONE_MONTH, removalPolicy: RemovalPolicy.DESTROY });
    const stage = this.api.defaultStage?.node.defaultChild as CfnStage;
    stage.accessLogSettings = {
      destinationArn: accessLogs.logGroupArn,
      format: JSON.stringify({ requestId: '$context.requestId', ip: '$context.identity.sourceIp', routeKey: '$context.routeKey', status: '$context.status', latency: '$context.responseLatency' }),
    };

    for (const route of routes) {
      const access = accessOf(route);
      const fn = makeFunction(route.entry, access === 'none' ? 'none' : access === 'read' ? 'RO' : 'RW', route.sends);
      const routeResources = this.api.addRoutes({
        path: route.path,
        methods: [HttpMethod[route.method]],
        integration: new HttpLambdaIntegration(`${pascal(functionId(route.entry))}Integration`, fn),
        authorizer: access === 'none' ? new HttpNoneAuthorizer() : authorizer,
      });
      if (access === 'none') {
        for (const r of routeResources) {
          Validations.of(r).acknowledge({ id: 'AwsSolutions-APIG4', reason: 'The OpenAPI description is public documentation; it reads no data.' });
        }
      }
    }

    for (const consumer of queueConsumers) {
      const fn = makeFunction(consumer.entry, 'RW', consumer.sends, Duration.seconds(Math.floor(consumer.visibilityTimeoutSeconds / 2)));
      fn.addEventSource(new SqsEventSource(this.queues.get(consumer.queue) as Queue, {
        batchSize: consumer.batchSize,
        maxConcurrency: Math.max(2, consumer.concurrency),
        reportBatchItemFailures: true,
      }));
    }

    for (const schedule of schedules) {
      const fn = makeFunction(schedule.entry, 'RW', schedule.sends, Duration.minutes(5));
      new Rule(this, `${pascal(schedule.name)}Schedule`, {
        schedule: Schedule.rate(Duration.minutes(schedule.everyMinutes)),
        targets: [new LambdaFunction(fn, { retryAttempts: 2 })],
      });
    }

    const bus = new EventBus(this, 'Bus', { description: 'Purchase and engagement events for Herald' });
    for (const rule of eventRules) {
      new Rule(this, `${pascal(rule.name)}Rule`, {
        eventBus: bus,
        eventPattern: { source: [rule.source], detailType: [rule.detailType] },
        targets: [new LambdaFunction(makeFunction(rule.entry, 'RW', rule.sends))],
      });
    }

    new ConfigurationSet(this, 'Email', { reputationMetrics: true, suppressionReasons: SuppressionReasons.BOUNCES_AND_COMPLAINTS });

    Validations.of(this).acknowledge({ id: 'AwsSolutions-L1', reason: 'Node.js 22 is pinned deliberately: the runtime the bundles are built and tested for.' });

    new CfnOutput(this, 'ApiUrl', { value: this.api.apiEndpoint });
    new CfnOutput(this, 'UserPoolId', { value: userPool.userPoolId });
    new CfnOutput(this, 'UserPoolClientId', { value: client.userPoolClientId });
    new CfnOutput(this, 'EventBusName', { value: bus.eventBusName });
  }
}
