/** Builds Herald's stacks into an app; shared by infra/app.ts and the template tests. */
import type { App, Environment } from 'aws-cdk-lib';
import { ApiStack } from './stacks/api-stack.ts';
import { DataStack } from './stacks/data-stack.ts';

export interface HeraldOptions {
  /** Prefix of the stack names, so stages deploy side by side. */
  stage: string;
  projectRoot: string;
  env?: Environment;
}

export function buildHerald(app: App, options: HeraldOptions) {
  const production = options.stage === 'prod';
  const data = new DataStack(app, `Herald-${options.stage}-Data`, { env: options.env, production });
  const api = new ApiStack(app, `Herald-${options.stage}-Api`, { env: options.env, table: data.table, projectRoot: options.projectRoot });
  return { data, api };
}
