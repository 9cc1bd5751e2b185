/**
 * A campaign's settings in words (the review step and the campaign page), with the names of the
 * segments, lists and templates it refers to.
 */
import { Text } from '@mantine/core';
import type { Campaign } from '@shared/domain/campaign.ts';
import type { SendingSettings } from '@shared/domain/sending.ts';
import { useQuery } from '@tanstack/react-query';
import { query } from '../../api/query.ts';
import { Facts } from '../../components/facts.tsx';
import { dateTime } from '../../components/format.ts';
import { lists, segments, settings, templates } from './campaigns-api.ts';
import { CHANNELS, quietText } from './words.tsx';

export interface Names {
  segment: (id: string) => string;
  list: (id: string) => string;
  template: (id: string) => string;
}

/** Names by id from the API's lists (one page of 500 each); an unknown id shows as itself. */
export function useNames(): Names {
  const seg = useQuery({ ...query(segments.listSegments, { query: { limit: 500 } }), staleTime: 30_000 });
  const lst = useQuery({ ...query(lists.listLists, { query: { limit: 500 } }), staleTime: 30_000 });
  const tpl = useQuery({ ...query(templates.listTemplates, { query: { limit: 500 } }), staleTime: 30_000 });
  const by = <T,>(items: T[] | undefined, id: (t: T) => string, name: (t: T) => string) => {
    const map = new Map((items ?? []).map((t) => [id(t), name(t)]));
    return (key: string) => map.get(key) ?? key;
  };
  return {
    segment: by(
      seg.data?.items,
      (s) => s.segmentId,
      (s) => s.name,
    ),
    list: by(
      lst.data?.items,
      (l) => l.listId,
      (l) => l.name,
    ),
    template: by(
      tpl.data?.items,
      (t) => t.templateId,
      (t) => t.name,
    ),
  };
}

export function useSendingSettings() {
  return useQuery({ ...query(settings.getSendingSettings, {}), staleTime: 30_000 });
}

/** A saved campaign, or the wizard's body for one. */
export type CampaignLike = Pick<
  Campaign,
  'channel' | 'audience' | 'holdout' | 'quietHours' | 'ratePerSecond' | 'goal' | 'topic' | 'description'
> & {
  schedule?: { at: string; localTime?: boolean | undefined } | undefined;
  attributionDays?: number | undefined;
  variants: { name: string; weight?: number | undefined; email?: string | undefined; sms?: string | undefined }[];
};

const joined = (ids: string[], name: (id: string) => string) => ids.map(name).join(', ');

export function audienceText(a: Campaign['audience'], names: Names): string {
  if (!a) return '—';
  const include = [
    a.segments.length ? `segments ${joined(a.segments, names.segment)}` : '',
    a.lists.length ? `lists ${joined(a.lists, names.list)}` : '',
  ].filter(Boolean);
  const exclude = [
    a.excludeSegments.length ? `segments ${joined(a.excludeSegments, names.segment)}` : '',
    a.excludeLists.length ? `lists ${joined(a.excludeLists, names.list)}` : '',
  ].filter(Boolean);
  return `${include.join(' and ') || 'nobody'}${exclude.length ? `; leaving out ${exclude.join(' and ')}` : ''}`;
}

export function holdoutText(h: Campaign['holdout'], names: Names): string {
  if (!h || ('percent' in h && h.percent === 0)) return 'None';
  if ('percent' in h) return `${h.percent}% of the eligible, at random`;
  if ('listId' in h) return `Members of the list ${names.list(h.listId)}`;
  return `Members of the segment ${names.segment(h.segmentId)}`;
}

export function scheduleText(s: CampaignLike['schedule']): string {
  if (!s) return 'At launch';
  if (!s.localTime) return dateTime(s.at);
  const wall = new Date(`${s.at.slice(0, 16)}:00Z`);
  const shown = wall.toLocaleString(undefined, { timeZone: 'UTC', dateStyle: 'medium', timeStyle: 'short' });
  return `${shown} in each recipient's time zone`;
}

export function quietHoursText(q: Campaign['quietHours'], settings: SendingSettings | undefined): string {
  if (q === null) return 'None';
  if (q) return `${q.start}–${q.end} (its own)`;
  return `The workspace's (${settings ? quietText(settings.quietHours) : '…'})`;
}

export function CampaignFacts({
  campaign: c,
  names,
  settings,
}: {
  campaign: CampaignLike;
  names: Names;
  settings?: SendingSettings | undefined;
}) {
  const topic = c.topic ? settings?.topics?.find((t) => t.name === c.topic) : undefined;
  const variants = c.variants.map((v) => {
    const parts = [v.email ? `email ${names.template(v.email)}` : '', v.sms ? `SMS ${names.template(v.sms)}` : ''].filter(Boolean);
    return `${v.name}${c.variants.length > 1 ? ` (weight ${v.weight ?? 1})` : ''}: ${parts.join(', ') || 'no template'}`;
  });
  return (
    <Facts
      items={[
        ...(c.audience ? ([['Audience', audienceText(c.audience, names)]] as [string, string][]) : []),
        ['Channel', CHANNELS[c.channel] ?? c.channel],
        ['Topic', c.topic ? `${topic?.displayName ?? c.topic} (${c.topic})` : 'None'],
        ['Holdout', holdoutText(c.holdout, names)],
        [
          c.variants.length > 1 ? 'Variants' : 'Template',
          variants.map((v) => (
            <Text key={v} component="span" display="block" inherit>
              {v}
            </Text>
          )),
        ],
        ...(c.audience ? ([['When', scheduleText(c.schedule)]] as [string, string][]) : []),
        ['Quiet hours', quietHoursText(c.quietHours, settings)],
        ['Pace', c.ratePerSecond ? `At most ${c.ratePerSecond} messages a second` : "The account's"],
        ['Goal', c.goal?.event === 'custom' ? `The event ${c.goal.name}` : 'A purchase'],
        ['Attribution window', `${c.attributionDays ?? 7} days`],
        ...(c.description ? ([['Description', c.description]] as [string, string][]) : []),
      ]}
    />
  );
}
