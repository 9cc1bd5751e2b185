import { contract } from '../../../shared/api/contract.ts';
import { httpHandler } from '../../../shared/http/handler.ts';
import { getImport } from '../../../shared/services/imports.ts';

export const handler = httpHandler(contract.getImport, ({ deps, caller, path }) => getImport(deps, caller, path.importId));
