import { BusEvent } from '../../shared/domain/event.ts';
import { eventIngestProviders } from '../../shared/runtime/providers/ingest.ts';
import { eventHandler } from '../../shared/runtime/queue-handler.ts';
import { ingestBusEvent } from '../../shared/services/events.ts';

export const handler = eventHandler(BusEvent, eventIngestProviders, (deps, detail) => ingestBusEvent(deps, detail, undefined));
