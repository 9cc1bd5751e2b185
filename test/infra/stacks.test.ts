/** Assertions on the synthesized templates (bundling skipped; bench/bundles.ts measures bundles). */
import { App, Validations } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import { describe, expect, it } from 'vitest';
import { allFunctions, eventRules, functionId, queueConsumers, routes, schedules } from '../../functions/wiring.ts';
import { buildHerald } from '../../infra/herald.ts';
import { PROJECT_ROOT } from '../../local/platform.ts';

function synth(stage = 'test') {
  const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
  const stacks = buildHerald(app, { stage, projectRoot: PROJECT_ROOT });
  return { app, api: Template.fromStack(stacks.api), data: Template.fromStack(stacks.data), stacks };
}

const { api, data } = synth();
const functions = api.findResources('AWS::Lambda::Function');
const policies = api.findResources('AWS::IAM::Policy');

/** The IAM actions granted to the function whose handler is `entryId` (e.g. ContactsGetContact). */
function actionsOf(logicalPrefix: string): string[] {
  const policy = Object.entries(policies).find(([id]) => id.startsWith(`${logicalPrefix}Role`));
  return (policy![1].Properties.PolicyDocument.Statement as { Action: string | string[] }[]).flatMap((s) => s.Action);
}

describe('data stack', () => {
  it('has one on-demand table with PITR, the pk/sk key and GSI1', () => {
    data.resourceCountIs('AWS::DynamoDB::GlobalTable', 1);
    data.hasResourceProperties('AWS::DynamoDB::GlobalTable', {
      BillingMode: 'PAY_PER_REQUEST',
      KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }, { AttributeName: 'sk', KeyType: 'RANGE' }],
      GlobalSecondaryIndexes: [Match.objectLike({ IndexName: 'gsi1' })],
      Replicas: [Match.objectLike({ PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true } })],
    });
  });

  it('protects the production table from deletion', () => {
    const prod = synth('prod');
    prod.data.hasResourceProperties('AWS::DynamoDB::GlobalTable', { Replicas: [Match.objectLike({ DeletionProtectionEnabled: true })] });
    prod.data.hasResource('AWS::DynamoDB::GlobalTable', { DeletionPolicy: 'Retain' });
  });
});

describe('api stack', () => {
  it('has one Node.js 22 arm64 function per route, consumer and schedule', () => {
    expect(Object.keys(functions)).toHaveLength(routes.length + queueConsumers.length + schedules.length + eventRules.length);
    for (const fn of Object.values(functions)) {
      expect(fn.Properties).toMatchObject({ Runtime: 'nodejs22.x', Architectures: ['arm64'], Handler: 'index.handler' });
      expect(fn.Properties.Environment.Variables).toMatchObject({ NODE_OPTIONS: '--enable-source-maps' });
    }
  });

  it('gives each function only the configuration it uses: the table where it has access, the URLs of the queues it sends to', () => {
    const env = (id: string) => Object.entries(functions).find(([name]) => name.startsWith(id))![1].Properties.Environment.Variables;
    expect(env('ContactsGetContact')).toHaveProperty('TABLE_NAME');
    expect(env('ContactsGetContact')).not.toHaveProperty('LIST_CLEANUP_QUEUE_URL');
    expect(env('ListsDeleteList')).toHaveProperty('LIST_CLEANUP_QUEUE_URL');
    expect(env('MetaGetOpenapi')).not.toHaveProperty('TABLE_NAME');
  });

  it('creates every route of the wiring table, each with a Lambda integration', () => {
    const created = Object.values(api.findResources('AWS::ApiGatewayV2::Route')).map((r) => r.Properties.RouteKey as string);
    expect(created.sort()).toEqual(routes.map((r) => `${r.method} ${r.path}`).sort());
    api.resourceCountIs('AWS::ApiGatewayV2::Integration', routes.length);
  });

  it('puts the Cognito JWT authorizer on every route but the OpenAPI document', () => {
    for (const route of Object.values(api.findResources('AWS::ApiGatewayV2::Route'))) {
      const expected = route.Properties.RouteKey === 'GET /openapi.json' ? 'NONE' : 'JWT';
      expect(route.Properties.AuthorizationType, route.Properties.RouteKey).toBe(expected);
    }
    api.hasResourceProperties('AWS::ApiGatewayV2::Authorizer', { AuthorizerType: 'JWT', IdentitySource: ['$request.header.Authorization'] });
  });

  it('grants least privilege: reads for GET routes, writes only where needed, queue sends only to senders', () => {
    const senders = allFunctions().filter((f) => f.sends.length > 0).map((f) => functionId(f.entry));
    const pascal = (s: string) => s.replace(/(^|-)([a-z0-9])/g, (_m, _d, c: string) => c.toUpperCase());
    expect(actionsOf('ContactsGetContact')).not.toContain('dynamodb:PutItem');
    expect(actionsOf('ContactsGetContact')).toContain('dynamodb:GetItem');
    expect(actionsOf('ContactsUpsertContact')).toContain('dynamodb:PutItem');
    expect(actionsOf('MetaGetOpenapi').filter((a) => a.startsWith('dynamodb:'))).toEqual([]);
    for (const [id, policy] of Object.entries(policies)) {
      const sends = JSON.stringify(policy.Properties.PolicyDocument).includes('sqs:SendMessage');
      expect(sends, id).toBe(senders.some((fn) => id.startsWith(`${pascal(fn)}Role`)));
      expect(JSON.stringify(policy.Properties.PolicyDocument), id).not.toContain('dynamodb:Scan');
    }
  });

  it('gives every queue a dead-letter queue and its consumer partial batch failures', () => {
    api.resourceCountIs('AWS::SQS::Queue', queueConsumers.length * 2);
    api.hasResourceProperties('AWS::SQS::Queue', { RedrivePolicy: { maxReceiveCount: queueConsumers[0]!.maxReceives, deadLetterTargetArn: Match.anyValue() } });
    api.hasResourceProperties('AWS::Lambda::EventSourceMapping', { FunctionResponseTypes: ['ReportBatchItemFailures'], BatchSize: queueConsumers[0]!.batchSize });
  });

  it('runs schedules, and has the event bus and the SES configuration set', () => {
    api.hasResourceProperties('AWS::Events::Rule', { ScheduleExpression: `rate(${schedules[0]!.everyMinutes} minutes)` });
    api.resourceCountIs('AWS::Events::EventBus', 1);
    api.resourceCountIs('AWS::SES::ConfigurationSet', 1);
    api.hasResourceProperties('AWS::ApiGatewayV2::Stage', { AccessLogSettings: Match.objectLike({ DestinationArn: Match.anyValue() }) });
  });
});

describe('cdk-nag AwsSolutions', () => {
  it('passes, every finding acknowledged with a reason', () => {
    // The plugin must be added before the first synth (Template.fromStack synthesizes and caches).
    const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
    buildHerald(app, { stage: 'nag', projectRoot: PROJECT_ROOT });
    Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
    expect(() => app.synth()).not.toThrow();
  });
});
