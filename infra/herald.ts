/**
 * Builds Herald's stacks into an app; shared by infra/app.ts and the template tests.
 *
 * Stacks (a route costs ~7 resources: function, role, policy, log group, permission, integration,
 * route; CloudFormation allows 500 a stack, we keep each under RESOURCE_BUDGET):
 * - Herald-<stage>-Data: the table.
 * - Herald-<stage>-Platform: the HTTP API, Cognito and its JWT authorizer, the queues and their
 *   DLQs, the event bus, the SES configuration set, the console's bucket and CloudFront
 *   distribution. State and identity; no functions.
 * - Herald-<stage>-Console: the console's files and /config.json in that bucket.
 * - Herald-<stage>-Workers: queue consumers, schedules, event rules with their target functions.
 * - Herald-<stage>-Api-<Group>: one per first path segment (/contacts/… → Api-Contacts), its
 *   routes added to Platform's API.
 * Grouping by path rather than filling N stacks in order: a route's stack follows from its own
 * path, so adding a route never moves another one (a moved route would be created in its new
 * stack before leaving the old one, and API Gateway refuses a duplicate route key); a change to a
 * group's handlers deploys only that group; route stacks depend only on Data and Platform, so
 * they deploy in parallel. Cross-stack exports stay few, shared by every importer: the table
 * name and ARN, the API and authorizer ids, the bus name, and each queue's URL and ARN.
 */
import { Aws, CfnResource, Stack, type App, type Environment } from 'aws-cdk-lib';
import type { Route } from '../functions/wiring.ts';
import type { AppFunction } from './constructs/app-function.ts';
import type { FunctionBindings } from './constructs/wired-function.ts';
import { ConsoleStack } from './stacks/console-stack.ts';
import { DataStack } from './stacks/data-stack.ts';
import { PlatformStack } from './stacks/platform-stack.ts';
import { RoutesStack } from './stacks/routes-stack.ts';
import { WorkersStack } from './stacks/workers-stack.ts';
import { heraldWiring, type HeraldWiring } from './wiring.ts';

export type { HeraldWiring } from './wiring.ts';

export interface HeraldOptions {
  /** Prefix of the stack names, so stages deploy side by side. */
  stage: string;
  projectRoot: string;
  env?: Environment;
  /**
   * The console on a host name of its own (context `consoleDomain` and `consoleCertificateArn`, an
   * ACM certificate in us-east-1). @default the distribution's https://<id>.cloudfront.net
   */
  console?: { domainName: string; certificateArn: string };
  /** The Cognito hosted UI's domain prefix (context `cognitoDomainPrefix`). @default herald-<stage>-<account id> */
  cognitoDomainPrefix?: string;
}

/** Most resources a stack may have; synth fails above it (CloudFormation's limit is 500). */
export const RESOURCE_BUDGET = 400;

/** The route group, from the first path segment: /contacts/{id} → Contacts, /openapi.json → Openapi. */
export function routeGroup(path: string): string {
  const first = path.split('/').find((s) => s !== '') ?? '';
  const words = /^[a-z0-9-]*/i
    .exec(first)![0]
    .toLowerCase()
    .split('-')
    .filter((w) => w !== '');
  return words.length === 0 ? 'Root' : words.map((w) => w[0]!.toUpperCase() + w.slice(1)).join('');
}

const resourceCount = (stack: Stack) => stack.node.findAll().filter((c) => CfnResource.isCfnResource(c) && Stack.of(c) === stack).length;

export function buildHerald(app: App, options: HeraldOptions, wiring: HeraldWiring = heraldWiring) {
  const { env, projectRoot } = options;
  const name = (part: string) => `Herald-${options.stage}-${part}`;
  const production = options.stage === 'prod';

  const data = new DataStack(app, name('Data'), { env, production });
  const platform = new PlatformStack(app, name('Platform'), {
    env,
    queueConsumers: wiring.queueConsumers,
    production,
    cognitoDomainPrefix: options.cognitoDomainPrefix ?? `herald-${options.stage.toLowerCase()}-${Aws.ACCOUNT_ID}`,
    consoleDomain: options.console,
  });
  const bindings: FunctionBindings = {
    projectRoot,
    table: data.table,
    queues: platform.queues,
    emailConfigurationSet: platform.emailConfigurationSet,
    publicUrl: platform.api.apiEndpoint,
    trackingSecret: platform.trackingSecret,
    smsConfigurationSet: platform.smsConfigurationSet,
  };

  const hasWorkers = wiring.queueConsumers.length + wiring.schedules.length + wiring.eventRules.length > 0;
  const workers = hasWorkers ? new WorkersStack(app, name('Workers'), { env, wiring, bindings, bus: platform.bus }) : undefined;

  const consoleStack = new ConsoleStack(app, name('Console'), {
    env,
    projectRoot,
    bucketNameExport: platform.consoleBucketExport,
    distribution: platform.console.distribution,
    config: {
      api: platform.api,
      userPoolId: platform.auth.userPool.userPoolId,
      clientId: platform.auth.client.userPoolClientId,
      domain: platform.auth.domain.baseUrl(),
    },
  });

  // The bucket is imported by its export's name, which records no dependency by itself.
  consoleStack.addStackDependency(platform, 'the console bucket, imported by its export name');

  const groups = new Map<string, Route[]>();
  for (const route of wiring.routes) {
    const group = route.group ?? routeGroup(route.path);
    groups.set(group, [...(groups.get(group) ?? []), route]);
  }
  const routes = [...groups].map(
    ([group, groupRoutes]) =>
      new RoutesStack(app, name(`Api-${group}`), {
        env,
        routes: groupRoutes,
        api: platform.api,
        authorizer: platform.auth.routeAuthorizer,
        bindings,
      }),
  );

  const stacks: Stack[] = [data, platform, ...(workers ? [workers] : []), consoleStack, ...routes];
  for (const stack of stacks) {
    stack.node.addValidation({
      validate: () => {
        const count = resourceCount(stack);
        return count > RESOURCE_BUDGET
          ? [`${stack.stackName} has ${count} resources, over the budget of ${RESOURCE_BUDGET}: split its routes (infra/herald.ts)`]
          : [];
      },
    });
  }

  /** Every function: routes by route key (`GET /contacts`), others by `queue:`, `schedule:`, `rule:` and name. */
  const functions = new Map<string, AppFunction>([...(workers?.functions ?? []), ...routes.flatMap((s) => [...s.functions])]);
  return { data, platform, workers, console: consoleStack, routes, stacks, functions };
}
