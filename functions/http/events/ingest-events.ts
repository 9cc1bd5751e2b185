import { eventApi } from '../../../shared/api/contract/events.ts';
import { contactStore } from '../../../shared/runtime/providers/contacts.ts';
import { eventStore } from '../../../shared/runtime/providers/events.ts';
import { settingsStore } from '../../../shared/runtime/providers/settings.ts';
import { campaignStore, triggerStore } from '../../../shared/runtime/providers/campaigns.ts';
import { sqsQueue } from '../../../shared/runtime/providers/queue.ts';
import { httpHandler } from '../../../shared/runtime/http-handler.ts';
import { ingestEvents } from '../../../shared/services/events.ts';

export const handler = httpHandler(
  eventApi.ingestEvents,
  {
    contacts: contactStore,
    events: eventStore,
    settings: settingsStore,
    triggers: triggerStore,
    campaigns: campaignStore,
    queue: sqsQueue,
  },
  ({ deps, caller, body }) => ingestEvents(deps, caller, body.events),
);
