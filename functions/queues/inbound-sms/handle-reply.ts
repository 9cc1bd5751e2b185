import { npsAnswerProviders } from '../../../shared/runtime/providers/nps.ts';
import { queueHandler } from '../../../shared/runtime/queue-handler.ts';
import { handleInboundSms } from '../../../shared/services/sms-inbound.ts';

export const handler = queueHandler('inbound-sms', npsAnswerProviders, async (deps, sms) => {
  await handleInboundSms(deps, sms);
});
