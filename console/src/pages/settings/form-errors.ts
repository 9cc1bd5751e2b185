/**
 * Errors for a form's inputs, by field path relative to the form (`from`, `topics.2.name`): the
 * API's field issues (or the client's own check against the same schema), and a 409 whose message
 * names its field (`sms.originationIdentity: … is another workspace's …`).
 */
import type * as z from 'zod';
import { ApiError } from '../../api/client.ts';

/** Field errors under `prefix` (such as `email.`), with the prefix removed. */
export function errorsUnder(error: unknown, prefix = ''): Record<string, string> {
  if (!(error instanceof ApiError)) return {};
  const all = error.fieldErrors();
  if (error.issues.length === 0) {
    const named = /^([A-Za-z][\w.]*): (.+)$/.exec(error.message);
    if (named) all[named[1] as string] = named[2] as string;
  }
  const out: Record<string, string> = {};
  for (const [field, message] of Object.entries(all)) if (field.startsWith(prefix)) out[field.slice(prefix.length)] ??= message;
  return out;
}

/** Whether an error landed on a field of the form (else the form shows it as an alert). */
export const onAField = (error: unknown, prefix = '') => Object.keys(errorsUnder(error, prefix)).length > 0;

/** A zod error's issues by path, for a check before anything is sent. */
export const issuesByPath = (error: z.ZodError): Record<string, string> => {
  const out: Record<string, string> = {};
  for (const issue of error.issues) out[issue.path.join('.')] ??= issue.message;
  return out;
};
