/**
 * One trigger: what starts it and what follows, in words and as settings; on or off (with a
 * confirmation), cancel, edit; its firings (started, fired, waiting, dropped by reason: the API
 * keeps counts, not a listing of the waiting firings), the messages it sent (the same live counts
 * as any campaign), its recipients (one per firing) and a link to its report.
 */
import { Alert, Anchor, Badge, Button, Card, Group, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import type { Campaign, CampaignCounts } from '@shared/domain/campaign.ts';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { query } from '../../api/query.ts';
import { Facts } from '../../components/facts.tsx';
import { dateTime } from '../../components/format.ts';
import { PageHeader } from '../../components/page-header.tsx';
import { RequestState } from '../../components/request-state.tsx';
import { ActionDialog, type CampaignAction, notifyAction, useCampaignAction } from '../campaigns/campaign-actions.tsx';
import { CampaignFacts, useNames, useSendingSettings } from '../campaigns/campaign-facts.tsx';
import { CampaignProgress } from '../campaigns/campaign-progress.tsx';
import { campaigns } from '../campaigns/campaigns-api.ts';
import { Recipients } from '../campaigns/recipients.tsx';
import { count, reasonText } from '../campaigns/words.tsx';
import { DROP_REASONS, durationWords, limitWords, startWords, stateOf, thenWords } from './describe.ts';
import { toggleOf, triggerCopy } from './trigger-actions.tsx';

export default function TriggerPage() {
  const { campaignId = '' } = useParams();
  const campaign = useQuery({
    ...query(campaigns.getCampaign, { path: { campaignId } }),
    refetchInterval: (q) => (q.state.data?.status === 'sending' ? 2000 : false),
  });
  return (
    <RequestState query={campaign} label="the trigger">
      {(c) => <TriggerView campaign={c} />}
    </RequestState>
  );
}

function Firings({ firings }: { firings: CampaignCounts['firings'] }) {
  const f = firings ?? { started: 0, fired: 0, waiting: 0, dropped: {} };
  const dropped = Object.entries(f.dropped).filter(([, n]) => n > 0);
  const droppedTotal = dropped.reduce((a, [, n]) => a + n, 0);
  const cells: [string, number, string][] = [
    ['Started', f.started, 'an event, stage or segment entry picked a contact'],
    ['Waiting', f.waiting, 'started, not yet due'],
    ['Fired', f.fired, 'came due and became a message, a holdout or a skip'],
  ];
  return (
    <SimpleGrid cols={{ base: 2, sm: 4 }} spacing="sm">
      {cells.map(([label, n, hint]) => (
        <Card withBorder padding="sm" key={label}>
          <Text size="sm" c="dimmed">
            {label}
          </Text>
          <Text fw={700} size="lg">
            {count(n)}
          </Text>
          <Text size="xs">{hint}</Text>
        </Card>
      ))}
      <Card withBorder padding="sm">
        <Text size="sm" c="dimmed">
          Dropped
        </Text>
        <Text fw={700} size="lg">
          {count(droppedTotal)}
        </Text>
        <Stack gap={0} component="ul" m={0} p={0} style={{ listStyle: 'none' }}>
          {dropped.map(([reason, n]) => (
            <Text component="li" size="sm" key={reason}>
              {reasonText(reason, DROP_REASONS)}: {count(n)}
            </Text>
          ))}
        </Stack>
      </Card>
    </SimpleGrid>
  );
}

function TriggerView({ campaign: c }: { campaign: Campaign & { counts: CampaignCounts } }) {
  const navigate = useNavigate();
  const names = useNames();
  const settings = useSendingSettings();
  const [asking, setAsking] = useState<CampaignAction | undefined>();
  const act = useCampaignAction(c.campaignId, (action, result) => {
    notifyAction(triggerCopy(action, c), result);
    setAsking(undefined);
    if (action === 'delete') navigate('/triggers');
  });
  const open = (a: CampaignAction) => {
    act.reset();
    setAsking(a);
  };
  const spec = c.trigger;
  const state = stateOf(c.status);
  const toggle = toggleOf(c.status);
  const editable = ['draft', 'sending', 'paused'].includes(c.status);
  return (
    <>
      <PageHeader
        title={c.name}
        actions={
          <>
            {editable && spec && (
              <Button component={Link} to={`/triggers/${c.campaignId}/edit`} variant="default">
                Edit
              </Button>
            )}
            {toggle && spec && (
              <Button variant={toggle.action === 'pause' ? 'default' : 'filled'} onClick={() => open(toggle.action)}>
                {toggle.label}
              </Button>
            )}
            {(c.status === 'sending' || c.status === 'paused') && (
              <Button color="red" variant="light" onClick={() => open('cancel')}>
                Cancel trigger…
              </Button>
            )}
            {c.status === 'draft' && (
              <Button color="red" variant="light" onClick={() => open('delete')}>
                Delete draft…
              </Button>
            )}
          </>
        }
      >
        <Group gap="xs" mt={4}>
          <span aria-live="polite">
            <Badge color={state.on ? 'green' : 'gray'} variant="light">
              {state.label}
            </Badge>
          </span>
          <Text size="sm" c="dimmed">
            {c.launchedAt ? `Launched ${dateTime(c.launchedAt)}` : `Created ${dateTime(c.createdAt)}`}
          </Text>
          {c.status !== 'draft' && (
            <Anchor component={Link} to={`/reports/campaigns/${c.campaignId}`} size="sm">
              Report
            </Anchor>
          )}
        </Group>
      </PageHeader>
      <ActionDialog
        copy={asking ? triggerCopy(asking, c, c.counts.firings?.waiting) : undefined}
        opened={asking !== undefined}
        pending={act.isPending}
        error={act.error}
        onConfirm={() => asking && act.mutate(asking)}
        onClose={() => setAsking(undefined)}
      />
      {!spec && (
        <Alert variant="light" mb="md">
          This campaign has no trigger.{' '}
          <Anchor underline="always" component={Link} to={`/campaigns/${c.campaignId}`} inherit>
            Open it as a campaign
          </Anchor>
          .
        </Alert>
      )}
      {c.error && (
        <Alert color="yellow" variant="light" mb="md" title="Stopped">
          {c.error}
        </Alert>
      )}
      {spec && (
        <Stack gap="xl">
          <section aria-labelledby="trigger-spec">
            <Title order={2} size="h4" id="trigger-spec" mb="xs">
              Trigger
            </Title>
            <Text mb="sm">
              {startWords(spec.on, names.segment)}: {thenWords(spec, names.segment)}. {limitWords(spec).join(' ')}
            </Text>
            <Facts
              items={[
                ['Starts on', startWords(spec.on, names.segment)],
                ['Wait', spec.delay === 'PT0S' || durationWords(spec.delay) === 'no time' ? 'None: at once' : durationWords(spec.delay)],
                ['Dropped if purchased since', spec.cancelIfPurchased ? 'Yes' : 'No'],
                ['Re-check segment', spec.segmentId ? names.segment(spec.segmentId) : 'None'],
                ['Cooldown', spec.cooldown ? durationWords(spec.cooldown) : 'None'],
                ['Recommendations', String(spec.recommendations)],
                ['Active', spec.activeFrom || spec.activeUntil ? `${dateTime(spec.activeFrom)} – ${dateTime(spec.activeUntil)}` : 'Always'],
              ]}
            />
          </section>
          <section aria-labelledby="firings">
            <Title order={2} size="h4" id="firings" mb={4}>
              Pending firings
            </Title>
            <Text size="sm" mb="xs">
              Counts kept by the API (it does not list the waiting firings one by one).
              {c.status === 'paused' ? ' While the trigger is off, waiting firings that come due are dropped.' : ''}
            </Text>
            <Firings firings={c.counts.firings} />
          </section>
          {c.status !== 'draft' && (
            <section aria-labelledby="progress">
              <Title order={2} size="h4" id="progress" mb="xs">
                Messages
              </Title>
              <CampaignProgress counts={c.counts} status={c.status} triggered />
            </section>
          )}
          <section aria-labelledby="settings">
            <Title order={2} size="h4" id="settings" mb="xs">
              The message
            </Title>
            <CampaignFacts campaign={c} names={names} settings={settings.data} />
          </section>
          {c.status !== 'draft' && <Recipients campaignId={c.campaignId} campaignStatus={c.status} triggered />}
        </Stack>
      )}
    </>
  );
}
