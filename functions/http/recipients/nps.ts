import { recipientApi } from '../../../shared/api/contract/recipients.ts';
import { answer } from '../../../shared/runtime/answer.ts';
import { httpHandler } from '../../../shared/runtime/http-handler.ts';
import { npsLinkProviders } from '../../../shared/runtime/providers/nps.ts';
import { npsLink } from '../../../shared/services/nps.ts';

/** GET records a person's answer (a scanner gets a button); POST records the button's answer or a comment. */
export const handler = httpHandler(recipientApi.answerNps, npsLinkProviders, async ({ deps, path, method, rawBody, allHeaders }) => {
  const request = { method, userAgent: allHeaders['user-agent'], contentType: allHeaders['content-type'], body: rawBody };
  return answer(await npsLink(deps, path.token, { ...request, action: `/n/${encodeURIComponent(path.token)}` }));
});
