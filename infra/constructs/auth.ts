/**
 * Who may call the management API: Cognito users (MFA required); the tenant is the immutable
 * custom claim `custom:tenant`. The JWT authorizer is created here, on the API, rather than on
 * the first route that uses it, so route stacks only import its id.
 *
 * The console signs in through the pool's hosted UI (console/src/auth/cognito.ts): the pool has a
 * Cognito domain, and its app client the OAuth authorization code grant (the console adds PKCE;
 * a public client, no secret) with the console's /auth/callback as its only callback URL.
 */
import { RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import { HttpAuthorizer, HttpAuthorizerType, type IHttpApi, type IHttpRouteAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2';
import {
  AccountRecovery,
  Mfa,
  OAuthScope,
  StringAttribute,
  UserPool,
  type UserPoolClient,
  UserPoolClientIdentityProvider,
  type UserPoolDomain,
} from 'aws-cdk-lib/aws-cognito';
import { Construct } from 'constructs';

export interface AuthProps {
  api: IHttpApi;
  /** The console's https:// origin: the hosted UI sends the browser back to <consoleUrl>/auth/callback. */
  consoleUrl: string;
  /**
   * The hosted UI's Cognito domain prefix (https://<prefix>.auth.<region>.amazoncognito.com):
   * lower-case letters, digits and hyphens, unique in the region across all AWS accounts.
   */
  domainPrefix: string;
}

/** Where the console's sign-in comes back, relative to its origin (console/src/auth/cognito.ts CALLBACK_PATH). */
export const CALLBACK_PATH = '/auth/callback';

export class Auth extends Construct {
  readonly userPool: UserPool;
  readonly client: UserPoolClient;
  /** The hosted UI's domain. */
  readonly domain: UserPoolDomain;
  /** For routes in any stack: binds to the JWT authorizer by id. */
  readonly routeAuthorizer: IHttpRouteAuthorizer;

  constructor(scope: Construct, id: string, props: AuthProps) {
    super(scope, id);
    this.userPool = new UserPool(this, 'Users', {
      selfSignUpEnabled: false,
      signInAliases: { email: true },
      passwordPolicy: { minLength: 12, requireDigits: true, requireLowercase: true, requireUppercase: true, requireSymbols: true },
      mfa: Mfa.REQUIRED,
      mfaSecondFactor: { otp: true, sms: false },
      accountRecovery: AccountRecovery.EMAIL_ONLY,
      customAttributes: { tenant: new StringAttribute({ mutable: false, minLen: 1, maxLen: 40 }) },
      removalPolicy: RemovalPolicy.RETAIN,
    });
    for (const rule of ['AwsSolutions-COG3', 'AwsSolutions-COG8']) {
      Validations.of(this.userPool).acknowledge({
        id: rule,
        reason: 'Threat protection needs the paid Plus feature plan; a team turns it on for its own account.',
      });
    }
    this.domain = this.userPool.addDomain('HostedUi', { cognitoDomain: { domainPrefix: props.domainPrefix } });
    this.client = this.userPool.addClient('Console', {
      authFlows: { userSrp: true },
      preventUserExistenceErrors: true,
      generateSecret: false,
      supportedIdentityProviders: [UserPoolClientIdentityProvider.COGNITO],
      oAuth: {
        flows: { authorizationCodeGrant: true },
        scopes: [OAuthScope.OPENID, OAuthScope.EMAIL, OAuthScope.PROFILE],
        callbackUrls: [`${props.consoleUrl}${CALLBACK_PATH}`],
        logoutUrls: [`${props.consoleUrl}/`],
      },
    });
    const authorizer = new HttpAuthorizer(this, 'Jwt', {
      httpApi: props.api,
      authorizerName: 'Cognito',
      type: HttpAuthorizerType.JWT,
      identitySource: ['$request.header.Authorization'],
      jwtIssuer: `https://cognito-idp.${Stack.of(this).region}.amazonaws.com/${this.userPool.userPoolId}`,
      jwtAudience: [this.client.userPoolClientId],
    });
    this.routeAuthorizer = { bind: () => ({ authorizerId: authorizer.authorizerId, authorizationType: 'JWT' }) };
  }
}
