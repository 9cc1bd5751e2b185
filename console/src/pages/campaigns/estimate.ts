/**
 * The review step's numbers: what a campaign would send if it were launched now, from segment
 * previews (POST /segments/preview) of rules that mirror audience resolution
 * (shared/services/campaign-audience.ts): in a segment or list of the audience and in no excluded
 * one; reachable on the channel (an address, consent, not suppressed; `preferred`: either);
 * subscribed to the topic; then the holdout out of those, and the variants by weight.
 *
 * What is exact and what is not: the counts are the base as it is now (exact when the preview
 * read every contact); a percentage holdout is drawn per contact at launch, so its size is an
 * expectation; the frequency cap and changes before sending are not in the figures.
 */
import type { CampaignChannel } from '@shared/domain/campaign.ts';
import type { Rule, SegmentSize } from '@shared/domain/segment.ts';

export interface AudienceRefs {
  segments: string[];
  lists: string[];
  excludeSegments: string[];
  excludeLists: string[];
}

const anyOf = (rules: Rule[]): Rule => (rules.length === 1 ? (rules[0] as Rule) : { or: rules });

/** Contacts in any included segment or list and in no excluded one; undefined when nothing is included. */
export function audienceRule(a: AudienceRefs): Rule | undefined {
  const include: Rule[] = [...a.segments.map((id) => ({ inSegment: id })), ...a.lists.map((id) => ({ inList: id }))];
  if (include.length === 0) return undefined;
  const exclude: Rule[] = [...a.excludeSegments.map((id) => ({ inSegment: id })), ...a.excludeLists.map((id) => ({ inList: id }))];
  return exclude.length === 0 ? anyOf(include) : { and: [anyOf(include), { not: anyOf(exclude) }] };
}

/** Reachable on the campaign's channel (`preferred`: on either). */
export function reachRule(channel: CampaignChannel): Rule {
  if (channel === 'preferred') return { or: [{ reachable: 'email' }, { reachable: 'sms' }] };
  return { reachable: channel };
}

/**
 * Subscribed to the topic: the contact's own choice, else the topic's default (an opt-out topic
 * takes everyone who did not unsubscribe; a topic the settings do not have counts as opt-in).
 */
export function topicRule(topic: string, defaultStatus: 'subscribed' | 'unsubscribed' | undefined): Rule {
  const field = `topics.${topic}`;
  return defaultStatus === 'subscribed' ? { field, op: 'neq', value: 'unsubscribed' } : { field, op: 'eq', value: 'subscribed' };
}

export const allOf = (...rules: (Rule | undefined)[]): Rule => {
  const present = rules.filter((r): r is Rule => r !== undefined);
  return present.length === 1 ? (present[0] as Rule) : { and: present };
};

export interface Estimate {
  /** In the audience (segments and lists, minus exclusions). */
  matching: number;
  /** Not reachable on the channel: skipped (no address or consent, or suppressed). */
  unreachable: number;
  /** Reachable but not subscribed to the topic: skipped. */
  topicUnsubscribed: number;
  eligible: number;
  holdout: number;
  /** A list or segment holdout is counted; a percentage is an expectation. */
  holdoutExact: boolean;
  toSend: number;
  perVariant: { name: string; count: number }[];
  /** Every preview read the whole base. */
  complete: boolean;
  /** Contacts read (the smallest of the previews, when one ran out of time). */
  scanned: number;
}

/** Splits `total` by weights, rounding so the parts add up to the total (largest remainders first). */
export function splitByWeight(total: number, weights: number[]): number[] {
  const sum = weights.reduce((a, b) => a + b, 0);
  if (sum <= 0) return weights.map(() => 0);
  const exact = weights.map((w) => (total * w) / sum);
  const parts = exact.map(Math.floor);
  let left = total - parts.reduce((a, b) => a + b, 0);
  const order = exact.map((x, i) => ({ i, r: x - Math.floor(x) })).sort((a, b) => b.r - a.r);
  for (const { i } of order) {
    if (left <= 0) break;
    parts[i] = (parts[i] as number) + 1;
    left--;
  }
  return parts;
}

export function estimate(
  inputs: { matching: SegmentSize; reachable: SegmentSize; eligible: SegmentSize; holdoutMembers?: SegmentSize | undefined },
  holdout: { percent: number } | { members: true } | undefined,
  variants: { name: string; weight: number }[],
): Estimate {
  const { matching, reachable, eligible } = inputs;
  const held =
    holdout === undefined
      ? 0
      : 'percent' in holdout
        ? Math.round((eligible.count * holdout.percent) / 100)
        : Math.min(inputs.holdoutMembers?.count ?? 0, eligible.count);
  const toSend = eligible.count - held;
  const split = splitByWeight(
    toSend,
    variants.map((v) => v.weight),
  );
  const sizes = [matching, reachable, eligible, ...(inputs.holdoutMembers ? [inputs.holdoutMembers] : [])];
  return {
    matching: matching.count,
    unreachable: Math.max(0, matching.count - reachable.count),
    topicUnsubscribed: Math.max(0, reachable.count - eligible.count),
    eligible: eligible.count,
    holdout: held,
    holdoutExact: holdout === undefined || !('percent' in holdout),
    toSend,
    perVariant: variants.map((v, i) => ({ name: v.name, count: split[i] ?? 0 })),
    complete: sizes.every((s) => s.complete),
    scanned: Math.min(...sizes.map((s) => s.scanned)),
  };
}
