import { settingsApi } from '../../../shared/api/contract/settings.ts';
import { httpHandler } from '../../../shared/runtime/http-handler.ts';
import { settingsStore } from '../../../shared/runtime/providers/settings.ts';
import { updateSendingSettings } from '../../../shared/services/value-model.ts';

export const handler = httpHandler(settingsApi.updateSendingSettings, { settings: settingsStore }, ({ deps, caller, body }) =>
  updateSendingSettings(deps, caller, body),
);
