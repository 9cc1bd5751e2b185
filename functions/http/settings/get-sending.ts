import { settingsApi } from '../../../shared/api/contract/settings.ts';
import { httpHandler } from '../../../shared/runtime/http-handler.ts';
import { settingsStore } from '../../../shared/runtime/providers/settings.ts';
import { getSendingSettings } from '../../../shared/services/value-model.ts';

export const handler = httpHandler(settingsApi.getSendingSettings, { settings: settingsStore }, ({ deps, caller }) =>
  getSendingSettings(deps, caller),
);
