/**
 * The management HTTP API: its $default stage auto-deploys and writes JSON access logs. CORS
 * allows the console's origin only (API Gateway answers the preflight and adds the headers to
 * every answer, errors included, so the console can read the API's message).
 */
import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import { CorsHttpMethod, HttpApi, type CfnStage } from 'aws-cdk-lib/aws-apigatewayv2';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';

export interface ManagementApiProps {
  /** Origins whose pages may call the API (the console's, https://<host>); none when empty. */
  corsOrigins: string[];
}

/** The request headers the console sends: the bearer token, JSON bodies, idempotent creates. */
export const CORS_HEADERS = ['authorization', 'content-type', 'idempotency-key'];

export class ManagementApi extends Construct {
  readonly api: HttpApi;

  constructor(scope: Construct, id: string, props: ManagementApiProps) {
    super(scope, id);
    this.api = new HttpApi(this, 'Api', {
      description: 'Herald management API',
      ...(props.corsOrigins.length > 0
        ? {
            corsPreflight: {
              allowOrigins: props.corsOrigins,
              allowHeaders: CORS_HEADERS,
              allowMethods: [CorsHttpMethod.GET, CorsHttpMethod.POST, CorsHttpMethod.PUT, CorsHttpMethod.PATCH, CorsHttpMethod.DELETE],
              // Bearer tokens, not cookies: no credentials mode.
              allowCredentials: false,
              maxAge: Duration.hours(1),
            },
          }
        : {}),
    });
    const accessLogs = new LogGroup(this, 'AccessLogs', { retention: RetentionDays.ONE_MONTH, removalPolicy: RemovalPolicy.DESTROY });
    const stage = this.api.defaultStage?.node.defaultChild as CfnStage;
    // A ceiling for the whole API (429 above it), so a flood on a public link cannot take every
    // Lambda of the account; per-route limits for the recipient routes are not set yet.
    stage.defaultRouteSettings = { throttlingRateLimit: 1000, throttlingBurstLimit: 2000 };
    stage.accessLogSettings = {
      destinationArn: accessLogs.logGroupArn,
      format: JSON.stringify({
        requestId: '$context.requestId',
        ip: '$context.identity.sourceIp',
        routeKey: '$context.routeKey',
        status: '$context.status',
        latency: '$context.responseLatency',
      }),
    };
  }
}
