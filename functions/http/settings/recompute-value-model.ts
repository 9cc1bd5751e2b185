import { contract } from '../../../shared/api/contract.ts';
import { contactStore, settingsStore } from '../../../shared/runtime/deps.ts';
import { httpHandler } from '../../../shared/runtime/http-handler.ts';
import { recomputeBoundaries } from '../../../shared/services/value-model.ts';

export const handler = httpHandler(contract.recomputeValueModel, { contacts: contactStore, settings: settingsStore }, ({ deps, caller }) =>
  recomputeBoundaries(deps, caller.tenantId),
);
