/**
 * The process-wide dependencies of a function, built once per cold start from validated
 * configuration. Tests and the local runtime set the same environment variables as CDK does.
 */
import { ulid } from 'ulid';
import { createSqsQueue } from '../aws/queue.ts';
import { FunctionEnv, loadEnv } from '../config/env.ts';
import { documentClient } from '../db/client.ts';
import { createContactRepo } from '../db/contact-repo.ts';
import { createImportRepo } from '../db/import-repo.ts';
import { createListRepo } from '../db/list-repo.ts';
import type { Deps } from '../services/deps.ts';

let built: (Deps & { defaultTenant: string }) | undefined;

export function runtimeDeps(): Deps & { defaultTenant: string } {
  if (built) return built;
  const env = loadEnv(FunctionEnv);
  const doc = documentClient();
  built = {
    contacts: createContactRepo(doc, env.TABLE_NAME),
    lists: createListRepo(doc, env.TABLE_NAME),
    imports: createImportRepo(doc, env.TABLE_NAME),
    queue: createSqsQueue({ 'list-cleanup': env.LIST_CLEANUP_QUEUE_URL }),
    now: () => new Date(),
    newId: () => ulid().toLowerCase(),
    defaultTenant: env.DEFAULT_TENANT,
  };
  return built;
}
