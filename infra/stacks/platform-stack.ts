/**
 * What has identity or state and seldom changes, shared by the function stacks: the HTTP API
 * and its Cognito JWT authorizer, the SQS queues with their dead-letter queues, the event bus
 * and the SES configuration set. No functions live here.
 */
import { CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
import type { HttpApi } from 'aws-cdk-lib/aws-apigatewayv2';
import type { EventBus } from 'aws-cdk-lib/aws-events';
import type { Queue } from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import type { QueueName } from '../../shared/api/messages.ts';
import { Auth } from '../constructs/auth.ts';
import { ManagementApi } from '../constructs/http-api.ts';
import { Messaging } from '../constructs/messaging.ts';
import { Queues } from '../constructs/queues.ts';
import type { QueueConsumerWiring } from '../wiring.ts';

export interface PlatformStackProps extends StackProps {
  /** One queue (and dead-letter queue) per consumer. */
  queueConsumers: readonly QueueConsumerWiring[];
}

export class PlatformStack extends Stack {
  readonly api: HttpApi;
  readonly auth: Auth;
  readonly queues: ReadonlyMap<QueueName, Queue>;
  readonly bus: EventBus;
  /** The SES configuration set every email is sent with (bounce and complaint suppression). */
  readonly emailConfigurationSet: string;

  constructor(scope: Construct, id: string, props: PlatformStackProps) {
    super(scope, id, props);
    this.api = new ManagementApi(this, 'Http').api;
    this.auth = new Auth(this, 'Auth', { api: this.api });
    this.queues = new Queues(this, 'Queues', { consumers: props.queueConsumers }).queues;
    const messaging = new Messaging(this, 'Messaging');
    this.bus = messaging.bus;
    this.emailConfigurationSet = messaging.email.configurationSetName;

    new CfnOutput(this, 'ApiUrl', { value: this.api.apiEndpoint });
    new CfnOutput(this, 'UserPoolId', { value: this.auth.userPool.userPoolId });
    new CfnOutput(this, 'UserPoolClientId', { value: this.auth.client.userPoolClientId });
    new CfnOutput(this, 'EventBusName', { value: this.bus.eventBusName });
  }
}
