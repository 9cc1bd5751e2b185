import { queues } from '../../wiring.ts';
import { senderOptions, senderProviders } from '../../../shared/runtime/providers/campaign-sender.ts';
import { sesEmail } from '../../../shared/runtime/providers/email.ts';
import { batchQueueHandler } from '../../../shared/runtime/queue-handler.ts';
import { deliverBatch } from '../../../shared/services/campaign-delivery.ts';

const options = { maxReceives: queues['campaign-email'].maxReceives, ...senderOptions() };

export const handler = batchQueueHandler('campaign-email', { ...senderProviders, email: sesEmail }, async (deps, messages) => {
  return (await deliverBatch(deps, 'email', messages, options)).failed;
});
