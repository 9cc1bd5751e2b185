/**
 * The ports a use case needs, passed in as one object so tests and the local runtime can supply
 * their own clock or ids while using the real repositories.
 */
import type { ContactRepo } from '../db/contact-repo.ts';
import type { ImportRepo } from '../db/import-repo.ts';
import type { ListRepo } from '../db/list-repo.ts';

/** Queues that use cases hand work to; the wiring table names their consumers. */
export type QueueName = 'list-cleanup';

export interface QueuePort {
  send(queue: QueueName, message: Record<string, unknown>): Promise<void>;
}

export interface Deps {
  contacts: ContactRepo;
  lists: ListRepo;
  imports: ImportRepo;
  queue: QueuePort;
  now: () => Date;
  newId: () => string;
}

/** The authenticated caller's workspace; every use case is scoped by it. */
export interface Caller {
  tenantId: string;
}
