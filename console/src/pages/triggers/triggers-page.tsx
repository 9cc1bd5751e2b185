/**
 * Triggers: the campaigns with a `trigger`, each with what starts it in words, whether it is on,
 * its firings (started, fired, waiting, dropped: GET /campaigns/{id} per row, every 5 s while on)
 * and a button that turns it on or off behind a confirmation.
 */
import { Anchor, Badge, Button, Table, Text } from '@mantine/core';
import type { Campaign, CampaignCounts } from '@shared/domain/campaign.ts';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { Link } from 'react-router';
import { query } from '../../api/query.ts';
import { PageHeader } from '../../components/page-header.tsx';
import { Empty, RequestState } from '../../components/request-state.tsx';
import { ActionDialog, type CampaignAction, notifyAction, useCampaignAction } from '../campaigns/campaign-actions.tsx';
import { useNames } from '../campaigns/campaign-facts.tsx';
import { allCampaigns, campaigns } from '../campaigns/campaigns-api.ts';
import { count } from '../campaigns/words.tsx';
import { stateOf, triggerSentence } from './describe.ts';
import { toggleOf, triggerCopy } from './trigger-actions.tsx';

export default function TriggersPage() {
  const all = useQuery(allCampaigns());
  const names = useNames();
  const [asking, setAsking] = useState<{ campaign: Campaign; action: CampaignAction; waiting?: number | undefined } | undefined>();
  const act = useCampaignAction(asking?.campaign.campaignId ?? '', (action, result) => {
    if (asking) notifyAction(triggerCopy(action, asking.campaign), result);
    setAsking(undefined);
  });
  const ask = (campaign: Campaign, action: CampaignAction, waiting?: number) => {
    act.reset();
    setAsking({ campaign, action, waiting });
  };
  return (
    <>
      <PageHeader
        title="Triggers"
        actions={
          <Button component={Link} to="/triggers/new">
            New trigger
          </Button>
        }
      >
        <Text size="sm" c="dimmed">
          Triggered campaigns: an event, a lifecycle stage or a segment entered starts a firing per contact; after a wait and a re-check,
          one message.
        </Text>
      </PageHeader>
      <ActionDialog
        copy={asking ? triggerCopy(asking.action, asking.campaign, asking.waiting) : undefined}
        opened={asking !== undefined}
        pending={act.isPending}
        error={act.error}
        onConfirm={() => asking && act.mutate(asking.action)}
        onClose={() => setAsking(undefined)}
      />
      <RequestState
        query={all}
        label="triggers"
        isEmpty={(d) => !d.items.some((c) => c.trigger)}
        empty={
          <Empty
            title="No triggers yet"
            description="A trigger sends a message when something happens: a first purchase, a customer lapsing, a segment entered."
            action={
              <Button component={Link} to="/triggers/new">
                New trigger
              </Button>
            }
          />
        }
      >
        {(d) => (
          <Table.ScrollContainer minWidth={760}>
            <Table striped aria-label="Triggers">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th scope="col">Name</Table.Th>
                  <Table.Th scope="col">State</Table.Th>
                  <Table.Th scope="col">Trigger</Table.Th>
                  <Table.Th scope="col">Firings</Table.Th>
                  <Table.Th scope="col">
                    <span className="visually-hidden">Turn on or off</span>
                  </Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {d.items
                  .filter((c) => c.trigger)
                  .map((c) => (
                    <TriggerRow key={c.campaignId} campaign={c} segmentName={names.segment} onAsk={ask} />
                  ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        )}
      </RequestState>
    </>
  );
}

export function FiringsLine({ firings }: { firings: CampaignCounts['firings'] }) {
  if (!firings) return <Text size="sm">None yet</Text>;
  const dropped = Object.values(firings.dropped).reduce((a, b) => a + b, 0);
  return (
    <Text size="sm">
      {count(firings.started)} started · {count(firings.fired)} fired · {count(firings.waiting)} waiting · {count(dropped)} dropped
    </Text>
  );
}

function TriggerRow({
  campaign,
  segmentName,
  onAsk,
}: {
  campaign: Campaign;
  segmentName: (id: string) => string;
  onAsk: (c: Campaign, a: CampaignAction, waiting?: number) => void;
}) {
  const launched = campaign.status !== 'draft';
  const live = useQuery({
    ...query(campaigns.getCampaign, { path: { campaignId: campaign.campaignId } }),
    enabled: launched,
    refetchInterval: (q) => (q.state.data?.status === 'sending' ? 5000 : false),
  });
  const c = live.data ?? campaign;
  const state = stateOf(c.status);
  const toggle = toggleOf(c.status);
  return (
    <Table.Tr>
      <Table.Td>
        <Anchor component={Link} to={`/triggers/${c.campaignId}`}>
          {c.name}
        </Anchor>
      </Table.Td>
      <Table.Td style={{ whiteSpace: 'nowrap' }}>
        <Badge color={state.on ? 'green' : 'gray'} variant="light" style={{ overflow: 'visible' }}>
          {state.label}
        </Badge>
      </Table.Td>
      <Table.Td maw={420}>
        <Text size="sm">{c.trigger ? triggerSentence(c.trigger, segmentName) : '—'}</Text>
      </Table.Td>
      <Table.Td miw={160}>
        {!launched ? (
          <Text size="sm">Not on yet</Text>
        ) : live.data ? (
          <FiringsLine firings={live.data.counts.firings} />
        ) : (
          <Text size="sm">…</Text>
        )}
      </Table.Td>
      <Table.Td>
        {toggle && (
          <Button
            size="xs"
            variant={toggle.action === 'pause' ? 'default' : 'light'}
            onClick={() => onAsk(c, toggle.action, live.data?.counts.firings?.waiting)}
            aria-label={`${toggle.label.replace('…', '')} ${c.name}`}
          >
            {toggle.label}
          </Button>
        )}
      </Table.Td>
    </Table.Tr>
  );
}
