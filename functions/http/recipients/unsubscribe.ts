import { recipientApi } from '../../../shared/api/contract/recipients.ts';
import { answer } from '../../../shared/runtime/answer.ts';
import { httpHandler } from '../../../shared/runtime/http-handler.ts';
import { recipientProviders } from '../../../shared/runtime/providers/recipients.ts';
import { unsubscribe, unsubscribeForm } from '../../../shared/services/recipients.ts';

/** GET asks; POST (one-click, or the page's button) unsubscribes. */
export const handler = httpHandler(recipientApi.unsubscribe, recipientProviders, async ({ deps, path, method, rawBody, allHeaders }) => {
  if (method !== 'POST') return answer(await unsubscribeForm(deps, path.token, `/u/${encodeURIComponent(path.token)}`));
  const preferences = async (claims: Parameters<typeof deps.tokens.sign>[0]) =>
    `/p/${encodeURIComponent(await deps.tokens.sign({ ...claims, kind: 'preferences', link: undefined }))}`;
  return answer(await unsubscribe(deps, path.token, { contentType: allHeaders['content-type'], body: rawBody, preferences }));
});
