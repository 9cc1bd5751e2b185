import { recipientApi } from '../../../shared/api/contract/recipients.ts';
import { answer } from '../../../shared/runtime/answer.ts';
import { httpHandler } from '../../../shared/runtime/http-handler.ts';
import { recipientProviders } from '../../../shared/runtime/providers/recipients.ts';
import { followShortLink } from '../../../shared/services/recipients.ts';

export const handler = httpHandler(recipientApi.followShortLink, recipientProviders, async ({ deps, path, method, allHeaders }) =>
  answer(await followShortLink(deps, path.code, { method, userAgent: allHeaders['user-agent'] })),
);
