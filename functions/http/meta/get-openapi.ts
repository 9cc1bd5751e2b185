import { openApiDocument } from '../../../shared/api/openapi.ts';
import { metaApi } from '../../../shared/api/contract/meta.ts';
import { httpHandler } from '../../../shared/runtime/http-handler.ts';
import { routes } from '../../wiring.ts';

const document = openApiDocument(routes);

export const handler = httpHandler(metaApi.getOpenApi, {}, async () => document);
