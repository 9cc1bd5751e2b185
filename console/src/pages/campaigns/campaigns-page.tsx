/**
 * Campaigns (one-off; triggered ones are on the Triggers page): newest first, filtered by status
 * and name, with each launched campaign's live counts (GET /campaigns/{id} per row shown, every
 * 2 s while it sends: the list itself carries no counts).
 */
import { Anchor, Button, Group, NativeSelect, Progress, Table, Text, TextInput } from '@mantine/core';
import type { Campaign, CampaignStatus } from '@shared/domain/campaign.ts';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { query } from '../../api/query.ts';
import { dateTime } from '../../components/format.ts';
import { PageHeader } from '../../components/page-header.tsx';
import { Empty, RequestState } from '../../components/request-state.tsx';
import { scheduleText } from './campaign-facts.tsx';
import { allCampaigns, campaigns } from './campaigns-api.ts';
import { totalsOf } from './totals.ts';
import { CHANNEL_SHORT, count, percent, StatusBadge } from './words.tsx';

const PAGE_SIZE = 25;
const STATUSES: CampaignStatus[] = ['draft', 'scheduled', 'sending', 'paused', 'completed', 'cancelled', 'failed'];

export default function CampaignsPage() {
  const all = useQuery(allCampaigns());
  const [params, setParams] = useSearchParams();
  const status = params.get('status') ?? '';
  const [name, setName] = useState('');
  const [page, setPage] = useState(0);
  return (
    <>
      <PageHeader
        title="Campaigns"
        actions={
          <Button component={Link} to="/campaigns/new">
            New campaign
          </Button>
        }
      >
        <Text size="sm" c="dimmed">
          One-off campaigns to segments and lists.{' '}
          <Anchor underline="always" component={Link} to="/triggers" inherit>
            Triggered campaigns
          </Anchor>{' '}
          have a page of their own.
        </Text>
      </PageHeader>
      <search aria-label="Campaigns">
        <Group mb="md" align="flex-end" wrap="wrap">
          <NativeSelect
            label="Status"
            value={status}
            onChange={(e) => {
              setParams(e.currentTarget.value ? { status: e.currentTarget.value } : {}, { replace: true });
              setPage(0);
            }}
            data={[{ value: '', label: 'Any status' }, ...STATUSES.map((s) => ({ value: s, label: s }))]}
          />
          <TextInput
            label="Name contains"
            type="search"
            value={name}
            onChange={(e) => {
              setName(e.currentTarget.value);
              setPage(0);
            }}
            style={{ flex: 1, minWidth: 200, maxWidth: 360 }}
          />
        </Group>
      </search>
      <RequestState
        query={all}
        label="campaigns"
        isEmpty={(d) => !d.items.some((c) => !c.trigger)}
        empty={
          <Empty
            title="No campaigns yet"
            description="A campaign sends a message to segments and lists, with a holdout to measure it."
            action={
              <Button component={Link} to="/campaigns/new">
                New campaign
              </Button>
            }
          />
        }
      >
        {(d) => {
          const needle = name.trim().toLowerCase();
          const shown = d.items.filter((c) => !c.trigger && (!status || c.status === status) && c.name.toLowerCase().includes(needle));
          const pages = Math.max(1, Math.ceil(shown.length / PAGE_SIZE));
          const rows = shown.slice(page * PAGE_SIZE, (page + 1) * PAGE_SIZE);
          if (shown.length === 0) return <Empty title="No campaign matches" description="Try another status or name." />;
          return (
            <>
              <Table.ScrollContainer minWidth={680}>
                <Table striped highlightOnHover aria-label="Campaigns">
                  <Table.Thead>
                    <Table.Tr>
                      <Table.Th scope="col">Name</Table.Th>
                      <Table.Th scope="col">Status</Table.Th>
                      <Table.Th scope="col">Channel</Table.Th>
                      <Table.Th scope="col">Progress</Table.Th>
                      <Table.Th scope="col">Updated</Table.Th>
                    </Table.Tr>
                  </Table.Thead>
                  <Table.Tbody>
                    {rows.map((c) => (
                      <CampaignRow key={c.campaignId} campaign={c} />
                    ))}
                  </Table.Tbody>
                </Table>
              </Table.ScrollContainer>
              <Group justify="space-between" mt="sm">
                <Text size="sm">
                  {shown.length} campaign{shown.length === 1 ? '' : 's'}
                  {d.truncated ? ' (only the newest are read)' : ''}
                  {pages > 1 ? ` · page ${page + 1} of ${pages}` : ''}
                </Text>
                {pages > 1 && (
                  <Group>
                    <Button variant="default" disabled={page === 0} onClick={() => setPage((p) => p - 1)}>
                      Previous page
                    </Button>
                    <Button variant="default" disabled={page + 1 >= pages} onClick={() => setPage((p) => p + 1)}>
                      Next page
                    </Button>
                  </Group>
                )}
              </Group>
            </>
          );
        }}
      </RequestState>
    </>
  );
}

/** A row; a launched campaign's counts come from its own GET, polled while it sends. */
function CampaignRow({ campaign }: { campaign: Campaign }) {
  const launched = campaign.status !== 'draft';
  const live = useQuery({
    ...query(campaigns.getCampaign, { path: { campaignId: campaign.campaignId } }),
    enabled: launched,
    refetchInterval: (q) => (q.state.data?.status === 'sending' ? 2000 : false),
  });
  const c = live.data ?? campaign;
  return (
    <Table.Tr>
      <Table.Td>
        <Anchor component={Link} to={`/campaigns/${c.campaignId}`}>
          {c.name}
        </Anchor>
      </Table.Td>
      <Table.Td>
        <StatusBadge status={c.status} />
      </Table.Td>
      <Table.Td>{CHANNEL_SHORT[c.channel]}</Table.Td>
      <Table.Td miw={180}>
        {!launched ? (
          <Text size="sm">Not launched</Text>
        ) : live.data ? (
          <RowProgress campaign={live.data} />
        ) : live.isError ? (
          <Text size="sm">Counts unavailable</Text>
        ) : (
          <Text size="sm">…</Text>
        )}
      </Table.Td>
      <Table.Td>{dateTime(c.updatedAt)}</Table.Td>
    </Table.Tr>
  );
}

function RowProgress({ campaign }: { campaign: Campaign & { counts: Parameters<typeof totalsOf>[0] } }) {
  const t = totalsOf(campaign.counts);
  if (campaign.status === 'scheduled') return <Text size="sm">Starts {scheduleText(campaign.schedule)}</Text>;
  const done = percent(t.finished, t.audience);
  return (
    <div>
      <Text size="sm">
        {count(t.sent)} sent · {count(t.finished)} of {count(t.audience)} done
      </Text>
      <Progress value={done} size="sm" aria-label={`${campaign.name}: ${done}% of the audience done`} />
    </div>
  );
}
