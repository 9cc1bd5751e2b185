import { contract } from '../../../shared/api/contract.ts';
import { httpHandler } from '../../../shared/http/handler.ts';
import { completeImport } from '../../../shared/services/imports.ts';

export const handler = httpHandler(contract.completeImport, ({ deps, caller, path }) => completeImport(deps, caller, path.importId));
