import { BusEvent } from '../../shared/domain/event.ts';
import { contactStore } from '../../shared/runtime/providers/contacts.ts';
import { eventStore } from '../../shared/runtime/providers/events.ts';
import { settingsStore } from '../../shared/runtime/providers/settings.ts';
import { campaignStore, triggerStore } from '../../shared/runtime/providers/campaigns.ts';
import { sqsQueue } from '../../shared/runtime/providers/queue.ts';
import { eventHandler } from '../../shared/runtime/queue-handler.ts';
import { ingestBusEvent } from '../../shared/services/events.ts';

export const handler = eventHandler(
  BusEvent,
  {
    contacts: contactStore,
    events: eventStore,
    settings: settingsStore,
    triggers: triggerStore,
    campaigns: campaignStore,
    queue: sqsQueue,
  },
  (deps, detail) => ingestBusEvent(deps, detail, 'refund'),
);
