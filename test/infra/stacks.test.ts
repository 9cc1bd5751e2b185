/**
 * Assertions on the synthesized templates (bundling skipped; bench/bundles.ts measures bundles).
 * Resources are found through the construct tree (a function's own logical ids), never by
 * guessing hashed logical ids.
 */
import { App, Stack, Validations, type CfnElement } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import type { IConstruct } from 'constructs';
import { describe, expect, it } from 'vitest';
import { accessOf, type Route } from '../../functions/wiring.ts';
import type { AppFunction } from '../../infra/constructs/app-function.ts';
import { buildHerald, RESOURCE_BUDGET, routeGroup, type HeraldWiring } from '../../infra/herald.ts';
import { heraldWiring } from '../../infra/wiring.ts';
import { PROJECT_ROOT } from '../../local/platform.ts';
import type { OperationId } from '../../shared/api/contract.ts';
import { queueUrlEnv, type QueueName } from '../../shared/api/messages.ts';

const { routes, queueConsumers, schedules } = heraldWiring;

function synth(stage = 'test', wiring?: HeraldWiring) {
  const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
  return buildHerald(app, { stage, projectRoot: PROJECT_ROOT }, wiring);
}

type Resource = { Type: string; Properties: Record<string, any> };
const templateOf = (stack: Stack) => Template.fromStack(stack);
const resourcesIn = (stack: Stack) => templateOf(stack).toJSON().Resources as Record<string, Resource>;
/** Every resource of a type across all stacks. */
const resourcesOf = (stacks: Stack[], type: string) => stacks.flatMap((s) => Object.values(resourcesIn(s))).filter((r) => r.Type === type);
/** The template resource of a construct's CloudFormation element. */
function cfnOf(element: IConstruct | undefined): Resource {
  const stack = Stack.of(element!);
  return resourcesIn(stack)[stack.getLogicalId(element as CfnElement)]!;
}
const envOf = (fn: AppFunction): Record<string, unknown> => cfnOf(fn.node.defaultChild).Properties.Environment.Variables;
const policyOf = (fn: AppFunction) => cfnOf(fn.role!.node.findChild('DefaultPolicy').node.defaultChild).Properties.PolicyDocument;
type Statement = { Action: string | string[]; Resource: unknown };
const statementsOf = (fn: AppFunction) => policyOf(fn).Statement as Statement[];
const actionsOf = (fn: AppFunction): string[] => statementsOf(fn).flatMap((s) => s.Action);
/** How many queues a function may send to. */
const sendTargetsOf = (fn: AppFunction) =>
  statementsOf(fn)
    .filter((s) => [s.Action].flat().includes('sqs:SendMessage'))
    .reduce((n, s) => n + [s.Resource].flat().length, 0);

/**
 * What the wiring declares for each function, by the keys `buildHerald` returns them under.
 * `failedEvents`: an event rule's function also sends its failed invocations to a dead-letter queue.
 */
function declared(wiring: HeraldWiring) {
  return new Map<string, { table: 'none' | 'public' | 'read' | 'write'; sends: readonly QueueName[]; failedEvents?: true }>([
    ...wiring.routes.map((r) => [`${r.method} ${r.path}`, { table: accessOf(r), sends: r.sends ?? [] }] as const),
    ...wiring.queueConsumers.map((c) => [`queue:${c.queue}`, { table: 'write', sends: c.sends ?? [] }] as const),
    ...wiring.schedules.map((s) => [`schedule:${s.name}`, { table: 'write', sends: s.sends ?? [] }] as const),
    ...wiring.eventRules.map((e) => [`rule:${e.name}`, { table: 'write', sends: e.sends ?? [], failedEvents: true }] as const),
  ]);
}

/** 70 more routes over seven new path groups, all on one real handler (no bundling in tests). */
function syntheticWiring(): HeraldWiring {
  const groups = ['campaigns', 'segments', 'events', 'templates', 'journeys', 'reports', 'webhooks'];
  const queue = queueConsumers[0]!.queue;
  const fake: Route[] = Array.from({ length: 70 }, (_, i) => ({
    method: (['GET', 'POST', 'PATCH', 'DELETE'] as const)[i % 4]!,
    path: `/${groups[i % groups.length]}/r${i}/{id}`,
    operation: `fakeOperation${i}` as OperationId,
    entry: 'functions/http/contacts/get-contact.ts',
    ...(i % 5 === 0 ? { sends: [queue] } : {}),
  }));
  return {
    ...heraldWiring,
    routes: [...routes, ...fake],
    eventRules: [
      { name: 'purchase-made', source: 'herald.test', detailType: 'PurchaseMade', entry: 'functions/schedules/expire-imports.ts' },
    ],
  };
}

