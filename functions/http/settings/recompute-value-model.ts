import { settingsApi } from '../../../shared/api/contract/settings.ts';
import { sqsQueue } from '../../../shared/runtime/providers/queue.ts';
import { httpHandler } from '../../../shared/runtime/http-handler.ts';
import { requestRecompute } from '../../../shared/services/value-model.ts';

export const handler = httpHandler(settingsApi.recomputeValueModel, { queue: sqsQueue }, ({ deps, caller }) =>
  requestRecompute(deps, caller),
);
