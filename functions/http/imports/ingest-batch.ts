import { contract } from '../../../shared/api/contract.ts';
import { httpHandler } from '../../../shared/http/handler.ts';
import { ingestBatch } from '../../../shared/services/imports.ts';

export const handler = httpHandler(contract.ingestImportBatch, ({ deps, caller, path, body }) =>
  ingestBatch(deps, caller, path.importId, body),
);
