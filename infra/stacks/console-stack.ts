/**
 * The console's files (console/dist) in the Platform stack's bucket, with `/config.json` beside
 * them (the API's URL and the Cognito settings: console/src/app/config.ts), then a CloudFront
 * invalidation. Its own stack, so that a change to a page deploys only this.
 *
 * How synth gets console/dist: the asset is "bundled" locally by console/build.ts, which builds it
 * with Vite when it is missing or older than its sources (a few seconds; nothing when fresh, as
 * after `npm start`), then copies it. No Docker. Tests skip bundling (`aws:cdk:bundling-stacks`),
 * so the template tests never build the console.
 *
 * Two deployments, because caching differs: the hashed files under assets/ are immutable and
 * never pruned (a tab still open on the previous index.html keeps loading its chunks); the rest
 * (index.html, config.json, zod-config.js) must be revalidated on every load.
 */
import { cpSync } from 'node:fs';
import { join } from 'node:path';
import {
  AssetHashType,
  DefaultStackSynthesizer,
  DockerImage,
  Fn,
  RemovalPolicy,
  Stack,
  Token,
  Validations,
  type StackProps,
} from 'aws-cdk-lib';
import type { IHttpApi } from 'aws-cdk-lib/aws-apigatewayv2';
import type { IDistribution } from 'aws-cdk-lib/aws-cloudfront';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Bucket } from 'aws-cdk-lib/aws-s3';
import { BucketDeployment, CacheControl, Source } from 'aws-cdk-lib/aws-s3-deployment';
import type { Construct } from 'constructs';
import { ensureConsoleBuilt } from '../../console/build.ts';

export interface ConsoleStackProps extends StackProps {
  projectRoot: string;
  /**
   * The export that names the Platform stack's console bucket (an export of our own naming, so that
   * the deployment role's cdk-nag findings name it predictably), and its distribution.
   */
  bucketNameExport: string;
  distribution: IDistribution;
  /** What /config.json tells the console. */
  config: {
    api: IHttpApi;
    userPoolId: string;
    clientId: string;
    /** The hosted UI, https://<prefix>.auth.<region>.amazoncognito.com. */
    domain: string;
  };
}

export class ConsoleStack extends Stack {
  constructor(scope: Construct, id: string, props: ConsoleStackProps) {
    super(scope, id, props);
    const { projectRoot } = props;
    const bucket = Bucket.fromBucketName(this, 'Files', Fn.importValue(props.bucketNameExport));
    const files = Source.asset(join(projectRoot, 'console'), {
      assetHashType: AssetHashType.OUTPUT,
      bundling: {
        local: {
          tryBundle(outputDir) {
            ensureConsoleBuilt(projectRoot, (line) => process.stderr.write(`${line}\n`));
            cpSync(join(projectRoot, 'console/dist'), outputDir, { recursive: true });
            return true;
          },
        },
        // Never used (the local build either works or fails the synth); BundlingOptions requires one.
        image: DockerImage.fromRegistry('node:22'),
        command: ['sh', '-c', 'echo "the console is built locally (console/build.ts), not in Docker" >&2; exit 1'],
      },
    });
    const config = Source.jsonData('config.json', {
      apiUrl: props.config.api.apiEndpoint,
      auth: {
        kind: 'cognito',
        region: this.region,
        userPoolId: props.config.userPoolId,
        clientId: props.config.clientId,
        domain: props.config.domain,
      },
    });
    const logGroup = new LogGroup(this, 'DeployLogs', { retention: RetentionDays.ONE_MONTH, removalPolicy: RemovalPolicy.DESTROY });

    const assets = new BucketDeployment(this, 'Assets', {
      sources: [files],
      destinationBucket: bucket,
      exclude: ['*'],
      include: ['assets/*'],
      prune: false,
      cacheControl: [CacheControl.fromString('public, max-age=31536000, immutable')],
      memoryLimit: 512,
      logGroup,
    });
    const pages = new BucketDeployment(this, 'Pages', {
      sources: [files, config],
      destinationBucket: bucket,
      // Not assets/ (the deployment above has them; so not pruned here), nor Vite's build manifest.
      exclude: ['assets/*', '.vite/*'],
      cacheControl: [CacheControl.fromString('no-cache')],
      distribution: props.distribution,
      distributionPaths: ['/*'],
      memoryLimit: 512,
      logGroup,
    });
    // index.html names chunks that must be there before it is.
    pages.node.addDependency(assets);

    this.acknowledgeDeploymentFunction(props.bucketNameExport);
  }

  /**
   * The BucketDeployment custom resource's function and role are CDK's (one per stack), their
   * statements written by aws-cdk-lib: what they are, finding by finding.
   */
  private acknowledgeDeploymentFunction(bucketNameExport: string) {
    const fn = this.node.children.find((c) => c.node.id.startsWith('Custom::CDKBucketDeployment'));
    const role = fn?.node.tryFindChild('ServiceRole');
    const policy = role?.node.tryFindChild('DefaultPolicy');
    if (!fn || !role || !policy) return;
    Validations.of(fn).acknowledge({
      id: 'AwsSolutions-L1',
      reason: "The runtime of CDK's BucketDeployment function (Python, with the AWS CLI layer) is aws-cdk-lib's choice, pinned with it.",
    });
    const region = Token.isUnresolved(this.region) ? '<AWS::Region>' : this.region;
    const account = Token.isUnresolved(this.account) ? '<AWS::AccountId>' : this.account;
    const assets = `cdk-${DefaultStackSynthesizer.DEFAULT_QUALIFIER}-assets-${account}-${region}`;
    Validations.of(role).acknowledge({
      id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
      reason: "CDK's BucketDeployment function writes its logs with the AWS managed AWSLambdaBasicExecutionRole policy.",
    });
    const objects =
      "CDK's BucketDeployment function syncs objects: it reads the CDK asset bucket and writes the console bucket, object by object.";
    Validations.of(policy).acknowledge(
      ...['s3:GetBucket*', 's3:GetObject*', 's3:List*', 's3:Abort*', 's3:DeleteObject*'].map((action) => ({
        id: `AwsSolutions-IAM5[Action::${action}]`,
        reason: objects,
      })),
      { id: `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:s3:::${assets}/*]`, reason: objects },
      { id: `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:s3:::${bucketNameExport}/*]`, reason: objects },
      {
        id: 'AwsSolutions-IAM5[Resource::*]',
        reason:
          'cloudfront:CreateInvalidation and GetInvalidation, after the upload, support no resource-level permission in the statement CDK writes.',
      },
    );
  }
}
