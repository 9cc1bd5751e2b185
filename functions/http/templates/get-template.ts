import { templateApi } from '../../../shared/api/contract/templates.ts';
import { httpHandler } from '../../../shared/runtime/http-handler.ts';
import { templateStore } from '../../../shared/runtime/providers/templates.ts';
import { getTemplate } from '../../../shared/services/templates.ts';

export const handler = httpHandler(templateApi.getTemplate, { templates: templateStore }, ({ deps, caller, path }) =>
  getTemplate(deps, caller, path.templateId),
);
