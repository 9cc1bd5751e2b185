/**
 * The console on AWS, in the synthesized templates (bundling skipped: the console is not built
 * here): a private bucket read by CloudFront through origin access control, security headers,
 * HTTPS, the single-page fallback, /config.json, the API's CORS for the console's origin only,
 * and the Cognito hosted UI's app client. Resources are found by type and through the construct
 * tree, never by hashed logical ids.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, Stack, type CfnElement } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import type { IConstruct } from 'constructs';
import { describe, expect, it } from 'vitest';
import { CALLBACK_PATH } from '../../infra/constructs/auth.ts';
import { consoleCsp } from '../../infra/constructs/console-hosting.ts';
import { CORS_HEADERS } from '../../infra/constructs/http-api.ts';
import { buildHerald, type HeraldOptions } from '../../infra/herald.ts';
import { startConsoleServer } from '../../local/console.ts';
import { PROJECT_ROOT } from '../../local/platform.ts';

function synth(stage: string, extra: Partial<HeraldOptions> = {}) {
  const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
  return buildHerald(app, { stage, projectRoot: PROJECT_ROOT, ...extra });
}

type Resource = { Type: string; Properties: Record<string, any>; DependsOn?: string[] };
const resourcesOf = (stack: Stack, type: string) =>
  Object.values(Template.fromStack(stack).toJSON().Resources as Record<string, Resource>).filter((r) => r.Type === type);
const only = (stack: Stack, type: string) => {
  const found = resourcesOf(stack, type);
  expect(found, type).toHaveLength(1);
  return found[0]!;
};
/** `{ Ref }` or `{ Fn::GetAtt }` of a construct's CloudFormation element, as its own stack writes it. */
const logicalIdOf = (element: IConstruct) => Stack.of(element).getLogicalId(element as CfnElement);
const domainOf = (distribution: IConstruct) => ({ 'Fn::GetAtt': [logicalIdOf(distribution), 'DomainName'] });

const built = synth('web');
const platform = built.platform;
const distributionElement = platform.console.distribution.node.defaultChild!;
const consoleOrigin = { 'Fn::Join': ['', ['https://', domainOf(distributionElement)]] };