const real = synth();
const synthetic = syntheticWiring();
const scale = synth('scale', synthetic);
const fnOf = (key: string) => real.functions.get(key)!;
const route = (operation: string) => routes.find((r) => r.operation === operation)!;
const keyOf = (r: Route) => `${r.method} ${r.path}`;

describe('data stack', () => {
  it('has one on-demand table with PITR, the pk/sk key and GSI1', () => {
    const data = templateOf(real.data);
    data.resourceCountIs('AWS::DynamoDB::GlobalTable', 1);
    data.hasResourceProperties('AWS::DynamoDB::GlobalTable', {
      BillingMode: 'PAY_PER_REQUEST',
      KeySchema: [
        { AttributeName: 'pk', KeyType: 'HASH' },
        { AttributeName: 'sk', KeyType: 'RANGE' },
      ],
      GlobalSecondaryIndexes: [Match.objectLike({ IndexName: 'gsi1' })],
      Replicas: [Match.objectLike({ PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true } })],
    });
  });

  it('protects the production table from deletion', () => {
    const prod = templateOf(synth('prod').data);
    prod.hasResourceProperties('AWS::DynamoDB::GlobalTable', { Replicas: [Match.objectLike({ DeletionProtectionEnabled: true })] });
    prod.hasResource('AWS::DynamoDB::GlobalTable', { DeletionPolicy: 'Retain' });
  });
});

describe('stack layout', () => {
  it('has Data, Platform, Workers, Console and one Api-<Group> stack per first path segment (or named group)', () => {
    const groups = [...new Set(routes.map((r) => r.group ?? routeGroup(r.path)))];
    expect(real.stacks.map((s) => s.stackName)).toEqual(
      ['Data', 'Platform', 'Workers', 'Console', ...groups.map((g) => `Api-${g}`)].map((n) => `Herald-test-${n}`),
    );
    for (const stack of real.routes) {
      const group = stack.stackName.replace('Herald-test-Api-', '');
      expect([...stack.functions.keys()].sort()).toEqual(
        routes
          .filter((r) => (r.group ?? routeGroup(r.path)) === group)
          .map(keyOf)
          .sort(),
      );
    }
  });

  it('names route groups after the first path segment', () => {
    expect(routeGroup('/contacts/{contactId}/export')).toBe('Contacts');
    expect(routeGroup('/openapi.json')).toBe('Openapi');
    expect(routeGroup('/sms-senders')).toBe('SmsSenders');
    expect(routeGroup('/{tenant}/x')).toBe('Root');
  });

  it(`keeps every stack under ${RESOURCE_BUDGET} resources (CloudFormation allows 500)`, () => {
    for (const stack of real.stacks) expect(Object.keys(resourcesIn(stack)).length, stack.stackName).toBeLessThan(RESOURCE_BUDGET);
  });

  it('scales: 70 more routes in seven new groups keep every stack under budget', () => {
    expect(scale.functions.size).toBe(declared(synthetic).size);
    expect(scale.functions.size).toBeGreaterThan(90);
    expect(scale.routes).toHaveLength(new Set(synthetic.routes.map((r) => r.group ?? routeGroup(r.path))).size);
    for (const stack of scale.stacks) expect(Object.keys(resourcesIn(stack)).length, stack.stackName).toBeLessThan(RESOURCE_BUDGET);
    expect(resourcesOf(scale.stacks, 'AWS::ApiGatewayV2::Route')).toHaveLength(synthetic.routes.length);
  });

  it('fails the synth when one route group outgrows the budget', () => {
    const crowded: Route[] = Array.from({ length: 60 }, (_, i) => ({
      method: 'GET',
      path: `/crowded/r${i}`,
      operation: `crowded${i}` as OperationId,
      entry: 'functions/http/contacts/get-contact.ts',
    }));
    const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
    buildHerald(app, { stage: 'crowded', projectRoot: PROJECT_ROOT }, { ...heraldWiring, routes: crowded });
    expect(() => app.synth()).toThrow(/Herald-crowded-Api-Crowded has \d+ resources, over the budget/);
  });
});

