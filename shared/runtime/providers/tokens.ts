import { createSecretSource } from '../../aws/secrets.ts';
import { TrackingEnv, loadEnv } from '../../config/env.ts';
import { signToken, verifyToken } from '../../domain/tracking.ts';
import { once } from '../provide.ts';
import type { TokenPort } from '../ports.ts';

export const trackingTokens = /* @__PURE__ */ once((): TokenPort => {
  const secret = createSecretSource(loadEnv(TrackingEnv));
  return {
    sign: async (claims) => signToken(await secret(), claims),
    signer: async () => {
      const key = await secret();
      return (claims) => signToken(key, claims);
    },
    verify: async (token) => verifyToken(await secret(), token),
  };
});
