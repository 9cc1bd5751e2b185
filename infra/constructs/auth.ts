/**
 * Who may call the management API: Cognito users (MFA required); the tenant is the immutable
 * custom claim `custom:tenant`. The JWT authorizer is created here, on the API, rather than on
 * the first route that uses it, so route stacks only import its id.
 */
import { RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import { HttpAuthorizer, HttpAuthorizerType, type IHttpApi, type IHttpRouteAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2';
import { AccountRecovery, Mfa, StringAttribute, UserPool, type UserPoolClient } from 'aws-cdk-lib/aws-cognito';
import { Construct } from 'constructs';

export class Auth extends Construct {
  readonly userPool: UserPool;
  readonly client: UserPoolClient;
  /** For routes in any stack: binds to the JWT authorizer by id. */
  readonly routeAuthorizer: IHttpRouteAuthorizer;

  constructor(scope: Construct, id: string, props: { api: IHttpApi }) {
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
    this.client = this.userPool.addClient('Console', { authFlows: { userSrp: true }, preventUserExistenceErrors: true });
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
