import { contactStore } from '../../../shared/runtime/providers/contacts.ts';
import { eventStore } from '../../../shared/runtime/providers/events.ts';
import { settingsStore } from '../../../shared/runtime/providers/settings.ts';
import { queueHandler } from '../../../shared/runtime/queue-handler.ts';
import { handleInboundSms } from '../../../shared/services/sms-inbound.ts';

export const handler = queueHandler(
  'inbound-sms',
  { settings: settingsStore, contacts: contactStore, events: eventStore },
  async (deps, sms) => {
    await handleInboundSms(deps, sms);
  },
);
