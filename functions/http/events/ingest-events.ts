import { eventApi } from '../../../shared/api/contract/events.ts';
import { httpHandler } from '../../../shared/runtime/http-handler.ts';
import { eventIngestProviders } from '../../../shared/runtime/providers/ingest.ts';
import { ingestEvents } from '../../../shared/services/events.ts';

export const handler = httpHandler(eventApi.ingestEvents, eventIngestProviders, ({ deps, caller, body }) =>
  ingestEvents(deps, caller, body.events),
);
