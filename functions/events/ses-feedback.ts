import { campaignStore, sendStore } from '../../shared/runtime/providers/campaigns.ts';
import { eventHandler } from '../../shared/runtime/queue-handler.ts';
import { recordSesEvent, SesEventDetail } from '../../shared/services/campaign-feedback.ts';

export const handler = eventHandler(SesEventDetail, { sends: sendStore, campaigns: campaignStore }, (deps, detail) =>
  recordSesEvent(deps, detail),
);
