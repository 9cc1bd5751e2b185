import { Badge } from '@mantine/core';
import type { ConsentStatus } from '@shared/domain/contact.ts';

const COLOR: Record<ConsentStatus, string> = { subscribed: 'green', unsubscribed: 'red', unknown: 'gray' };

/** A consent status as a badge; the word, not only the colour, carries the meaning. */
export function ConsentBadge({ label, status }: { label?: string; status: ConsentStatus }) {
  return (
    <Badge color={COLOR[status]} variant="light" radius="sm" tt="none">
      {label ? `${label}: ${status}` : status}
    </Badge>
  );
}
