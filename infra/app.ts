/**
 * CDK app: `npm run synth` (offline) or `npx cdk deploy --all`. Every stack is checked against
 * cdk-nag's AwsSolutions rules; an unsuppressed finding fails the synth.
 * Context: `-c stage=prod` turns on deletion protection and table retention.
 */
import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { fileURLToPath } from 'node:url';
import { resolve } from 'node:path';
import { buildHerald } from './herald.ts';

const app = new App();
buildHerald(app, {
  stage: (app.node.tryGetContext('stage') as string | undefined) ?? 'dev',
  projectRoot: resolve(fileURLToPath(new URL('.', import.meta.url)), '..'),
  env: { account: process.env.CDK_DEFAULT_ACCOUNT, region: process.env.CDK_DEFAULT_REGION },
});
Validations.of(app).addPlugins(new AwsSolutionsChecks(app, { verbose: true }));
