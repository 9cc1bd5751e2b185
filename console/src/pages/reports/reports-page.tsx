/**
 * Reports: the run button, the base report and the basket rules, and every campaign that has
 * started with a link to its report (GET /campaigns, paged; drafts and scheduled campaigns have
 * none yet).
 */
import { Anchor, Badge, Button, Card, SimpleGrid, Table, Text } from '@mantine/core';
import { useInfiniteQuery } from '@tanstack/react-query';
import { Link } from 'react-router';
import { dateTime } from '../../components/format.ts';
import { PageHeader } from '../../components/page-header.tsx';
import { Empty, ErrorAlert, Loading } from '../../components/request-state.tsx';
import { campaigns } from './reports-api.ts';
import { RunEvaluation } from './run-evaluation.tsx';
import { Section } from './section.tsx';

export default function ReportsPage() {
  const all = useInfiniteQuery({
    queryKey: [campaigns.listCampaigns.operationId, 'all pages'],
    queryFn: ({ pageParam, signal }) => campaigns.listCampaigns({ query: { limit: 100, cursor: pageParam } }, { signal }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (page) => page.cursor,
  });
  const items = all.data?.pages.flatMap((p) => p.items) ?? [];
  const started = items.filter((c) => c.startedAt).sort((a, b) => (b.startedAt ?? '').localeCompare(a.startedAt ?? ''));
  const waiting = items.length - started.length;

  return (
    <>
      <PageHeader title="Reports" actions={<RunEvaluation />}>
        <Text size="sm" c="dimmed" maw={640}>
          The evaluation runs every hour: each started campaign against its holdout, and the health of the customer base.
        </Text>
      </PageHeader>
      <SimpleGrid cols={{ base: 1, sm: 2 }} mb="xl">
        <Card withBorder>
          <Anchor component={Link} to="/reports/base" fw={600}>
            Customer base health
          </Anchor>
          <Text size="sm" c="dimmed">
            Retention and churn by month, lifecycle stages and flows, the Pareto curve, the RFM grid, NPS and loyalty, channels.
          </Text>
        </Card>
        <Card withBorder>
          <Anchor component={Link} to="/reports/basket-rules" fw={600}>
            Basket rules
          </Anchor>
          <Text size="sm" c="dimmed">
            Which categories and products customers buy together: support, confidence and lift.
          </Text>
        </Card>
      </SimpleGrid>
      <Section title="Campaign reports">
        {all.isPending ? (
          <Loading label="Loading campaigns" />
        ) : all.isError ? (
          <ErrorAlert error={all.error} title="Could not load campaigns" onRetry={() => void all.refetch()} />
        ) : started.length === 0 ? (
          <Empty
            title="No campaign has started yet"
            description={
              waiting > 0
                ? `${waiting} campaign${waiting === 1 ? ' is a draft or scheduled' : 's are drafts or scheduled'}: a report appears once one starts sending and the evaluation has run.`
                : 'Launch a campaign with a holdout: its report appears after the next evaluation.'
            }
          />
        ) : (
          <>
            <Table.ScrollContainer minWidth={560}>
              <Table aria-label="Campaign reports" striped highlightOnHover>
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th scope="col">Campaign</Table.Th>
                    <Table.Th scope="col">Kind</Table.Th>
                    <Table.Th scope="col">Status</Table.Th>
                    <Table.Th scope="col">Holdout</Table.Th>
                    <Table.Th scope="col">Started</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {started.map((c) => (
                    <Table.Tr key={c.campaignId}>
                      <Table.Td>
                        <Anchor component={Link} to={`/reports/campaigns/${c.campaignId}`}>
                          {c.name}
                        </Anchor>
                      </Table.Td>
                      <Table.Td>{c.trigger ? 'triggered' : 'one-off'}</Table.Td>
                      <Table.Td>
                        <Badge variant="light" tt="none">
                          {c.status}
                        </Badge>
                      </Table.Td>
                      <Table.Td>
                        {!c.holdout
                          ? 'none'
                          : 'percent' in c.holdout
                            ? `${c.holdout.percent}%`
                            : 'listId' in c.holdout
                              ? 'a list'
                              : 'a segment'}
                      </Table.Td>
                      <Table.Td>{dateTime(c.startedAt)}</Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </Table.ScrollContainer>
            {waiting > 0 && (
              <Text size="sm" c="dimmed">
                {waiting} more campaign{waiting === 1 ? ' has' : 's have'} not started (drafts, scheduled): no report yet.
              </Text>
            )}
          </>
        )}
        {all.hasNextPage && (
          <Button variant="default" onClick={() => void all.fetchNextPage()} loading={all.isFetchingNextPage}>
            Load more campaigns
          </Button>
        )}
      </Section>
    </>
  );
}
