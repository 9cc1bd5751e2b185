import { queues } from '../../wiring.ts';
import { senderOptions, senderProviders } from '../../../shared/runtime/providers/campaign-sender.ts';
import { smsSender } from '../../../shared/runtime/providers/sms.ts';
import { batchQueueHandler } from '../../../shared/runtime/queue-handler.ts';
import { deliverBatch } from '../../../shared/services/campaign-delivery.ts';

const options = { maxReceives: queues['campaign-sms'].maxReceives, ...senderOptions() };

export const handler = batchQueueHandler('campaign-sms', { ...senderProviders, sms: smsSender }, async (deps, messages) => {
  return (await deliverBatch(deps, 'sms', messages, options)).failed;
});
