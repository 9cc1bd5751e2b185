import { BusEvent } from '../../shared/domain/event.ts';
import { contactStore, eventStore, settingsStore } from '../../shared/runtime/deps.ts';
import { eventHandler } from '../../shared/runtime/queue-handler.ts';
import { ingestBusEvent } from '../../shared/services/events.ts';

export const handler = eventHandler(BusEvent, { contacts: contactStore, events: eventStore, settings: settingsStore }, (deps, detail) =>
  ingestBusEvent(deps, detail, 'purchase'),
);
