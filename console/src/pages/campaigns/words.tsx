/** Campaign statuses and reasons in words, and the status badge (the word is always there: never colour alone). */
import { Badge } from '@mantine/core';
import type { CampaignStatus, SendStatus } from '@shared/domain/campaign.ts';

const STATUS_COLOR: Record<CampaignStatus, string> = {
  draft: 'gray',
  scheduled: 'violet',
  sending: 'blue',
  paused: 'yellow',
  completed: 'green',
  cancelled: 'gray',
  failed: 'red',
};

export function StatusBadge({ status, label }: { status: CampaignStatus; label?: string }) {
  return (
    <Badge color={STATUS_COLOR[status]} variant="light">
      {label ?? status}
    </Badge>
  );
}

/** Why a recipient was skipped (SkipReason), as a marketer would say it. */
export const SKIP_REASONS: Record<string, string> = {
  no_consent: 'No consent or no address on the channel',
  suppressed: 'Suppressed (bounced or complained)',
  topic_unsubscribed: 'Not subscribed to the topic',
  frequency_cap: 'Over the frequency cap',
  invalid_address: 'Address refused by the channel',
  contact_erased: 'Contact erased',
};

/** Why a message failed (FailReason). */
export const FAIL_REASONS: Record<string, string> = {
  render_error: 'Template could not be rendered',
  refused: 'Refused by the channel',
  dead_letter: 'Failed every retry',
};

/** What each recipient status means (the recipients filter). */
export const SEND_STATUSES: Record<SendStatus, string> = {
  queued: 'Queued',
  deferred: 'Deferred (quiet hours or local time)',
  sent: 'Sent',
  failed: 'Failed',
  skipped: 'Skipped',
  holdout: 'Holdout (no message)',
  unknown: 'Unknown (may have been sent)',
  cancelled: 'Cancelled',
};

export const reasonText = (reason: string, table: Record<string, string>) => table[reason] ?? reason.replaceAll('_', ' ');

export const CHANNELS: Record<string, string> = {
  email: 'Email',
  sms: 'SMS',
  preferred: "Each contact's preferred channel (else the other)",
};

export const CHANNEL_SHORT: Record<string, string> = { email: 'Email', sms: 'SMS', preferred: 'Preferred' };

export const percent = (part: number, whole: number) => (whole > 0 ? Math.round((part / whole) * 1000) / 10 : 0);
export const count = (n: number) => n.toLocaleString();

/** A quiet-hours window, `21:00–08:00`. */
export const quietText = (q: { start: string; end: string } | undefined) => (q ? `${q.start}–${q.end}` : 'none set');
