import { recipientProviders } from '../../../shared/runtime/providers/recipients.ts';
import { queueHandler } from '../../../shared/runtime/queue-handler.ts';
import { unsubscribeByMail } from '../../../shared/services/recipients.ts';

export const handler = queueHandler('inbound-email', recipientProviders, async (deps, mail) => {
  await unsubscribeByMail(deps, mail.mail.commonHeaders.subject ?? '');
});
