import { templateApi } from '../../../shared/api/contract/templates.ts';
import { httpHandler } from '../../../shared/runtime/http-handler.ts';
import { templateStore } from '../../../shared/runtime/providers/templates.ts';
import { updateTemplate } from '../../../shared/services/template-authoring.ts';

export const handler = httpHandler(templateApi.updateTemplate, { templates: templateStore }, ({ deps, caller, path, body }) =>
  updateTemplate(deps, caller, path.templateId, body),
);
