/**
 * One campaign: its settings, the actions its status allows (launch, pause, resume, cancel, and
 * edit or delete for a draft) behind confirmations, live sending progress (GET /campaigns/{id}
 * every 2 s while it sends), its recipients, and a link to its report. A draft shows what it
 * would send if launched now.
 */
import { Alert, Anchor, Button, Divider, Group, Stack, Text, Title } from '@mantine/core';
import type { Campaign } from '@shared/domain/campaign.ts';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { query } from '../../api/query.ts';
import { dateTime } from '../../components/format.ts';
import { PageHeader } from '../../components/page-header.tsx';
import { RequestState } from '../../components/request-state.tsx';
import { type ActionCopy, ActionDialog, actionsFor, type CampaignAction, notifyAction, useCampaignAction } from './campaign-actions.tsx';
import { CampaignFacts, scheduleText, useNames, useSendingSettings } from './campaign-facts.tsx';
import { CampaignProgress } from './campaign-progress.tsx';
import { campaigns } from './campaigns-api.ts';
import { Recipients } from './recipients.tsx';
import { SendEstimate } from './send-estimate.tsx';
import { StatusBadge } from './words.tsx';

/** How often a campaign's counts are read again: every 2 s while it sends, every 15 s while it waits for its time. */
export const pollInterval = (status: Campaign['status'] | undefined) =>
  status === 'sending' ? 2000 : status === 'scheduled' ? 15_000 : false;

export default function CampaignPage() {
  const { campaignId = '' } = useParams();
  const campaign = useQuery({
    ...query(campaigns.getCampaign, { path: { campaignId } }),
    refetchInterval: (q) => pollInterval(q.state.data?.status),
  });
  return (
    <RequestState query={campaign} label="the campaign">
      {(c) => <CampaignView campaign={c} />}
    </RequestState>
  );
}

function copyFor(action: CampaignAction, c: Campaign): ActionCopy {
  const name = `“${c.name}”`;
  switch (action) {
    case 'launch':
      return {
        title: 'Launch this campaign?',
        button: 'Launch',
        body: c.schedule ? (
          <>
            {name} will be scheduled for {scheduleText(c.schedule)}; its audience is read when that time comes. Once launched it can be
            cancelled, not edited.
          </>
        ) : (
          <>
            {name} starts sending now to its eligible audience. Once launched it can be paused or cancelled, not edited; a message sent
            cannot be taken back.
          </>
        ),
        done: (r) => (r?.status === 'scheduled' ? `${c.name} is scheduled.` : `${c.name} is sending.`),
      };
    case 'pause':
      return {
        title: 'Pause sending?',
        button: 'Pause',
        body: <>Sending stops within a batch. Recipients not sent yet wait until you resume; nobody is sent twice.</>,
        done: () => `${c.name} is paused.`,
      };
    case 'resume':
      return {
        title: 'Resume sending?',
        button: 'Resume',
        body: <>The recipients not sent yet are handed to the senders again, at the campaign's pace; nobody is sent twice.</>,
        done: () => `${c.name} is sending again.`,
      };
    case 'cancel':
      return {
        title: 'Cancel this campaign?',
        button: 'Cancel campaign',
        danger: true,
        body: (
          <>
            Nothing more of {name} is sent: recipients not sent yet become “cancelled”. This cannot be undone; what was sent stays sent and
            is still reported.
          </>
        ),
        done: () => `${c.name} is cancelled.`,
      };
    case 'delete':
      return {
        title: 'Delete this draft?',
        button: 'Delete draft',
        danger: true,
        body: <>The draft {name} is deleted. Nothing was sent.</>,
        done: () => `Draft ${c.name} deleted.`,
      };
  }
}

const BUTTON: Record<CampaignAction, string> = {
  launch: 'Launch…',
  pause: 'Pause…',
  resume: 'Resume…',
  cancel: 'Cancel campaign…',
  delete: 'Delete draft…',
};

