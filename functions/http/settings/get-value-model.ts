import { settingsApi } from '../../../shared/api/contract/settings.ts';
import { settingsStore } from '../../../shared/runtime/providers/settings.ts';
import { httpHandler } from '../../../shared/runtime/http-handler.ts';
import { getValueModel } from '../../../shared/services/value-model.ts';

export const handler = httpHandler(settingsApi.getValueModel, { settings: settingsStore }, ({ deps, caller }) =>
  getValueModel(deps, caller),
);
