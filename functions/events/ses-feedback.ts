import { campaignStore, sendStore } from '../../shared/runtime/providers/campaigns.ts';
import { contactStore } from '../../shared/runtime/providers/contacts.ts';
import { sqsQueue } from '../../shared/runtime/providers/queue.ts';
import { suppressionStore } from '../../shared/runtime/providers/suppressions.ts';
import { webhookStore } from '../../shared/runtime/providers/webhooks.ts';
import { eventHandler } from '../../shared/runtime/queue-handler.ts';
import { recordSesEvent, SesEventDetail } from '../../shared/services/campaign-feedback.ts';

export const handler = eventHandler(
  SesEventDetail,
  {
    sends: sendStore,
    campaigns: campaignStore,
    suppressions: suppressionStore,
    contacts: contactStore,
    webhooks: webhookStore,
    queue: sqsQueue,
  },
  (deps, detail) => recordSesEvent(deps, detail),
);
