import { contract } from '../../../shared/api/contract.ts';
import { contactStore, eventStore, settingsStore } from '../../../shared/runtime/deps.ts';
import { httpHandler } from '../../../shared/runtime/http-handler.ts';
import { ingestEvents } from '../../../shared/services/events.ts';

export const handler = httpHandler(
  contract.ingestEvents,
  { contacts: contactStore, events: eventStore, settings: settingsStore },
  ({ deps, caller, body }) => ingestEvents(deps, caller, body.events),
);
