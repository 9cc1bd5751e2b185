/**
 * "What would be sent if it were launched now": the audience, who would be skipped and why, the
 * holdout and each variant's share, from segment previews of the campaign's rules (estimate.ts).
 * It says which figures are counts and which are estimates, and what is not in them.
 */
import { Alert, List, Table, Text } from '@mantine/core';
import type { Audience, CampaignChannel, Holdout } from '@shared/domain/campaign.ts';
import type { Rule } from '@shared/domain/segment.ts';
import type { SendingSettings } from '@shared/domain/sending.ts';
import { useQuery } from '@tanstack/react-query';
import { query } from '../../api/query.ts';
import { ErrorAlert, Loading } from '../../components/request-state.tsx';
import { segments } from './campaigns-api.ts';
import { allOf, audienceRule, estimate, reachRule, topicRule } from './estimate.ts';
import { count } from './words.tsx';

export interface EstimateOf {
  audience: Pick<Audience, 'segments' | 'lists' | 'excludeSegments' | 'excludeLists'>;
  channel: CampaignChannel;
  topic?: string | undefined;
  holdout?: Holdout | undefined;
  variants: { name: string; weight: number }[];
}

const CHANNEL_WORDS: Record<CampaignChannel, string> = { email: 'by email', sms: 'by SMS', preferred: 'by email or SMS' };

function usePreview(rule: Rule | undefined) {
  return useQuery({
    ...query(segments.previewSegment, { body: { rule: rule as Rule, sampleSize: 0 } }),
    enabled: rule !== undefined,
    staleTime: 30_000,
  });
}

export function SendEstimate({ campaign, settings }: { campaign: EstimateOf; settings: SendingSettings }) {
  const base = audienceRule(campaign.audience);
  const reach = base && allOf(base, reachRule(campaign.channel));
  const topic = campaign.topic ? settings.topics?.find((t) => t.name === campaign.topic) : undefined;
  const eligibleRule = reach && campaign.topic ? allOf(reach, topicRule(campaign.topic, topic?.defaultStatus)) : reach;
  const h = campaign.holdout;
  const holdoutRule: Rule | undefined =
    eligibleRule && h && 'listId' in h
      ? allOf(eligibleRule, { inList: h.listId })
      : eligibleRule && h && 'segmentId' in h
        ? allOf(eligibleRule, { inSegment: h.segmentId })
        : undefined;

  const matching = usePreview(base);
  const reachable = usePreview(reach);
  const eligible = usePreview(campaign.topic ? eligibleRule : undefined);
  const held = usePreview(holdoutRule);

  if (!base) return <Text>Pick at least one segment or list to see how many would get it.</Text>;
  const queries = [matching, reachable, ...(campaign.topic ? [eligible] : []), ...(holdoutRule ? [held] : [])];
  const failed = queries.find((q) => q.isError);
  if (failed)
    return (
      <ErrorAlert error={failed.error} title="Could not count the audience" onRetry={() => queries.forEach((q) => void q.refetch())} />
    );
  const eligibleSize = campaign.topic ? eligible.data : reachable.data;
  if (queries.some((q) => q.isPending) || !matching.data || !reachable.data || !eligibleSize)
    return <Loading label="Counting the audience" rows={4} />;

  const e = estimate(
    { matching: matching.data, reachable: reachable.data, eligible: eligibleSize, holdoutMembers: held.data },
    !h ? undefined : 'percent' in h ? (h.percent > 0 ? { percent: h.percent } : undefined) : { members: true },
    campaign.variants,
  );
  const approx = e.holdoutExact ? '' : '≈ ';
  const cap = settings.frequencyCap;
  return (
    <section aria-labelledby="estimate-title">
      <Text id="estimate-title" fw={600} mb="xs">
        If it were launched now
      </Text>
      <Table.ScrollContainer minWidth={420}>
        <Table aria-labelledby="estimate-title" withTableBorder={false} verticalSpacing={6}>
          <Table.Tbody>
            <Row label="Contacts in the audience" value={count(e.matching)} />
            <Row
              label={`Not reachable ${CHANNEL_WORDS[campaign.channel]} (no address, no consent or suppressed): skipped`}
              value={`− ${count(e.unreachable)}`}
            />
            {campaign.topic && (
              <Row label={`Not subscribed to the topic ${campaign.topic}: skipped`} value={`− ${count(e.topicUnsubscribed)}`} />
            )}
            <Row label="Eligible" value={count(e.eligible)} strong />
            {h && !('percent' in h && h.percent === 0) && (
              <Row
                label={
                  'percent' in h
                    ? `Holdout, ${h.percent}% drawn at random (an estimate): no message`
                    : 'Holdout (the eligible members of the holdout group): no message'
                }
                value={`− ${approx}${count(e.holdout)}`}
              />
            )}
            <Row label="Messages to send" value={`${approx}${count(e.toSend)}`} strong />
            {e.perVariant.length > 1 &&
              e.perVariant.map((v) => (
                <Row key={v.name} label={`Variant ${v.name} (by weight, an estimate)`} value={`≈ ${count(v.count)}`} />
              ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      {!e.complete && (
        <Alert color="yellow" variant="light" mt="sm" title="Partial count">
          The preview ran out of time after reading {count(e.scanned)} contacts: the figures cover those only. The campaign itself reads
          every contact.
        </Alert>
      )}
      <Text size="sm" mt="sm">
        Counted now from the contact base (segment previews); the audience is read again at launch. Not in these figures:
      </Text>
      <List size="sm" spacing={2}>
        <List.Item>
          the frequency cap ({cap ? `at most ${cap.messages} messages in ${cap.withinDays} days` : 'none set'}), checked as each message
          goes out;
        </List.Item>
        <List.Item>consent, suppression and topic changes before sending;</List.Item>
        <List.Item>addresses the channel refuses when sending.</List.Item>
      </List>
      <Text size="sm" mt={4}>
        Quiet hours and a local-time schedule only delay messages; they skip nobody.
      </Text>
    </section>
  );
}

function Row({ label, value, strong }: { label: string; value: string; strong?: boolean }) {
  return (
    <Table.Tr>
      <Table.Th scope="row" fw={strong ? 700 : 400}>
        {label}
      </Table.Th>
      <Table.Td ta="right" fw={strong ? 700 : 400} style={{ whiteSpace: 'nowrap' }}>
        {value}
      </Table.Td>
    </Table.Tr>
  );
}
