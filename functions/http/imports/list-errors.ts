import { contract } from '../../../shared/api/contract.ts';
import { contactStore, importStore } from '../../../shared/runtime/deps.ts';
import { httpHandler } from '../../../shared/runtime/http-handler.ts';
import { listImportErrors } from '../../../shared/services/imports.ts';

export const handler = httpHandler(
  contract.listImportErrors,
  { imports: importStore, contacts: contactStore },
  ({ deps, caller, path, query }) => listImportErrors(deps, caller, path.importId, query.limit, query.cursor),
);
