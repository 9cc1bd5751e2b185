/**
 * Replies to the workspace's SMS numbers: STOP (and its equivalents) unsubscribes the contact with
 * that number from SMS, START subscribes it again, and every reply is kept as an `sms_reply` event
 * on the contact (idempotent by the message id). A reply to a number no workspace sends from, or
 * from a number no contact has, is ignored.
 */
import { type InboundSms, smsKeyword } from '../domain/sms-inbound.ts';
import { patchContact } from './contacts.ts';
import { answerByText, type NpsDeps } from './nps.ts';

export async function handleInboundSms(
  deps: NpsDeps,
  sms: InboundSms,
): Promise<'opted-out' | 'opted-in' | 'answered' | 'stored' | 'ignored'> {
  const tenantId = await deps.settings.smsOriginOwner(sms.destinationNumber);
  if (!tenantId) return 'ignored';
  const owners = await deps.contacts.findManyByIdentity(tenantId, [{ kind: 'phone', value: sms.originationNumber }]);
  const contactId = [...owners.values()][0];
  if (!contactId) return 'ignored';
  const now = deps.now().toISOString();
  const keyword = smsKeyword(sms.messageBody);
  await deps.events.put(tenantId, contactId, {
    eventId: `sms-${sms.inboundMessageId}`,
    type: 'sms_reply',
    at: now,
    receivedAt: now,
    properties: { body: sms.messageBody.slice(0, 1000), ...(keyword ? { keyword } : {}), to: sms.destinationNumber },
  });
  // A score (0-10) answers the contact's latest NPS text.
  if (keyword !== 'stop' && keyword !== 'start')
    return (await answerByText(deps, tenantId, contactId, sms.messageBody)) ? 'answered' : 'stored';
  const status = keyword === 'stop' ? 'unsubscribed' : 'subscribed';
  const contact = await deps.contacts.get(tenantId, contactId);
  if (contact && contact.consent.sms.status !== status) {
    await patchContact(deps, { tenantId }, contactId, {
      consent: { sms: { status, source: `sms-keyword:${sms.messageBody.trim().split(/\s+/)[0]?.toUpperCase().slice(0, 20)}` } },
    });
  }
  return keyword === 'stop' ? 'opted-out' : 'opted-in';
}
