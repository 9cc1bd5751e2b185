/** Static target lists: all of them, and a form to create one (CreateList, with an Idempotency-Key). */
import { Anchor, Button, Group, Modal, Stack, Table, Textarea, TextInput } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { notifications } from '@mantine/notifications';
import { CreateList } from '@shared/domain/list.ts';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { ApiError } from '../../api/client.ts';
import { invalidate, query } from '../../api/query.ts';
import { dateTime } from '../../components/format.ts';
import { PageHeader } from '../../components/page-header.tsx';
import { Empty, ErrorAlert, RequestState } from '../../components/request-state.tsx';
import { lists } from './lists-api.ts';

export default function ListsPage() {
  const all = useQuery(query(lists.listLists, { query: { limit: 500 } }));
  const [creating, { open, close }] = useDisclosure(false);
  return (
    <>
      <PageHeader title="Lists" actions={<Button onClick={open}>Create a list</Button>} />
      <CreateListDialog opened={creating} onClose={close} />
      <RequestState
        query={all}
        label="lists"
        isEmpty={(d) => d.items.length === 0}
        empty={
          <Empty
            title="No lists yet"
            description="A list is a fixed set of contacts that a campaign can target."
            action={<Button onClick={open}>Create a list</Button>}
          />
        }
      >
        {(d) => (
          <Table.ScrollContainer minWidth={560}>
            <Table aria-label="Lists" striped highlightOnHover>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th scope="col">Name</Table.Th>
                  <Table.Th scope="col">Description</Table.Th>
                  <Table.Th scope="col" ta="right">
                    Members
                  </Table.Th>
                  <Table.Th scope="col">Updated</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {d.items.map((l) => (
                  <Table.Tr key={l.listId}>
                    <Table.Td>
                      <Anchor component={Link} to={`/lists/${l.listId}`}>
                        {l.name}
                      </Anchor>
                    </Table.Td>
                    <Table.Td>{l.description ?? '—'}</Table.Td>
                    <Table.Td ta="right">{l.memberCount.toLocaleString()}</Table.Td>
                    <Table.Td>{dateTime(l.updatedAt)}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        )}
      </RequestState>
    </>
  );
}

function CreateListDialog({ opened, onClose }: { opened: boolean; onClose: () => void }) {
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const [name, setName] = useState('');
  const [description, setDescription] = useState('');
  const [errors, setErrors] = useState<Record<string, string>>({});
  // One key per dialog opening: a double submit or a retry creates one list, not two.
  const [key, setKey] = useState(() => crypto.randomUUID());
  const create = useMutation({
    mutationFn: (body: CreateList) => lists.createList({ body, headers: { 'idempotency-key': key } }),
    onSuccess: async (list) => {
      await invalidate(queryClient, lists.listLists);
      notifications.show({ color: 'green', message: `List “${list.name}” created.` });
      setName('');
      setDescription('');
      setKey(crypto.randomUUID());
      onClose();
      navigate(`/lists/${list.listId}`);
    },
    onError: (error) => setErrors(error instanceof ApiError ? error.fieldErrors() : {}),
  });
  function submit(event: FormEvent) {
    event.preventDefault();
    const body = { name, ...(description.trim() ? { description } : {}) };
    const checked = CreateList.safeParse(body);
    if (!checked.success) return setErrors(Object.fromEntries(checked.error.issues.map((i) => [i.path.join('.'), i.message])));
    setErrors({});
    create.mutate(body);
  }
  return (
    <Modal opened={opened} onClose={onClose} title="Create a list" centered>
      <form onSubmit={submit} noValidate>
        <Stack>
          <TextInput
            label="Name"
            value={name}
            onChange={(e) => setName(e.currentTarget.value)}
            error={errors.name}
            required
            data-autofocus
          />
          <Textarea
            label="Description"
            value={description}
            onChange={(e) => setDescription(e.currentTarget.value)}
            error={errors.description}
            rows={3}
          />
          {create.isError && !(create.error instanceof ApiError && create.error.issues.length > 0) && (
            <ErrorAlert error={create.error} title="Could not create the list" />
          )}
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              Cancel
            </Button>
            <Button type="submit" loading={create.isPending}>
              Create
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
