/**
 * Providers of the ports, each built once per cold start on first use from validated
 * configuration. Each lives in a module of its own under providers/, and a handler imports only
 * the ones it names: the repositories' modules build zod schemas when loaded, which a bundler
 * cannot drop, so one module importing every repository would put every schema in every bundle.
 * This module gathers them all for the local seed, scripts and tests.
 */
import type { Deps } from './ports.ts';
import { provide } from './provide.ts';
import { contactStore } from './providers/contacts.ts';
import { eventStore } from './providers/events.ts';
import { importStore } from './providers/imports.ts';
import { listStore } from './providers/lists.ts';
import { sqsQueue } from './providers/queue.ts';
import { segmentStore } from './providers/segments.ts';
import { settingsStore } from './providers/settings.ts';
import { templateStore } from './providers/templates.ts';
import { sesEmail } from './providers/email.ts';
import { smsSender } from './providers/sms.ts';
import { campaignStore, sendStore, triggerStore } from './providers/campaigns.ts';
import { dynamoPacer } from './providers/pacer.ts';
import { trackingTokens } from './providers/tokens.ts';
import { suppressionStore } from './providers/suppressions.ts';
import { webhookClient, webhookStore } from './providers/webhooks.ts';
import { evaluationStore } from './providers/evaluation.ts';

/** Every port, for scripts and the local seed that use many use cases. */
export const allDeps = (): Deps =>
  provide({
    contacts: contactStore,
    lists: listStore,
    imports: importStore,
    events: eventStore,
    settings: settingsStore,
    segments: segmentStore,
    templates: templateStore,
    campaigns: campaignStore,
    sends: sendStore,
    triggers: triggerStore,
    pacer: dynamoPacer,
    suppressions: suppressionStore,
    tokens: trackingTokens,
    queue: sqsQueue,
    email: sesEmail,
    sms: smsSender,
    webhooks: webhookStore,
    evaluation: evaluationStore,
    webhookClient,
  });
