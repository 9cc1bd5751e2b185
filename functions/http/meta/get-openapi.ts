import { openApiDocument } from '../../../shared/api/openapi.ts';
import { contract } from '../../../shared/api/contract.ts';
import { httpHandler } from '../../../shared/runtime/http-handler.ts';
import { routes } from '../../wiring.ts';

const document = openApiDocument(routes);

export const handler = httpHandler(contract.getOpenApi, {}, async () => document);
