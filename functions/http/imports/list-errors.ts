import { contract } from '../../../shared/api/contract.ts';
import { httpHandler } from '../../../shared/http/handler.ts';
import { listImportErrors } from '../../../shared/services/imports.ts';

export const handler = httpHandler(contract.listImportErrors, ({ deps, caller, path, query }) =>
  listImportErrors(deps, caller, path.importId, query.limit, query.cursor),
);