function CampaignView({ campaign: c }: { campaign: Campaign & { counts: Parameters<typeof CampaignProgress>[0]['counts'] } }) {
  const navigate = useNavigate();
  const names = useNames();
  const settings = useSendingSettings();
  const [asking, setAsking] = useState<CampaignAction | undefined>();
  const act = useCampaignAction(c.campaignId, (action, result) => {
    notifyAction(copyFor(action, c), result);
    setAsking(undefined);
    if (action === 'delete') navigate('/campaigns');
  });
  const actions = actionsFor(c);
  const open = (a: CampaignAction) => {
    act.reset();
    setAsking(a);
  };
  return (
    <>
      <PageHeader
        title={c.name}
        actions={
          <>
            {c.status === 'draft' && !c.trigger && (
              <Button component={Link} to={`/campaigns/${c.campaignId}/edit`} variant="default">
                Edit
              </Button>
            )}
            {actions.map((a) => (
              <Button
                key={a}
                variant={a === 'launch' ? 'filled' : a === 'cancel' || a === 'delete' ? 'light' : 'default'}
                color={a === 'cancel' || a === 'delete' ? 'red' : undefined}
                onClick={() => open(a)}
              >
                {BUTTON[a]}
              </Button>
            ))}
          </>
        }
      >
        <Group gap="xs" mt={4}>
          <span aria-live="polite">
            <StatusBadge status={c.status} />
          </span>
          <Text size="sm" c="dimmed">
            {c.launchedAt ? `Launched ${dateTime(c.launchedAt)}` : `Created ${dateTime(c.createdAt)}`}
            {c.finishedAt ? ` · finished ${dateTime(c.finishedAt)}` : ''}
          </Text>
          {c.status !== 'draft' && (
            <Anchor component={Link} to={`/reports/campaigns/${c.campaignId}`} size="sm">
              Report
            </Anchor>
          )}
        </Group>
      </PageHeader>
      <ActionDialog
        copy={asking ? copyFor(asking, c) : undefined}
        opened={asking !== undefined}
        pending={act.isPending}
        error={act.error}
        onConfirm={() => asking && act.mutate(asking)}
        onClose={() => setAsking(undefined)}
      />
      {c.trigger && (
        <Alert variant="light" mb="md">
          This is a triggered campaign.{' '}
          <Anchor underline="always" component={Link} to={`/triggers/${c.campaignId}`} inherit>
            See it as a trigger
          </Anchor>{' '}
          for its firings.
        </Alert>
      )}
      {c.error && (
        <Alert
          color={c.status === 'failed' ? 'red' : 'yellow'}
          variant="light"
          mb="md"
          title={c.status === 'failed' ? 'Failed' : 'Stopped'}
        >
          {c.error}
        </Alert>
      )}
      <Stack gap="xl">
        {c.status !== 'draft' && (
          <section aria-labelledby="progress">
            <Title order={2} size="h4" id="progress" mb="xs">
              {c.status === 'sending' ? 'Sending progress (live)' : 'Sending progress'}
            </Title>
            <CampaignProgress counts={c.counts} status={c.status} triggered={!!c.trigger} />
          </section>
        )}
        <section aria-labelledby="settings">
          <Title order={2} size="h4" id="settings" mb="xs">
            Settings
          </Title>
          <CampaignFacts campaign={c} names={names} settings={settings.data} />
        </section>
        {c.status === 'draft' && c.audience && settings.data && (
          <>
            <Divider />
            <SendEstimate
              campaign={{ audience: c.audience, channel: c.channel, topic: c.topic, holdout: c.holdout, variants: c.variants }}
              settings={settings.data}
            />
          </>
        )}
        {c.status !== 'draft' && <Recipients campaignId={c.campaignId} campaignStatus={c.status} triggered={!!c.trigger} />}
      </Stack>
    </>
  );
}
