/**
 * CDK app: `npm run synth` (offline) or `npx cdk deploy --all`. Every stack is checked against
 * cdk-nag's AwsSolutions rules; an unsuppressed finding fails the synth.
 * Context: `-c stage=prod` turns on deletion protection and table retention; `-c consoleDomain=<host>
 * -c consoleCertificateArn=<arn>` serves the console on its own host name; `-c cognitoDomainPrefix`
 * names the hosted UI's domain (default herald-<stage>-<account id>).
 */
import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { fileURLToPath } from 'node:url';
import { resolve } from 'node:path';
import { buildHerald } from './herald.ts';

const app = new App();
const context = (key: string) => app.node.tryGetContext(key) as string | undefined;
const consoleDomain = context('consoleDomain');
const consoleCertificateArn = context('consoleCertificateArn');
if ((consoleDomain === undefined) !== (consoleCertificateArn === undefined))
  throw new Error('give both -c consoleDomain=<host> and -c consoleCertificateArn=<ACM certificate in us-east-1>, or neither');
buildHerald(app, {
  stage: context('stage') ?? 'dev',
  projectRoot: resolve(fileURLToPath(new URL('.', import.meta.url)), '..'),
  env: { account: process.env.CDK_DEFAULT_ACCOUNT, region: process.env.CDK_DEFAULT_REGION },
  ...(consoleDomain && consoleCertificateArn ? { console: { domainName: consoleDomain, certificateArn: consoleCertificateArn } } : {}),
  ...(context('cognitoDomainPrefix') ? { cognitoDomainPrefix: context('cognitoDomainPrefix') } : {}),
});
Validations.of(app).addPlugins(new AwsSolutionsChecks(app, { verbose: true }));
