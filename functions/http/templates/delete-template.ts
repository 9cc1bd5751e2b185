import { templateApi } from '../../../shared/api/contract/templates.ts';
import { httpHandler } from '../../../shared/runtime/http-handler.ts';
import { templateStore } from '../../../shared/runtime/providers/templates.ts';
import { deleteTemplate } from '../../../shared/services/templates.ts';

export const handler = httpHandler(templateApi.deleteTemplate, { templates: templateStore }, ({ deps, caller, path }) =>
  deleteTemplate(deps, caller, path.templateId),
);