describe('functions', () => {
  it('has one Node.js 22 arm64 function per route, consumer, schedule and event rule', () => {
    // The Console stack's one function is CDK's BucketDeployment handler (test/infra/console.test.ts).
    const functions = resourcesOf(
      real.stacks.filter((s) => s !== real.console),
      'AWS::Lambda::Function',
    );
    expect(functions).toHaveLength(declared(heraldWiring).size);
    expect(real.functions.size).toBe(functions.length);
    for (const fn of functions) {
      expect(fn.Properties).toMatchObject({ Runtime: 'nodejs22.x', Architectures: ['arm64'], Handler: 'index.handler' });
      expect(fn.Properties.Environment.Variables).toMatchObject({ NODE_OPTIONS: '--enable-source-maps' });
    }
  });

  const builds = [
    ['real', real, heraldWiring],
    ['synthetic', scale, synthetic],
  ] as const;

  it.each(builds)(
    'gives each function only the configuration it uses: the table where it has access, the URLs of the queues it sends to (%s)',
    (_label, build, wiring) => {
      for (const [key, wants] of declared(wiring)) {
        const env = envOf(build.functions.get(key)!);
        expect('TABLE_NAME' in env, key).toBe(wants.table !== 'none');
        expect(
          Object.keys(env)
            .filter((k) => k.endsWith('_QUEUE_URL'))
            .sort(),
          key,
        ).toEqual(wants.sends.map(queueUrlEnv).sort());
      }
    },
  );

  it('configures the known cases', () => {
    expect(envOf(fnOf(keyOf(route('deleteList'))))).toHaveProperty('LIST_CLEANUP_QUEUE_URL');
    expect(envOf(fnOf(keyOf(route('getContact'))))).not.toHaveProperty('LIST_CLEANUP_QUEUE_URL');
    expect(envOf(fnOf(keyOf(route('getOpenApi'))))).not.toHaveProperty('TABLE_NAME');
    expect(actionsOf(fnOf(keyOf(route('getContact'))))).toContain('dynamodb:GetItem');
    expect(actionsOf(fnOf(keyOf(route('getContact'))))).not.toContain('dynamodb:PutItem');
    expect(actionsOf(fnOf(keyOf(route('upsertContact'))))).toContain('dynamodb:PutItem');
  });

  it('lets only functions that deliver messages send email or SMS, with the configuration set', () => {
    const testSend = fnOf(keyOf(route('testSendTemplate')));
    expect(actionsOf(testSend)).toEqual(expect.arrayContaining(['ses:SendEmail', 'sms-voice:SendTextMessage']));
    expect(envOf(testSend)).toHaveProperty('EMAIL_CONFIGURATION_SET');
    for (const r of routes.filter((x) => !x.delivers)) {
      expect(
        actionsOf(fnOf(keyOf(r))).filter((x) => x.startsWith('ses:') || x.startsWith('sms-voice:')),
        keyOf(r),
      ).toEqual([]);
    }
  });

  it('lets the campaign senders send on their own channel only, read the SES rate, and know the public URL of links', () => {
    const email = fnOf('queue:campaign-email');
    const sms = fnOf('queue:campaign-sms');
    expect(actionsOf(email)).toEqual(expect.arrayContaining(['ses:SendEmail', 'ses:GetAccount']));
    expect(actionsOf(email).filter((a) => a.startsWith('sms-voice:'))).toEqual([]);
    expect(actionsOf(sms)).toContain('sms-voice:SendTextMessage');
    expect(actionsOf(sms).filter((a) => a.startsWith('ses:'))).toEqual([]);
    expect(envOf(email)).toHaveProperty('PUBLIC_URL');
    expect(envOf(email)).toHaveProperty('EMAIL_CONFIGURATION_SET');
    expect(actionsOf(fnOf('queue:campaign-audience')).filter((a) => a.startsWith('ses:') || a.startsWith('sms-voice:'))).toEqual([]);
  });

  it('publishes SES events to the default bus, where the ses-* rules take them to the campaigns', () => {
    const stacks = [...real.stacks];
    const destinations = resourcesOf(stacks, 'AWS::SES::ConfigurationSetEventDestination');
    expect(destinations).toHaveLength(1);
    expect(destinations[0]?.Properties.EventDestination.MatchingEventTypes).toEqual(
      expect.arrayContaining(['bounce', 'complaint', 'delivery']),
    );
    const rules = resourcesOf(stacks, 'AWS::Events::Rule').filter((r) => r.Properties.EventPattern?.source?.[0] === 'aws.ses');
    expect(rules.map((r) => r.Properties.EventPattern['detail-type'][0]).sort()).toEqual([
      'Email Bounced',
      'Email Complaint Received',
      'Email Delivered',
    ]);
    for (const rule of rules) expect(JSON.stringify(rule.Properties.EventBusName ?? 'default')).toContain('default');
  });

  it.each(builds)(
    'grants least privilege: reads for GET routes, writes only where needed, queue sends only to senders, never Scan (%s)',
    (_label, build, wiring) => {
      for (const [key, wants] of declared(wiring)) {
        const fn = build.functions.get(key)!;
        const actions = actionsOf(fn);
        const dynamo = actions.filter((a) => a.startsWith('dynamodb:'));
        if (wants.table === 'none') expect(dynamo, key).toEqual([]);
        if (wants.table === 'read')
          expect(
            dynamo.filter((a) => /Put|Update|Delete|Write|ConditionCheck/.test(a)),
            key,
          ).toEqual([]);
        expect(actions, key).not.toContain('dynamodb:Scan');
        expect(sendTargetsOf(fn), key).toBe(wants.sends.length + (wants.failedEvents ? 1 : 0));
      }
    },
  );
});

