import { importApi } from '../../../shared/api/contract/imports.ts';
import { contactStore } from '../../../shared/runtime/providers/contacts.ts';
import { importStore } from '../../../shared/runtime/providers/imports.ts';
import { httpHandler } from '../../../shared/runtime/http-handler.ts';
import { listImportErrors } from '../../../shared/services/imports.ts';

export const handler = httpHandler(
  importApi.listImportErrors,
  { imports: importStore, contacts: contactStore },
  ({ deps, caller, path, query }) => listImportErrors(deps, caller, path.importId, query.limit, query.cursor),
);
