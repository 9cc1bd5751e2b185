/**
 * The house Lambda function: Node.js 22 on arm64, an esbuild ESM bundle (minified, source maps,
 * SDK bundled), its own log group with retention, and its own role that can write only to that
 * log group. Table and queue access are granted explicitly with `bindTable` / `bindQueue`, which
 * set the environment variable and the grant together so the two cannot drift.
 */
import { Duration, RemovalPolicy, Stack, Token, Validations } from 'aws-cdk-lib';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Architecture, Runtime } from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import { TABLE_KEYS } from '../../shared/db/table.ts';
import { BUNDLE } from './bundling.ts';

const TABLE_READ = ['dynamodb:GetItem', 'dynamodb:BatchGetItem', 'dynamodb:Query', 'dynamodb:DescribeTable'];
const TABLE_WRITE = [
  'dynamodb:PutItem',
  'dynamodb:UpdateItem',
  'dynamodb:DeleteItem',
  'dynamodb:BatchWriteItem',
  'dynamodb:ConditionCheckItem',
];

/** How cdk-nag writes a stack's region and account in a finding's evidence. */
const nagRegion = (stack: Stack) => (Token.isUnresolved(stack.region) ? '<AWS::Region>' : stack.region);
const nagAccount = (stack: Stack) => (Token.isUnresolved(stack.account) ? '<AWS::AccountId>' : stack.account);

export interface AppFunctionProps {
  /** Handler module path, absolute. It must export `handler`. */
  entry: string;
  /** Lambda timeout. @default Duration.seconds(29) — just under API Gateway's limit */
  timeout?: Duration;
  /** @default 512 */
  memorySize?: number;
  /** Extra environment variables. */
  environment?: Record<string, string>;
  /** @default RetentionDays.ONE_MONTH */
  logRetention?: RetentionDays;
}

export class AppFunction extends NodejsFunction {
  constructor(scope: Construct, id: string, props: AppFunctionProps) {
    const logGroup = new LogGroup(scope, `${id}Logs`, {
      retention: props.logRetention ?? RetentionDays.ONE_MONTH,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    const role = new Role(scope, `${id}Role`, {
      assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
      description: `Runs the ${id} function`,
    });
    logGroup.grantWrite(role);
    super(scope, id, {
      entry: props.entry,
      handler: 'handler',
      runtime: Runtime.NODEJS_22_X,
      architecture: Architecture.ARM_64,
      memorySize: props.memorySize ?? 512,
      timeout: props.timeout ?? Duration.seconds(29),
      role,
      logGroup,
      environment: {
        NODE_OPTIONS: '--enable-source-maps',
        POWERTOOLS_SERVICE_NAME: 'herald',
        ...props.environment,
      },
      bundling: {
        format: OutputFormat.ESM,
        target: BUNDLE.target,
        minify: BUNDLE.minify,
        sourceMap: BUNDLE.sourcemap,
        keepNames: BUNDLE.keepNames,
        externalModules: BUNDLE.external,
        mainFields: BUNDLE.mainFields,
        banner: BUNDLE.banner,
      },
    });
    Validations.of(this).acknowledge({
      id: 'AwsSolutions-L1',
      reason: 'Node.js 22 is pinned deliberately: the runtime the bundles are built and tested for.',
    });
  }

  /**
   * Read or read-write access to the table and its GSIs by name (no `index/*` wildcard), with
   * TABLE_NAME set to match. Scan is never granted: no code path scans.
   */
  bindTable(table: ITable, access: 'RO' | 'RW'): this {
    this.addEnvironment('TABLE_NAME', table.tableName);
    const actions = access === 'RO' ? TABLE_READ : [...TABLE_READ, ...TABLE_WRITE];
    this.addToRolePolicy(
      new PolicyStatement({
        actions,
        resources: [table.tableArn, `${table.tableArn}/index/${TABLE_KEYS.gsi1.name}`],
      }),
    );
    return this;
  }

  /** Permission to send to a queue, with its URL in `envName`. */
  bindQueue(queue: IQueue, envName: string): this {
    this.addEnvironment(envName, queue.queueUrl);
    queue.grantSendMessages(this);
    return this;
  }

  /**
   * Permission to send email through SES v2 with the workspace's configuration set (its name in
   * EMAIL_CONFIGURATION_SET). The sender identity is a workspace setting chosen at run time, so
   * the grant covers the account's verified identities.
   */
  bindEmail(configurationSetName: string): this {
    const stack = Stack.of(this);
    this.addEnvironment('EMAIL_CONFIGURATION_SET', configurationSetName);
    this.addToRolePolicy(
      new PolicyStatement({
        actions: ['ses:SendEmail'],
        resources: [
          stack.formatArn({ service: 'ses', resource: 'identity', resourceName: '*' }),
          stack.formatArn({ service: 'ses', resource: 'configuration-set', resourceName: configurationSetName }),
        ],
      }),
    );
    // The account's send rate paces campaigns; GetAccount has no resource to scope it to.
    this.addToRolePolicy(new PolicyStatement({ actions: ['ses:GetAccount'], resources: ['*'] }));
    Validations.of(this.role?.node.tryFindChild('DefaultPolicy') ?? this).acknowledge(
      {
        id: `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:ses:${nagRegion(stack)}:${nagAccount(stack)}:identity/*]`,
        reason:
          'The sender identity is a workspace setting chosen at run time: the grant covers the identities verified in this account and region only.',
      },
      {
        id: 'AwsSolutions-IAM5[Resource::*]',
        reason: 'ses:GetAccount (the account send quota that paces campaigns) supports no resource-level permission.',
      },
    );
    return this;
  }

  /** Permission to send SMS through AWS End User Messaging (any origination identity of the account). */
  bindSms(): this {
    const stack = Stack.of(this);
    this.addToRolePolicy(
      new PolicyStatement({
        actions: ['sms-voice:SendTextMessage'],
        resources: [stack.formatArn({ service: 'sms-voice', resource: '*' })],
      }),
    );
    Validations.of(this.role?.node.tryFindChild('DefaultPolicy') ?? this).acknowledge({
      id: `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:sms-voice:${nagRegion(stack)}:${nagAccount(stack)}:*]`,
      reason:
        'The origination identity (phone number, sender id or pool) is a workspace setting chosen at run time, within this account and region.',
    });
    return this;
  }
}
