/**
 * A campaign's recipients and what happened to each (GET /campaigns/{id}/recipients), filtered
 * by status, in pages that follow the API's cursor; refreshed every few seconds while it sends.
 */
import { Anchor, Button, Group, NativeSelect, Table, Text, Title } from '@mantine/core';
import { type Campaign, SendStatus } from '@shared/domain/campaign.ts';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import { Link } from 'react-router';
import { query } from '../../api/query.ts';
import { dateTime } from '../../components/format.ts';
import { Empty, RequestState } from '../../components/request-state.tsx';
import { campaigns } from './campaigns-api.ts';
import { FAIL_REASONS, reasonText, SEND_STATUSES, SKIP_REASONS } from './words.tsx';

const PAGE_SIZE = 50;

export function Recipients({
  campaignId,
  campaignStatus,
  triggered,
}: {
  campaignId: string;
  /** The campaign's status: the list refreshes every 5 s while it sends, and once more when it changes. */
  campaignStatus: Campaign['status'];
  triggered?: boolean;
}) {
  const live = campaignStatus === 'sending';
  const [status, setStatus] = useState<SendStatus | ''>('');
  const [cursors, setCursors] = useState<string[]>([]);
  const cursor = cursors[cursors.length - 1];
  const page = useQuery({
    ...query(campaigns.listRecipients, {
      path: { campaignId },
      query: { limit: PAGE_SIZE, ...(status ? { status } : {}), ...(cursor ? { cursor } : {}) },
    }),
    placeholderData: keepPreviousData,
    refetchInterval: live ? 5000 : false,
  });
  const { refetch } = page;
  const seen = useRef(campaignStatus);
  useEffect(() => {
    if (seen.current === campaignStatus) return;
    seen.current = campaignStatus;
    void refetch();
  }, [campaignStatus, refetch]);
  return (
    <section aria-labelledby="recipients">
      <Group justify="space-between" align="flex-end" mb="xs" wrap="wrap">
        <Title order={2} size="h4" id="recipients">
          Recipients
        </Title>
        <NativeSelect
          label="Status"
          value={status}
          onChange={(e) => {
            setStatus(e.currentTarget.value as SendStatus | '');
            setCursors([]);
          }}
          data={[{ value: '', label: 'Any status' }, ...SendStatus.options.map((s) => ({ value: s, label: SEND_STATUSES[s] }))]}
        />
      </Group>
      <RequestState
        query={page}
        label="recipients"
        isEmpty={(d) => d.items.length === 0 && cursors.length === 0}
        empty={
          <Empty
            title={status ? `No recipient is ${SEND_STATUSES[status].toLowerCase()}` : 'No recipients yet'}
            description={
              status ? undefined : triggered ? 'Each firing that comes due adds one.' : 'The audience is read when the campaign starts.'
            }
          />
        }
      >
        {(d) => (
          <>
            <Table.ScrollContainer minWidth={720}>
              <Table striped aria-labelledby="recipients" aria-busy={page.isFetching}>
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th scope="col">Contact</Table.Th>
                    <Table.Th scope="col">Status</Table.Th>
                    <Table.Th scope="col">Variant</Table.Th>
                    <Table.Th scope="col">Channel</Table.Th>
                    <Table.Th scope="col">Sent</Table.Th>
                    <Table.Th scope="col">Delivered</Table.Th>
                    <Table.Th scope="col">Opened</Table.Th>
                    <Table.Th scope="col">Clicked</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {d.items.map((r) => (
                    <Table.Tr key={r.sendId}>
                      <Table.Td>
                        <Anchor component={Link} to={`/contacts/${r.contactId}`} ff="monospace" size="sm">
                          {r.contactId}
                        </Anchor>
                      </Table.Td>
                      <Table.Td>
                        <Text size="sm">{r.status}</Text>
                        {r.reason && <Text size="xs">{reasonText(r.reason, r.status === 'failed' ? FAIL_REASONS : SKIP_REASONS)}</Text>}
                        {r.status === 'deferred' && r.dueAt && <Text size="xs">until {dateTime(r.dueAt)}</Text>}
                      </Table.Td>
                      <Table.Td>{r.variant ?? '—'}</Table.Td>
                      <Table.Td>{r.channel ?? '—'}</Table.Td>
                      <Table.Td>{dateTime(r.sentAt)}</Table.Td>
                      <Table.Td>{r.bouncedAt ? `bounced ${dateTime(r.bouncedAt)}` : dateTime(r.deliveredAt)}</Table.Td>
                      <Table.Td>{dateTime(r.openedAt)}</Table.Td>
                      <Table.Td>{dateTime(r.clickedAt)}</Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </Table.ScrollContainer>
            <Group justify="flex-end" mt="sm">
              <Button variant="default" disabled={cursors.length === 0} onClick={() => setCursors((c) => c.slice(0, -1))}>
                Previous page
              </Button>
              <Button variant="default" disabled={!d.cursor} onClick={() => d.cursor && setCursors((c) => [...c, d.cursor as string])}>
                Next page
              </Button>
            </Group>
          </>
        )}
      </RequestState>
    </section>
  );
}
