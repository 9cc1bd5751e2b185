/**
 * The tracking secret: on AWS a Secrets Manager secret that CloudFormation generated (its ARN in
 * TRACKING_SECRET_ARN), read once per cold start; locally the value itself in TRACKING_SECRET
 * (kept in the data folder by the local runtime).
 */
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { parseSecret } from '../domain/tracking.ts';

export function createSecretSource(env: {
  TRACKING_SECRET?: string | undefined;
  TRACKING_SECRET_ARN?: string | undefined;
}): () => Promise<Uint8Array> {
  let secret: Promise<Uint8Array> | undefined;
  return () => {
    secret ??= (async () => {
      if (env.TRACKING_SECRET) return parseSecret(env.TRACKING_SECRET);
      if (!env.TRACKING_SECRET_ARN) throw new Error('Invalid configuration: neither TRACKING_SECRET nor TRACKING_SECRET_ARN is set');
      const out = await new SecretsManagerClient({}).send(new GetSecretValueCommand({ SecretId: env.TRACKING_SECRET_ARN }));
      if (!out.SecretString) throw new Error('the tracking secret is empty');
      return parseSecret(out.SecretString);
    })();
    secret.catch(() => {
      secret = undefined; // a failed read is tried again on the next request
    });
    return secret;
  };
}
