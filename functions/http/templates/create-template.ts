import { templateApi } from '../../../shared/api/contract/templates.ts';
import { WithStatus, httpHandler } from '../../../shared/runtime/http-handler.ts';
import { templateStore } from '../../../shared/runtime/providers/templates.ts';
import { createTemplate } from '../../../shared/services/template-authoring.ts';

export const handler = httpHandler(templateApi.createTemplate, { templates: templateStore }, async ({ deps, caller, headers, body }) => {
  const { template, created } = await createTemplate(deps, caller, body, headers['idempotency-key']);
  return new WithStatus(created ? 201 : 200, template);
});
