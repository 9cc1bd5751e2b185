/**
 * SMS delivery over AWS End User Messaging SMS (pinpoint-sms-voice-v2). Locally the endpoint is
 * the SMS sink (AWS_ENDPOINT_URL_PINPOINT_SMS_VOICE_V2).
 */
import { PinpointSMSVoiceV2Client, SendTextMessageCommand } from '@aws-sdk/client-pinpoint-sms-voice-v2';
import type { OutgoingText } from '../domain/message.ts';
import type { SmsPort } from '../runtime/ports.ts';
import { refusalsAsDomainErrors } from './refusals.ts';

export type { OutgoingText };

/** No SDK retries (maxAttempts 1): a retry after a lost answer would send the text again; callers retry knowingly. */
export function createSmsSender(client = new PinpointSMSVoiceV2Client({ maxAttempts: 1 }), configurationSet?: string): SmsPort {
  return {
    async send(text: OutgoingText): Promise<{ messageId: string }> {
      const out = await refusalsAsDomainErrors(
        client.send(
          new SendTextMessageCommand({
            DestinationPhoneNumber: text.to,
            MessageBody: text.body,
            OriginationIdentity: text.originationIdentity,
            ConfigurationSetName: text.configurationSet ?? configurationSet,
            ...(text.context ? { Context: text.context } : {}),
            MessageType: text.messageType ?? 'PROMOTIONAL',
          }),
        ),
      );
      return { messageId: out.MessageId ?? '' };
    },
  };
}
