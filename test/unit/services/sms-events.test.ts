/** SMS delivery receipts: delivered and failed once per send, by the context the sender set; anything else ignored. */
import { describe, expect, it } from 'vitest';
import { recordSmsEvent, SmsEvent } from '../../../shared/services/sms-events.ts';
import { fakeDeps } from '../../helpers/fakes.ts';

const tenantId = 't-sms-events';
const campaignId = 'cp_0000000000000000000000000a';
const contactId = 'ct_0000000000000000000000000b';
const sendId = `${campaignId}.${contactId}`;

describe('recordSmsEvent', () => {
  it('notes a delivery once, a final failure as bounced with its type, and ignores events of no send', async () => {
    const deps = fakeDeps();
    const at = new Date().toISOString();
    deps.world.sends
      .of(tenantId)
      .set(sendId, { sendId, campaignId, contactId, status: 'sent', variant: 'A', channel: 'sms', createdAt: at, updatedAt: at });
    const event = (eventType: string, context: Record<string, string> = { workspace: tenantId, send: sendId }) =>
      SmsEvent.parse({ eventType, context });
    expect(await recordSmsEvent(deps, event('TEXT_DELIVERED'))).toBe('recorded');
    expect(await recordSmsEvent(deps, event('TEXT_DELIVERED'))).toBe('repeat');
    expect(await recordSmsEvent(deps, event('TEXT_CARRIER_UNREACHABLE'))).toBe('recorded');
    expect(await recordSmsEvent(deps, event('TEXT_QUEUED'))).toBe('ignored');
    expect(await recordSmsEvent(deps, event('TEXT_DELIVERED', {}))).toBe('ignored');
    expect(await deps.campaigns.counts(tenantId, campaignId)).toEqual({ 'delivered#A': 1, 'bounced#A': 1 });
    const [record] = (await deps.sends.getMany(tenantId, campaignId, [contactId])).values();
    expect(record?.bounceType).toBe('TEXT_CARRIER_UNREACHABLE');
  });
});