describe('console hosting (Platform stack)', () => {
  it('keeps the files in a private, encrypted, TLS-only bucket that only the distribution may read, through origin access control', () => {
    const files = Template.fromStack(platform).toJSON().Resources[logicalIdOf(platform.console.bucket.node.defaultChild!)] as Resource;
    expect(files.Properties).toMatchObject({
      PublicAccessBlockConfiguration: {
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      },
      BucketEncryption: { ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }] },
      LoggingConfiguration: expect.objectContaining({ LogFilePrefix: 'files/' }),
    });
    expect(files.Properties).not.toHaveProperty('WebsiteConfiguration');

    const policy = resourcesOf(platform, 'AWS::S3::BucketPolicy').find(
      (p) => p.Properties.Bucket.Ref === logicalIdOf(platform.console.bucket.node.defaultChild!),
    )!;
    const allows = policy.Properties.PolicyDocument.Statement.filter((s: { Effect: string }) => s.Effect === 'Allow');
    expect(allows).toEqual([
      expect.objectContaining({
        Action: 's3:GetObject',
        Principal: { Service: 'cloudfront.amazonaws.com' },
        Condition: { StringEquals: { 'AWS:SourceArn': expect.objectContaining({ 'Fn::Join': expect.anything() }) } },
      }),
    ]);
    expect(JSON.stringify(allows[0].Condition)).toContain(logicalIdOf(distributionElement));
    const denies = policy.Properties.PolicyDocument.Statement.filter((s: { Effect: string }) => s.Effect === 'Deny');
    expect(denies[0]).toMatchObject({ Condition: { Bool: { 'aws:SecureTransport': 'false' } } });

    const oac = only(platform, 'AWS::CloudFront::OriginAccessControl');
    expect(oac.Properties.OriginAccessControlConfig).toMatchObject({ OriginAccessControlOriginType: 's3', SigningBehavior: 'always' });
    const origin = only(platform, 'AWS::CloudFront::Distribution').Properties.DistributionConfig.Origins[0];
    expect(origin.OriginAccessControlId).toEqual({ 'Fn::GetAtt': [expect.any(String), 'Id'] });
    expect(origin.S3OriginConfig).toEqual({ OriginAccessIdentity: '' });
    expect(resourcesOf(platform, 'AWS::CloudFront::CloudFrontOriginAccessIdentity')).toEqual([]);
  });

  it('sends HSTS, the CSP, nosniff, frame-options deny and no referrer on every answer, HTTPS only', () => {
    const headers = only(platform, 'AWS::CloudFront::ResponseHeadersPolicy').Properties.ResponseHeadersPolicyConfig.SecurityHeadersConfig;
    expect(headers).toMatchObject({
      StrictTransportSecurity: { AccessControlMaxAgeSec: 63_072_000, IncludeSubdomains: true, Override: true },
      ContentTypeOptions: { Override: true },
      FrameOptions: { FrameOption: 'DENY', Override: true },
      ReferrerPolicy: { ReferrerPolicy: 'no-referrer', Override: true },
      ContentSecurityPolicy: { Override: true },
    });
    const csp = JSON.stringify(headers.ContentSecurityPolicy.ContentSecurityPolicy);
    expect(csp).toContain("default-src 'self'; connect-src 'self' https://*.execute-api.");
    // The hosted UI's token endpoint: the Cognito domain of this stack's pool.
    expect(csp).toContain(logicalIdOf(platform.auth.domain.node.defaultChild!));
    expect(csp).toContain("frame-ancestors 'none'");

    const behavior = only(platform, 'AWS::CloudFront::Distribution').Properties.DistributionConfig.DefaultCacheBehavior;
    expect(behavior).toMatchObject({ ViewerProtocolPolicy: 'redirect-to-https', ResponseHeadersPolicyId: { Ref: expect.any(String) } });
    expect(behavior.AllowedMethods).toEqual(['GET', 'HEAD']);
  });

  it("uses the same CSP as npm start's console server, but for the deployment's origins", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'herald-console-'));
    writeFileSync(join(dir, 'index.html'), '<!doctype html>');
    const server = await startConsoleServer({ dir, apiUrl: () => 'http://127.0.0.1:4010' });
    try {
      const local = (await fetch(`${server.url}/contacts`)).headers.get('content-security-policy');
      expect(local).toBe(consoleCsp(['http://127.0.0.1:4010']));
    } finally {
      await server.close();
    }
  });

  it('serves index.html for unknown paths (403 from the private bucket, 404), the CloudFront certificate by default, with logs', () => {
    const config = only(platform, 'AWS::CloudFront::Distribution').Properties.DistributionConfig;
    expect(config.CustomErrorResponses).toEqual([
      { ErrorCode: 403, ResponseCode: 200, ResponsePagePath: '/index.html', ErrorCachingMinTTL: 10 },
      { ErrorCode: 404, ResponseCode: 200, ResponsePagePath: '/index.html', ErrorCachingMinTTL: 10 },
    ]);
    expect(config.DefaultRootObject).toBe('index.html');
    expect(config).not.toHaveProperty('Aliases');
    expect(config.ViewerCertificate ?? { CloudFrontDefaultCertificate: true }).toMatchObject({ CloudFrontDefaultCertificate: true });
    expect(config.Logging).toMatchObject({ Prefix: 'cloudfront/' });
    Template.fromStack(platform).hasOutput('ConsoleUrl', { Value: consoleOrigin });
  });

  it("lets the API's CORS allow the console's origin only, with the headers it sends", () => {
    const cors = only(platform, 'AWS::ApiGatewayV2::Api').Properties.CorsConfiguration;
    expect(cors.AllowOrigins).toEqual([consoleOrigin]);
    expect(JSON.stringify(cors)).not.toContain('"*"');
    expect(cors.AllowHeaders).toEqual(CORS_HEADERS);
    expect(CORS_HEADERS).toEqual(['authorization', 'content-type', 'idempotency-key']);
    expect(cors.AllowMethods).toEqual(expect.arrayContaining(['GET', 'POST', 'PUT', 'PATCH', 'DELETE']));
    expect(cors.AllowCredentials).toBe(false);
  });

  it("gives the pool a hosted UI domain and the console's app client the code flow, back to the console, without a secret", () => {
    const domain = only(platform, 'AWS::Cognito::UserPoolDomain');
    expect(JSON.stringify(domain.Properties.Domain)).toContain('herald-web-');
    const client = only(platform, 'AWS::Cognito::UserPoolClient').Properties;
    expect(client).toMatchObject({
      AllowedOAuthFlows: ['code'],
      AllowedOAuthFlowsUserPoolClient: true,
      AllowedOAuthScopes: ['openid', 'email', 'profile'],
      GenerateSecret: false,
      SupportedIdentityProviders: ['COGNITO'],
      CallbackURLs: [{ 'Fn::Join': ['', ['https://', domainOf(distributionElement), '/auth/callback']] }],
      LogoutURLs: [{ 'Fn::Join': ['', ['https://', domainOf(distributionElement), '/']] }],
    });
    expect(client.AllowedOAuthFlows).not.toContain('implicit');
    // The console's own callback route is the one Cognito allows.
    expect(readFileSync(join(PROJECT_ROOT, 'console/src/auth/cognito.ts'), 'utf8')).toContain(`CALLBACK_PATH = '${CALLBACK_PATH}'`);
    const authorizer = only(platform, 'AWS::ApiGatewayV2::Authorizer').Properties;
    expect(authorizer.JwtConfiguration.Audience).toEqual([{ Ref: logicalIdOf(platform.auth.client.node.defaultChild!) }]);
  });

  it('serves a custom domain with its certificate and TLS 1.2, and names it in CORS and the callback', () => {
    const custom = synth('custom', {
      console: { domainName: 'console.example.com', certificateArn: 'arn:aws:acm:us-east-1:123456789012:certificate/abc' },
      cognitoDomainPrefix: 'acme-marketing',
    }).platform;
    const config = only(custom, 'AWS::CloudFront::Distribution').Properties.DistributionConfig;
    expect(config.Aliases).toEqual(['console.example.com']);
    expect(config.ViewerCertificate).toMatchObject({
      AcmCertificateArn: 'arn:aws:acm:us-east-1:123456789012:certificate/abc',
      MinimumProtocolVersion: 'TLSv1.2_2021',
      SslSupportMethod: 'sni-only',
    });
    expect(only(custom, 'AWS::ApiGatewayV2::Api').Properties.CorsConfiguration.AllowOrigins).toEqual(['https://console.example.com']);
    expect(only(custom, 'AWS::Cognito::UserPoolClient').Properties.CallbackURLs).toEqual(['https://console.example.com/auth/callback']);
    expect(only(custom, 'AWS::Cognito::UserPoolDomain').Properties.Domain).toBe('acme-marketing');
  });
});

