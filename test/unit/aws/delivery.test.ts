/** The delivery adapters' own rules: display names in headers, and which SDK errors are refusals. */
import { describe, expect, it } from 'vitest';
import { displayName } from '../../../shared/aws/email.ts';
import { refusalsAsDomainErrors } from '../../../shared/aws/refusals.ts';
import { DeliveryRefused } from '../../../shared/domain/errors.ts';
import { SendingSettings } from '../../../shared/domain/sending.ts';

const sdkError = (name: string, status: number) =>
  Object.assign(new Error(`${name} happened`), { name, $metadata: { httpStatusCode: status } });

describe('displayName', () => {
  it('quotes an ASCII name and RFC 2047-encodes any other', () => {
    expect(displayName('Shop')).toBe('"Shop"');
    expect(displayName('Zoë')).toBe(`=?UTF-8?B?${Buffer.from('Zoë').toString('base64')}?=`);
  });

  it('is never given a name that could add a header: the settings refuse line breaks and address characters', () => {
    for (const fromName of ['Evil\r\nBcc: x@y.z', 'Acme, Inc <x@evil.com>']) {
      expect(SendingSettings.safeParse({ email: { from: 'a@b.example', fromName } }).success, fromName).toBe(false);
    }
  });
});

describe('refusalsAsDomainErrors', () => {
  it('turns a 4xx refusal into DeliveryRefused, and lets throttling and faults through for a retry', async () => {
    await expect(refusalsAsDomainErrors(Promise.reject(sdkError('MessageRejected', 400)))).rejects.toBeInstanceOf(DeliveryRefused);
    await expect(refusalsAsDomainErrors(Promise.reject(sdkError('TooManyRequestsException', 429)))).rejects.not.toBeInstanceOf(
      DeliveryRefused,
    );
    await expect(refusalsAsDomainErrors(Promise.reject(sdkError('ThrottlingException', 400)))).rejects.not.toBeInstanceOf(DeliveryRefused);
    await expect(refusalsAsDomainErrors(Promise.reject(sdkError('InternalFailure', 500)))).rejects.not.toBeInstanceOf(DeliveryRefused);
    await expect(refusalsAsDomainErrors(Promise.resolve('ok'))).resolves.toBe('ok');
  });
});
