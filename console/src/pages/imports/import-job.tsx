/**
 * An import job as it runs: a progress bar from GET /imports/{id} (polled every half second while
 * the job is receiving), the counts, and the row errors (GET /imports/{id}/errors, in row order).
 */
import { Button, Group, Progress, Stack, Table, Text } from '@mantine/core';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { query } from '../../api/query.ts';
import { Empty, RequestState } from '../../components/request-state.tsx';
import { imports } from './imports-api.ts';

export function ImportJobView({ importId, sending }: { importId: string; sending?: boolean }) {
  const job = useQuery({
    ...query(imports.getImport, { path: { importId } }),
    refetchInterval: (q) => (sending || q.state.data?.status === 'receiving' ? 500 : false),
  });
  return (
    <RequestState query={job} label="the import">
      {(j) => {
        const done = j.status === 'completed';
        const percent = Math.round((j.progress ?? 0) * 100);
        return (
          <Stack>
            <div>
              <Group justify="space-between" mb={4}>
                <Text fw={500}>{done ? 'Import complete' : j.status === 'abandoned' ? 'Import abandoned' : 'Importing…'}</Text>
                <Text size="sm">{j.progress === undefined ? 'size unknown' : `${percent}%`}</Text>
              </Group>
              <Progress.Root size="lg">
                <Progress.Section
                  value={percent}
                  animated={!done && j.status === 'receiving'}
                  color={done ? 'green' : undefined}
                  aria-label={`Import progress, ${percent}%`}
                />
              </Progress.Root>
            </div>
            <Text size="sm" aria-live="polite">
              {j.rowsReceived} rows received: {j.imported} new, {j.updated} updated, {j.unchanged} unchanged, {j.failed} with errors.
            </Text>
            {j.failed > 0 || done ? <RowErrors importId={importId} failed={j.failed} /> : null}
          </Stack>
        );
      }}
    </RequestState>
  );
}

function RowErrors({ importId, failed }: { importId: string; failed: number }) {
  const [cursors, setCursors] = useState<string[]>([]);
  const cursor = cursors[cursors.length - 1];
  const page = useQuery({
    ...query(imports.listImportErrors, { path: { importId }, query: { limit: 100, ...(cursor ? { cursor } : {}) } }),
    placeholderData: keepPreviousData,
  });
  return (
    <section aria-labelledby="row-errors">
      <Text fw={600} id="row-errors" component="h2" size="lg" mb="xs">
        Row errors ({failed})
      </Text>
      <RequestState
        query={page}
        label="row errors"
        isEmpty={(d) => d.items.length === 0 && !cursor}
        empty={<Empty title="No row errors" />}
      >
        {(d) => (
          <>
            <Table.ScrollContainer minWidth={480}>
              <Table aria-labelledby="row-errors" striped>
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th scope="col">Row</Table.Th>
                    <Table.Th scope="col">Column</Table.Th>
                    <Table.Th scope="col">Reason</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {d.items.map((e) => (
                    <Table.Tr key={`${e.row}-${e.field}`}>
                      <Table.Td>{e.row}</Table.Td>
                      <Table.Td>{e.field}</Table.Td>
                      <Table.Td>{e.reason}</Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </Table.ScrollContainer>
            {(d.cursor || cursors.length > 0) && (
              <Group justify="flex-end" mt="xs">
                <Button variant="default" size="xs" disabled={cursors.length === 0} onClick={() => setCursors((c) => c.slice(0, -1))}>
                  Previous errors
                </Button>
                <Button
                  variant="default"
                  size="xs"
                  disabled={!d.cursor}
                  onClick={() => d.cursor && setCursors((c) => [...c, d.cursor as string])}
                >
                  More errors
                </Button>
              </Group>
            )}
          </>
        )}
      </RequestState>
    </section>
  );
}
