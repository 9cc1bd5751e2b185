/** Messages as Herald hands them to a delivery channel. */
export interface OutgoingEmail {
  from: string;
  /** Display name; the adapter quotes or encodes it. */
  fromName?: string;
  to: string;
  subject: string;
  html: string;
  text: string;
  replyTo?: string;
  configurationSet?: string;
  /** Extra headers such as List-Unsubscribe (RFC 8058). */
  headers?: Record<string, string>;
  /** SES message tags (workspace, campaign, variant, send): they come back on every SES event. */
  tags?: Record<string, string>;
}

export interface OutgoingText {
  to: string;
  body: string;
  originationIdentity?: string;
  configurationSet?: string;
  messageType?: 'TRANSACTIONAL' | 'PROMOTIONAL';
  /** Passed through to the delivery events (workspace, campaign, send): how a receipt finds its record. */
  context?: Record<string, string>;
}

/** End User Messaging SMS events that mean a text will not arrive (counted as bounced). */
export const SMS_FAILED_EVENTS = [
  'TEXT_BLOCKED',
  'TEXT_CARRIER_BLOCKED',
  'TEXT_INVALID',
  'TEXT_INVALID_MESSAGE',
  'TEXT_UNREACHABLE',
  'TEXT_CARRIER_UNREACHABLE',
  'TEXT_TTL_EXPIRED',
  'TEXT_SPAM',
];
