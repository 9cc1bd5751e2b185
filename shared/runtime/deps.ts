/**
 * Providers of the ports, each built once per cold start on first use from validated
 * configuration. Handlers import the providers they need and nothing else: each is a pure
 * module-level value, so esbuild drops the adapters (and their SDK clients) a function never names.
 */
import { createSqsQueue } from '../aws/queue.ts';
import { TableEnv, loadEnv } from '../config/env.ts';
import { documentClient } from '../db/client.ts';
import { createContactRepo } from '../db/contact-repo.ts';
import { createImportRepo } from '../db/import-repo.ts';
import { createListRepo } from '../db/list-repo.ts';
import { createEventRepo } from '../db/event-repo.ts';
import { createSegmentRepo } from '../db/segment-repo.ts';
import { createSettingsRepo } from '../db/settings-repo.ts';
import type { Deps } from './ports.ts';
import { once, provide } from './provide.ts';

const table = /* @__PURE__ */ once(() => ({ doc: documentClient(), name: loadEnv(TableEnv).TABLE_NAME }));

export const contactStore = /* @__PURE__ */ once(() => createContactRepo(table().doc, table().name));
export const listStore = /* @__PURE__ */ once(() => createListRepo(table().doc, table().name));
export const importStore = /* @__PURE__ */ once(() => createImportRepo(table().doc, table().name));
export const eventStore = /* @__PURE__ */ once(() => createEventRepo(table().doc, table().name));
export const settingsStore = /* @__PURE__ */ once(() => createSettingsRepo(table().doc, table().name));
export const segmentStore = /* @__PURE__ */ once(() => createSegmentRepo(table().doc, table().name));
export const sqsQueue = /* @__PURE__ */ once(() => createSqsQueue());

/** Every port, for scripts and the local seed that use many use cases. */
export const allDeps = (): Deps =>
  provide({
    contacts: contactStore,
    lists: listStore,
    imports: importStore,
    events: eventStore,
    settings: settingsStore,
    segments: segmentStore,
    queue: sqsQueue,
  });
