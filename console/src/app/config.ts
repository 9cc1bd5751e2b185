/**
 * Runtime configuration, read from `/config.json` beside the built files, so one build runs
 * anywhere: `npm start` serves it from local/console.ts; on AWS the hosting stack writes it next
 * to the files (API URL, Cognito pool and client).
 */
import * as z from 'zod';

export const AuthConfig = z.discriminatedUnion('kind', [
  /** The local platform: the bearer token `npm start` prints. */
  z.object({ kind: z.literal('local') }),
  /**
   * A deployment: the Cognito user pool, its app client (public, no secret) and the hosted UI's
   * domain (https://<prefix>.auth.<region>.amazoncognito.com, or a custom one); auth/cognito.ts.
   */
  z.object({
    kind: z.literal('cognito'),
    region: z.string().min(1),
    userPoolId: z.string().min(1),
    clientId: z.string().min(1),
    domain: z
      .url()
      .transform((u) => u.replace(/\/+$/, ''))
      .optional(),
  }),
]);
export type AuthConfig = z.infer<typeof AuthConfig>;

export const ConsoleConfig = z.object({
  /** The API's base URL, without a trailing slash. */
  apiUrl: z.url().transform((u) => u.replace(/\/+$/, '')),
  auth: AuthConfig,
});
export type ConsoleConfig = z.infer<typeof ConsoleConfig>;

export async function loadConfig(url = '/config.json'): Promise<ConsoleConfig> {
  const res = await fetch(url, { cache: 'no-store' });
  if (!res.ok) throw new Error(`${url} answered ${res.status}: the console cannot find its API`);
  const parsed = ConsoleConfig.safeParse(await res.json());
  if (!parsed.success) throw new Error(`${url} is not a console configuration: ${z.prettifyError(parsed.error)}`);
  return parsed.data;
}
