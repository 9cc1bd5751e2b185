import { contract } from '../../../shared/api/contract.ts';
import { settingsStore } from '../../../shared/runtime/deps.ts';
import { httpHandler } from '../../../shared/runtime/http-handler.ts';
import { getValueModel } from '../../../shared/services/value-model.ts';

export const handler = httpHandler(contract.getValueModel, { settings: settingsStore }, ({ deps, caller }) => getValueModel(deps, caller));
