/** Saved segments: each with its rule in words, and the way to a new one. */
import { Anchor, Button, Group, Table, Text } from '@mantine/core';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { Link } from 'react-router';
import { query } from '../../api/query.ts';
import { dateTime } from '../../components/format.ts';
import { PageHeader } from '../../components/page-header.tsx';
import { Empty, RequestState } from '../../components/request-state.tsx';
import { describeRule } from './rule-model.ts';
import { segments } from './segments-api.ts';

const PAGE_SIZE = 100;

export default function SegmentsPage() {
  const [cursors, setCursors] = useState<string[]>([]);
  const cursor = cursors[cursors.length - 1];
  const page = useQuery({
    ...query(segments.listSegments, { query: { limit: PAGE_SIZE, ...(cursor ? { cursor } : {}) } }),
    placeholderData: keepPreviousData,
  });
  const create = (
    <Button component={Link} to="/segments/new">
      New segment
    </Button>
  );
  return (
    <>
      <PageHeader title="Segments" actions={create}>
        <Text size="sm" c="dimmed">
          Dynamic groups of contacts, by a rule evaluated when a campaign sends.
        </Text>
      </PageHeader>
      <RequestState
        query={page}
        label="segments"
        isEmpty={(d) => d.items.length === 0 && !cursor}
        empty={
          <Empty
            title="No segments yet"
            description="A segment is a rule: who bought what, when, and who can be reached."
            action={create}
          />
        }
      >
        {(d) => (
          <>
            <Table.ScrollContainer minWidth={560}>
              <Table aria-label="Segments" striped highlightOnHover>
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th scope="col">Name</Table.Th>
                    <Table.Th scope="col">Rule</Table.Th>
                    <Table.Th scope="col">Updated</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {d.items.map((s) => (
                    <Table.Tr key={s.segmentId}>
                      <Table.Td>
                        <Anchor component={Link} to={`/segments/${s.segmentId}`}>
                          {s.name}
                        </Anchor>
                        {s.description && (
                          <Text size="xs" c="dimmed">
                            {s.description}
                          </Text>
                        )}
                      </Table.Td>
                      <Table.Td>
                        <Text size="sm" lineClamp={2}>
                          {describeRule(s.rule)}
                        </Text>
                      </Table.Td>
                      <Table.Td style={{ whiteSpace: 'nowrap' }}>{dateTime(s.updatedAt)}</Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </Table.ScrollContainer>
            {(cursors.length > 0 || d.cursor) && (
              <Group justify="flex-end" mt="sm">
                <Button variant="default" disabled={cursors.length === 0} onClick={() => setCursors((c) => c.slice(0, -1))}>
                  Previous page
                </Button>
                <Button variant="default" disabled={!d.cursor} onClick={() => d.cursor && setCursors((c) => [...c, d.cursor as string])}>
                  Next page
                </Button>
              </Group>
            )}
          </>
        )}
      </RequestState>
    </>
  );
}
