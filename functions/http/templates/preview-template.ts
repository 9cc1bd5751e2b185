import { templateApi } from '../../../shared/api/contract/templates.ts';
import { httpHandler } from '../../../shared/runtime/http-handler.ts';
import { contactStore } from '../../../shared/runtime/providers/contacts.ts';
import { settingsStore } from '../../../shared/runtime/providers/settings.ts';
import { templateStore } from '../../../shared/runtime/providers/templates.ts';
import { previewTemplate } from '../../../shared/services/template-authoring.ts';

export const handler = httpHandler(
  templateApi.previewTemplate,
  { templates: templateStore, contacts: contactStore, settings: settingsStore },
  ({ deps, caller, path, body }) => previewTemplate(deps, caller, path.templateId, body.contactId, body.trigger),
);
