import { contract } from '../../../shared/api/contract.ts';
import { contactStore, importStore } from '../../../shared/runtime/deps.ts';
import { httpHandler } from '../../../shared/runtime/http-handler.ts';
import { ingestBatch } from '../../../shared/services/imports.ts';

export const handler = httpHandler(
  contract.ingestImportBatch,
  { imports: importStore, contacts: contactStore },
  ({ deps, caller, path, body }) => ingestBatch(deps, caller, path.importId, body),
);
