/**
 * Where the marketer console is served from (Platform stack): a private S3 bucket behind a
 * CloudFront distribution that reads it with origin access control, over HTTPS only, with
 * security headers on every answer and the single-page fallback (an unknown path is index.html,
 * so /auth/callback and /contacts/ct_… load the app). The files themselves are deployed by the
 * Console stack (infra/stacks/console-stack.ts).
 *
 * Why here and not in the Console stack: the console's address is identity the rest of the
 * platform names. The API's CORS allows that origin only and Cognito's app client sends the
 * browser back to it, and both live in this stack; a distribution in a later stack could not be
 * named by them, since the Console stack already depends on this one (for /config.json).
 */
import { Aws, Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import type { ICertificate } from 'aws-cdk-lib/aws-certificatemanager';
import {
  AllowedMethods,
  CachePolicy,
  Distribution,
  HeadersFrameOption,
  HeadersReferrerPolicy,
  HttpVersion,
  PriceClass,
  ResponseHeadersPolicy,
  SecurityPolicyProtocol,
  ViewerProtocolPolicy,
} from 'aws-cdk-lib/aws-cloudfront';
import { S3BucketOrigin } from 'aws-cdk-lib/aws-cloudfront-origins';
import { BlockPublicAccess, Bucket, BucketEncryption, ObjectOwnership } from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { consoleCsp } from '../../console/build.ts';

export interface ConsoleDomain {
  /** The console's host name, such as console.example.com (its DNS record points at the distribution). */
  domainName: string;
  /** An ACM certificate for it, in us-east-1 (CloudFront's region). */
  certificate: ICertificate;
}

export interface ConsoleHostingProps {
  /**
   * Origins the console's scripts may call besides its own (the CSP's connect-src): the API's and
   * the Cognito hosted UI's. Tokens are fine.
   */
  connectSources: string[];
  /** A custom host name and certificate. @default the distribution's own https://<id>.cloudfront.net */
  domain?: ConsoleDomain;
  /** Edge locations that serve it. @default PriceClass.PRICE_CLASS_100 (North America and Europe) */
  priceClass?: PriceClass;
}

/** The console's Content-Security-Policy: one definition for npm start and AWS (console/build.ts). */
export { consoleCsp };

export class ConsoleHosting extends Construct {
  readonly bucket: Bucket;
  readonly distribution: Distribution;
  /** https://<host>, without a trailing slash: what CORS allows and Cognito sends the browser back to. */
  readonly url: string;

  constructor(scope: Construct, id: string, props: ConsoleHostingProps) {
    super(scope, id);
    // CloudFront's standard logs need ACLs on their bucket; the bucket's own access logs go there too.
    const logs = new Bucket(this, 'AccessLogs', {
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      encryption: BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      objectOwnership: ObjectOwnership.OBJECT_WRITER,
      lifecycleRules: [{ expiration: Duration.days(90) }],
      removalPolicy: RemovalPolicy.RETAIN,
    });
    Validations.of(logs).acknowledge({
      id: 'AwsSolutions-S1',
      reason: 'This is the access-log bucket itself: logging its own access would log the log deliveries.',
    });

    // The files are rebuilt from the repository on every deploy: nothing here needs keeping, but a
    // bucket with objects cannot be deleted by CloudFormation, so it stays behind like the logs.
    this.bucket = new Bucket(this, 'Files', {
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      encryption: BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      serverAccessLogsBucket: logs,
      serverAccessLogsPrefix: 'files/',
      removalPolicy: RemovalPolicy.RETAIN,
    });

    const headers = new ResponseHeadersPolicy(this, 'SecurityHeaders', {
      comment: 'Herald console: CSP, HSTS, nosniff, no framing, no referrer',
      securityHeadersBehavior: {
        contentSecurityPolicy: { contentSecurityPolicy: consoleCsp(props.connectSources), override: true },
        strictTransportSecurity: { accessControlMaxAge: Duration.days(730), includeSubdomains: true, override: true },
        contentTypeOptions: { override: true },
        frameOptions: { frameOption: HeadersFrameOption.DENY, override: true },
        referrerPolicy: { referrerPolicy: HeadersReferrerPolicy.NO_REFERRER, override: true },
      },
    });

    this.distribution = new Distribution(this, 'Cdn', {
      comment: `Herald console (${Stack.of(this).stackName})`,
      defaultRootObject: 'index.html',
      defaultBehavior: {
        // Origin access control: the bucket's policy lets only this distribution read it.
        origin: S3BucketOrigin.withOriginAccessControl(this.bucket),
        viewerProtocolPolicy: ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
        allowedMethods: AllowedMethods.ALLOW_GET_HEAD,
        cachePolicy: CachePolicy.CACHING_OPTIMIZED,
        responseHeadersPolicy: headers,
        compress: true,
      },
      // Single-page fallback. S3 answers 403 for a missing key (the distribution may not list the bucket).
      errorResponses: [403, 404].map((httpStatus) => ({
        httpStatus,
        responseHttpStatus: 200,
        responsePagePath: '/index.html',
        ttl: Duration.seconds(10),
      })),
      httpVersion: HttpVersion.HTTP2_AND_3,
      priceClass: props.priceClass ?? PriceClass.PRICE_CLASS_100,
      enableLogging: true,
      logBucket: logs,
      logFilePrefix: 'cloudfront/',
      ...(props.domain
        ? {
            domainNames: [props.domain.domainName],
            certificate: props.domain.certificate,
            minimumProtocolVersion: SecurityPolicyProtocol.TLS_V1_2_2021,
          }
        : {}),
    });
    this.url = `https://${props.domain?.domainName ?? this.distribution.distributionDomainName}`;

    const acknowledge = [
      {
        id: 'AwsSolutions-CFR1',
        reason: 'Marketers sign in from wherever they work; the API behind it checks a Cognito token on every call.',
      },
      {
        id: 'AwsSolutions-CFR2',
        reason:
          'The distribution serves static files only (no server code, nothing to inject into); a WAF web ACL costs a fixed monthly fee, and the API has its own throttling.',
      },
    ];
    if (!props.domain)
      acknowledge.push({
        id: 'AwsSolutions-CFR4',
        reason:
          'The default *.cloudfront.net certificate cannot set a minimum TLS version; give a domain and certificate (-c consoleDomain, -c consoleCertificateArn) for TLS 1.2 at least. HSTS and redirect-to-https hold either way.',
      });
    Validations.of(this.distribution).acknowledge(...acknowledge);
  }
}

/** The API's origins, for connect-src: this region's API Gateway hosts (see docs/console.md, "On AWS", for why not the one). */
export const apiGatewayOrigins = () => `https://*.execute-api.${Aws.REGION}.${Aws.URL_SUFFIX}`;
