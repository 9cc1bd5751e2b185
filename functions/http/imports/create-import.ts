import { contract } from '../../../shared/api/contract.ts';
import { httpHandler } from '../../../shared/http/handler.ts';
import { createImport } from '../../../shared/services/imports.ts';

export const handler = httpHandler(contract.createImport, ({ deps, caller, body }) => createImport(deps, caller, body));
