import { recipientApi } from '../../../shared/api/contract/recipients.ts';
import { answer } from '../../../shared/runtime/answer.ts';
import { httpHandler } from '../../../shared/runtime/http-handler.ts';
import { recipientProviders } from '../../../shared/runtime/providers/recipients.ts';
import { followLink } from '../../../shared/services/recipients.ts';

export const handler = httpHandler(recipientApi.followLink, recipientProviders, async ({ deps, path, method, allHeaders }) =>
  answer(await followLink(deps, path.token, { method, userAgent: allHeaders['user-agent'] })),
);