describe('HTTP API', () => {
  const platform = templateOf(real.platform);

  it('creates every route of the wiring table in its group stack, each with a Lambda integration', () => {
    const created = resourcesOf(real.routes, 'AWS::ApiGatewayV2::Route').map((r) => r.Properties.RouteKey as string);
    expect(created.sort()).toEqual(routes.map(keyOf).sort());
    expect(resourcesOf(real.routes, 'AWS::ApiGatewayV2::Integration')).toHaveLength(routes.length);
    expect(resourcesOf([real.platform], 'AWS::ApiGatewayV2::Route')).toEqual([]);
  });

  it('puts the Cognito JWT authorizer on every route but the public ones', () => {
    for (const r of resourcesOf(real.routes, 'AWS::ApiGatewayV2::Route')) {
      const wired = routes.find((w) => keyOf(w) === r.Properties.RouteKey)!;
      expect(r.Properties.AuthorizationType, r.Properties.RouteKey).toBe(
        accessOf(wired) === 'none' || accessOf(wired) === 'public' ? 'NONE' : 'JWT',
      );
    }
    platform.resourceCountIs('AWS::ApiGatewayV2::Authorizer', 1);
    platform.hasResourceProperties('AWS::ApiGatewayV2::Authorizer', {
      AuthorizerType: 'JWT',
      IdentitySource: ['$request.header.Authorization'],
    });
  });

  it('has a $default stage with access logs, and outputs the URL and Cognito ids', () => {
    platform.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
      StageName: '$default',
      AutoDeploy: true,
      AccessLogSettings: Match.objectLike({ DestinationArn: Match.anyValue() }),
    });
    for (const output of ['ApiUrl', 'UserPoolId', 'UserPoolClientId', 'EventBusName']) platform.hasOutput(output, {});
  });
});

describe('queues, schedules, messaging', () => {
  it('gives every queue a dead-letter queue (Platform) and its consumer partial batch failures (Workers)', () => {
    const platform = templateOf(real.platform);
    platform.resourceCountIs('AWS::SQS::Queue', queueConsumers.length * 2);
    platform.hasResourceProperties('AWS::SQS::Queue', {
      RedrivePolicy: { maxReceiveCount: queueConsumers[0]!.maxReceives, deadLetterTargetArn: Match.anyValue() },
    });
    templateOf(real.workers!).hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      BatchSize: queueConsumers[0]!.batchSize,
    });
  });

  it('runs schedules, and has the event bus and the SES configuration set', () => {
    templateOf(real.workers!).hasResourceProperties('AWS::Events::Rule', {
      ScheduleExpression: `rate(${schedules[0]!.everyMinutes} minutes)`,
    });
    const platform = templateOf(real.platform);
    platform.resourceCountIs('AWS::Events::EventBus', 1);
    platform.resourceCountIs('AWS::SES::ConfigurationSet', 1);
  });

  it('delivers bus events with retries and dead-letter queues, for both the delivery and the function', () => {
    const { workers, functions } = scale;
    const template = templateOf(workers!);
    const rule = synthetic.eventRules[0]!;
    template.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: { source: [rule.source], 'detail-type': [rule.detailType] },
      Targets: [
        Match.objectLike({
          DeadLetterConfig: { Arn: Match.anyValue() },
          RetryPolicy: { MaximumRetryAttempts: 185, MaximumEventAgeInSeconds: 86400 },
        }),
      ],
    });
    template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
      FunctionName: { Ref: Stack.of(workers!).getLogicalId(functions.get(`rule:${rule.name}`)!.node.defaultChild as CfnElement) },
      MaximumRetryAttempts: 2,
      DestinationConfig: { OnFailure: { Destination: Match.anyValue() } },
    });
  });
});

describe('cdk-nag AwsSolutions', () => {
  const nag = (stage: string, wiring?: HeraldWiring) => {
    // The plugin must be added before the first synth (Template.fromStack synthesizes and caches).
    const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
    buildHerald(app, { stage, projectRoot: PROJECT_ROOT }, wiring);
    Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
    return () => app.synth();
  };

  it('passes, every finding acknowledged with a reason', () => {
    expect(nag('nag')).not.toThrow();
  });

  it('passes with event rules and many more routes', () => {
    expect(nag('nagscale', synthetic)).not.toThrow();
  });
});
