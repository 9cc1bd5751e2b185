import { contract } from '../../../shared/api/contract.ts';
import { contactStore, importStore } from '../../../shared/runtime/deps.ts';
import { httpHandler } from '../../../shared/runtime/http-handler.ts';
import { getImport } from '../../../shared/services/imports.ts';

export const handler = httpHandler(contract.getImport, { imports: importStore, contacts: contactStore }, ({ deps, caller, path }) =>
  getImport(deps, caller, path.importId),
);
