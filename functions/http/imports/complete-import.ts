import { contract } from '../../../shared/api/contract.ts';
import { contactStore, importStore } from '../../../shared/runtime/deps.ts';
import { httpHandler } from '../../../shared/runtime/http-handler.ts';
import { completeImport } from '../../../shared/services/imports.ts';

export const handler = httpHandler(contract.completeImport, { imports: importStore, contacts: contactStore }, ({ deps, caller, path }) =>
  completeImport(deps, caller, path.importId),
);
