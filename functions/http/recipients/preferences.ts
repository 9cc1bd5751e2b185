import { recipientApi } from '../../../shared/api/contract/recipients.ts';
import { answer } from '../../../shared/runtime/answer.ts';
import { httpHandler } from '../../../shared/runtime/http-handler.ts';
import { recipientProviders } from '../../../shared/runtime/providers/recipients.ts';
import { settingsStore } from '../../../shared/runtime/providers/settings.ts';
import { preferences } from '../../../shared/services/recipients.ts';

/** GET shows the page; POST saves it. */
export const handler = httpHandler(
  recipientApi.savePreferences,
  { ...recipientProviders, settings: settingsStore },
  async ({ deps, path, method, rawBody, allHeaders }) => {
    const action = `/p/${encodeURIComponent(path.token)}`;
    return answer(await preferences(deps, path.token, { method, contentType: allHeaders['content-type'], body: rawBody, action }));
  },
);
