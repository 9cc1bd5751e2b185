import { settingsApi } from '../../../shared/api/contract/settings.ts';
import { settingsStore } from '../../../shared/runtime/providers/settings.ts';
import { httpHandler } from '../../../shared/runtime/http-handler.ts';
import { updateValueSettings } from '../../../shared/services/value-model.ts';

export const handler = httpHandler(settingsApi.updateValueModel, { settings: settingsStore }, ({ deps, caller, body }) =>
  updateValueSettings(deps, caller, body),
);
