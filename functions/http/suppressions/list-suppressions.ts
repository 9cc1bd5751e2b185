import { suppressionApi } from '../../../shared/api/contract/suppressions.ts';
import { httpHandler } from '../../../shared/runtime/http-handler.ts';
import { suppressionStore } from '../../../shared/runtime/providers/suppressions.ts';
import { listSuppressions } from '../../../shared/services/suppressions.ts';

export const handler = httpHandler(suppressionApi.listSuppressions, { suppressions: suppressionStore }, ({ deps, caller, query }) =>
  listSuppressions(deps, caller, query),
);
