import { contract } from '../../../shared/api/contract.ts';
import { settingsStore } from '../../../shared/runtime/deps.ts';
import { httpHandler } from '../../../shared/runtime/http-handler.ts';
import { updateValueSettings } from '../../../shared/services/value-model.ts';

export const handler = httpHandler(contract.updateValueModel, { settings: settingsStore }, ({ deps, caller, body }) =>
  updateValueSettings(deps, caller, body),
);