describe('console files (Console stack)', () => {
  const deployments = resourcesOf(built.console, 'Custom::CDKBucketDeployment');
  const assets = deployments.find((d) => d.Properties.Prune === false)!;
  const pages = deployments.find((d) => d.Properties.Prune === true)!;
  const platformOutputs = Template.fromStack(platform).toJSON().Outputs as Record<string, { Value: unknown; Export?: { Name: string } }>;
  /** What a Platform export carries, by its name. */
  const exported = (name: string) => Object.values(platformOutputs).find((o) => o.Export?.Name === name)?.Value;

  it('uploads the hashed assets as immutable, never pruned, before the pages, which are revalidated and invalidated', () => {
    expect(deployments).toHaveLength(2);
    expect(assets.Properties).toMatchObject({
      Include: ['assets/*'],
      Exclude: ['*'],
      SystemMetadata: { 'cache-control': 'public, max-age=31536000, immutable' },
    });
    expect(pages.Properties).toMatchObject({
      Exclude: ['assets/*', '.vite/*'],
      SystemMetadata: { 'cache-control': 'no-cache' },
      DistributionPaths: ['/*'],
      DistributionId: { 'Fn::ImportValue': expect.any(String) },
    });
    expect(exported(pages.Properties.DistributionId['Fn::ImportValue'])).toEqual({ Ref: logicalIdOf(distributionElement) });
    for (const d of deployments) {
      const bucket = d.Properties.DestinationBucketName['Fn::ImportValue'];
      expect(exported(bucket)).toEqual({ Ref: logicalIdOf(platform.console.bucket.node.defaultChild!) });
    }
    const resources = Template.fromStack(built.console).toJSON().Resources as Record<string, Resource>;
    const dependsOn =
      Object.values(resources).find((r) => r.Type === 'Custom::CDKBucketDeployment' && r.Properties.Prune === true)!.DependsOn ?? [];
    expect(dependsOn.some((id) => id.startsWith('AssetsCustomResource'))).toBe(true);
    expect(built.console.dependencies).toContain(platform);
  });

  it("writes /config.json beside them: the API's URL and the Cognito pool, client, region and hosted UI domain", () => {
    const assembly = (built.console.node.root as App).synth();
    // The second source of the pages deployment is the JSON (staged even without bundling); its markers are the deploy-time values.
    const hash = (pages.Properties.SourceObjectKeys[1] as string).replace(/\.zip$/, '');
    const config = JSON.parse(readFileSync(join(assembly.directory, `asset.${hash}`, 'config.json'), 'utf8'));
    const markers = pages.Properties.SourceMarkers[1] as Record<string, { 'Fn::ImportValue': string }>;
    const markerValue = (marker: string) => exported(markers[marker]!['Fn::ImportValue']);
    expect(config.auth.kind).toBe('cognito');
    expect(markerValue(config.apiUrl)).toEqual({ 'Fn::GetAtt': [logicalIdOf(platform.api.node.defaultChild!), 'ApiEndpoint'] });
    expect(markerValue(config.auth.userPoolId)).toEqual({ Ref: logicalIdOf(platform.auth.userPool.node.defaultChild!) });
    expect(markerValue(config.auth.clientId)).toEqual({ Ref: logicalIdOf(platform.auth.client.node.defaultChild!) });
    expect(config.auth.domain).toMatch(/^https:\/\/<<marker:0xbaba:\d>>\.auth\./);
    expect(markerValue(config.auth.domain.slice(8, config.auth.domain.indexOf('.auth.')))).toEqual({
      Ref: logicalIdOf(platform.auth.domain.node.defaultChild!),
    });
    expect(Object.keys(config.auth).sort()).toEqual(['clientId', 'domain', 'kind', 'region', 'userPoolId']);
  });
});
