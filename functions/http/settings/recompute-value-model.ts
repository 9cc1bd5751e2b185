import { contract } from '../../../shared/api/contract.ts';
import { sqsQueue } from '../../../shared/runtime/deps.ts';
import { httpHandler } from '../../../shared/runtime/http-handler.ts';
import { requestRecompute } from '../../../shared/services/value-model.ts';

export const handler = httpHandler(contract.recomputeValueModel, { queue: sqsQueue }, ({ deps, caller }) => requestRecompute(deps, caller));
