/** Replies to the workspace's SMS numbers: STOP and START, stored replies, and what is ignored. */
import { describe, expect, it } from 'vitest';
import { Conflict } from '../../../shared/domain/errors.ts';
import { smsKeyword } from '../../../shared/domain/sms-inbound.ts';
import { upsertContact } from '../../../shared/services/contacts.ts';
import { handleInboundSms } from '../../../shared/services/sms-inbound.ts';
import { updateSendingSettings } from '../../../shared/services/value-model.ts';
import { failure } from '../../helpers/campaign-world.ts';
import { fakeDeps } from '../../helpers/fakes.ts';

const caller = { tenantId: 't-sms' };
const reply = (body: string, id = body) => ({
  originationNumber: '+447700900123',
  destinationNumber: '+15550100',
  messageBody: body,
  inboundMessageId: id,
});

describe('smsKeyword', () => {
  it('reads the first word, any case, punctuation aside', () => {
    expect(['STOP', 'stop', ' Stop.', 'UNSUBSCRIBE me', 'opt-out', 'Cancel!'].map(smsKeyword)).toEqual([
      'stop',
      'stop',
      'stop',
      'stop',
      'stop',
      'stop',
    ]);
    expect(['START', 'unstop', 'Yes'].map(smsKeyword)).toEqual(['start', 'start', 'start']);
    expect(['HELP', 'thanks!', 'Please stop', ''].map(smsKeyword)).toEqual(['help', undefined, undefined, undefined]);
  });
});

describe('handleInboundSms', () => {
  it('STOP unsubscribes the contact from SMS with the keyword as source; START subscribes it; each reply is kept once', async () => {
    const deps = fakeDeps();
    await updateSendingSettings(deps, caller, { sms: { originationIdentity: '+15550100' } });
    const { contact } = await upsertContact(deps, caller, { phone: '+447700900123', consent: { sms: { status: 'subscribed' } } });
    expect(await handleInboundSms(deps, reply('Stop'))).toBe('opted-out');
    expect((await deps.contacts.get(caller.tenantId, contact.contactId))?.consent.sms).toMatchObject({
      status: 'unsubscribed',
      source: 'sms-keyword:STOP',
    });
    expect(await handleInboundSms(deps, reply('Stop'))).toBe('opted-out'); // redelivered: nothing more changes
    expect(await handleInboundSms(deps, reply('START'))).toBe('opted-in');
    expect(await handleInboundSms(deps, reply('Is the sale on Sunday too?'))).toBe('stored');
    const { events, consentHistory } = await deps.contacts.contents(caller.tenantId, contact.contactId);
    expect(consentHistory.filter((e) => e.channel === 'sms').map((e) => e.to)).toEqual(['subscribed', 'unsubscribed', 'subscribed']);
    expect(events.filter((e) => e.type === 'sms_reply').map((e) => e.properties?.body)).toEqual(
      expect.arrayContaining(['Stop', 'START', 'Is the sale on Sunday too?']),
    );
  });

  it('ignores replies to numbers no workspace sends from, and from numbers no contact has', async () => {
    const deps = fakeDeps();
    expect(await handleInboundSms(deps, reply('STOP'))).toBe('ignored');
    await updateSendingSettings(deps, caller, { sms: { originationIdentity: '+15550100' } });
    expect(await handleInboundSms(deps, reply('STOP'))).toBe('ignored');
  });

  it('one origination identity belongs to one workspace (409 for another)', async () => {
    const deps = fakeDeps();
    await updateSendingSettings(deps, caller, { sms: { originationIdentity: '+15550100' } });
    expect(await failure(updateSendingSettings(deps, { tenantId: 'other' }, { sms: { originationIdentity: '+15550100' } }))).toBeInstanceOf(
      Conflict,
    );
  });
});
