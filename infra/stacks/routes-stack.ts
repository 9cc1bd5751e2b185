/**
 * The routes of one API path group (/contacts/…): per route a function, its integration and the
 * route itself, added to the shared HTTP API of the Platform stack (its $default stage
 * auto-deploys, so a route stack deploys on its own).
 */
import { Stack, Validations, type StackProps } from 'aws-cdk-lib';
import {
  HttpMethod,
  HttpNoneAuthorizer,
  HttpRoute,
  HttpRouteKey,
  type IHttpApi,
  type IHttpRouteAuthorizer,
} from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import type { Construct } from 'constructs';
import { accessOf, type Route } from '../../functions/wiring.ts';
import type { AppFunction } from '../constructs/app-function.ts';
import { pascal, wiredFunction, type FunctionBindings } from '../constructs/wired-function.ts';

export interface RoutesStackProps extends StackProps {
  routes: readonly Route[];
  api: IHttpApi;
  /** For every route whose access is not 'none'. */
  authorizer: IHttpRouteAuthorizer;
  bindings: FunctionBindings;
}

const TABLE_ACCESS = { none: 'none', public: 'RW', read: 'RO', write: 'RW' } as const;

export class RoutesStack extends Stack {
  /** By route key: `GET /contacts/{contactId}`. */
  readonly functions = new Map<string, AppFunction>();

  constructor(scope: Construct, id: string, props: RoutesStackProps) {
    super(scope, id, props);
    for (const route of props.routes) {
      const access = accessOf(route);
      // Named after the operation, which is unique, unlike the handler module.
      const name = pascal(route.operation);
      const fn = wiredFunction(this, name, props.bindings, {
        entry: route.entry,
        table: TABLE_ACCESS[access],
        sends: route.sends,
        delivers: route.delivers,
        tokens: access === 'public',
      });
      const httpRoute = new HttpRoute(this, `${name}Route`, {
        httpApi: props.api,
        routeKey: HttpRouteKey.with(route.path, HttpMethod[route.method]),
        integration: new HttpLambdaIntegration('Integration', fn),
        authorizer: access === 'none' || access === 'public' ? new HttpNoneAuthorizer() : props.authorizer,
      });
      if (access === 'public') {
        Validations.of(httpRoute).acknowledge({
          id: 'AwsSolutions-APIG4',
          reason:
            "Reached by a message's recipients (access 'public'): every request carries an HMAC-signed token naming what it may touch.",
        });
      }
      if (access === 'none') {
        Validations.of(httpRoute).acknowledge({
          id: 'AwsSolutions-APIG4',
          reason: "Public by design (access 'none'): no token and no table access, e.g. the OpenAPI description.",
        });
      }
      this.functions.set(`${route.method} ${route.path}`, fn);
    }
  }
}
