import { templateApi } from '../../../shared/api/contract/templates.ts';
import { httpHandler } from '../../../shared/runtime/http-handler.ts';
import { contactStore } from '../../../shared/runtime/providers/contacts.ts';
import { sesEmail } from '../../../shared/runtime/providers/email.ts';
import { settingsStore } from '../../../shared/runtime/providers/settings.ts';
import { smsSender } from '../../../shared/runtime/providers/sms.ts';
import { templateStore } from '../../../shared/runtime/providers/templates.ts';
import { testSendTemplate } from '../../../shared/services/template-authoring.ts';

export const handler = httpHandler(
  templateApi.testSendTemplate,
  { templates: templateStore, contacts: contactStore, settings: settingsStore, email: sesEmail, sms: smsSender },
  ({ deps, caller, path, body }) => testSendTemplate(deps, caller, path.templateId, body),
);
