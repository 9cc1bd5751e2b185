import { importApi } from '../../../shared/api/contract/imports.ts';
import { contactStore } from '../../../shared/runtime/providers/contacts.ts';
import { importStore } from '../../../shared/runtime/providers/imports.ts';
import { httpHandler } from '../../../shared/runtime/http-handler.ts';
import { getImport } from '../../../shared/services/imports.ts';

export const handler = httpHandler(importApi.getImport, { imports: importStore, contacts: contactStore }, ({ deps, caller, path }) =>
  getImport(deps, caller, path.importId),
);
