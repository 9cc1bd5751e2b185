/** Totals across a campaign's variants, from its live counts (CampaignCounts). */
import { type CampaignCounts, finishedCount } from '@shared/domain/campaign.ts';

export interface Totals {
  audience: number;
  /** Every recipient with a final status (sent, failed, unknown, skipped, holdout, cancelled). */
  finished: number;
  /** Assigned to a variant (to be sent). */
  queued: number;
  sent: number;
  failed: number;
  unknown: number;
  delivered: number;
  bounced: number;
  complained: number;
  opened: number;
  clicked: number;
  unsubscribed: number;
  skipped: number;
  holdout: number;
  deferred: number;
  cancelled: number;
  /** Queued and not yet sent, failed or unknown (deferred ones included). */
  pending: number;
}

const sum = (values: number[]) => values.reduce((a, b) => a + b, 0);

export function totalsOf(c: CampaignCounts): Totals {
  const v = Object.values(c.variants);
  const of = (
    k: 'queued' | 'sent' | 'failed' | 'unknown' | 'delivered' | 'bounced' | 'complained' | 'opened' | 'clicked' | 'unsubscribed',
  ) => sum(v.map((x) => x[k]));
  const queued = of('queued');
  const sent = of('sent');
  const failed = of('failed');
  const unknown = of('unknown');
  return {
    audience: c.audience,
    finished: finishedCount(c),
    queued,
    sent,
    failed,
    unknown,
    delivered: of('delivered'),
    bounced: of('bounced'),
    complained: of('complained'),
    opened: of('opened'),
    clicked: of('clicked'),
    unsubscribed: of('unsubscribed'),
    skipped: sum(Object.values(c.skipped)),
    holdout: c.holdout,
    deferred: c.deferred,
    cancelled: c.cancelled,
    pending: Math.max(0, queued - sent - failed - unknown - c.cancelled),
  };
}
