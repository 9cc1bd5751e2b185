import { templateApi } from '../../../shared/api/contract/templates.ts';
import { httpHandler } from '../../../shared/runtime/http-handler.ts';
import { templateStore } from '../../../shared/runtime/providers/templates.ts';

/** Thin CRUD read: straight to the repository. */
export const handler = httpHandler(templateApi.listTemplates, { templates: templateStore }, ({ deps, caller, query }) =>
  deps.templates.list(caller.tenantId, query.limit, query.cursor),
);
