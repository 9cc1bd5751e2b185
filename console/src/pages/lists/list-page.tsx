/**
 * One list: its members (paged), adding contacts found by email or phone prefix, removing the
 * selected members, and deleting the list (memberships are removed in the background).
 */
import { Anchor, Button, Checkbox, Group, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { notifications } from '@mantine/notifications';
import type { Contact } from '@shared/domain/contact.ts';
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { invalidate, query } from '../../api/query.ts';
import { ConfirmDialog } from '../../components/confirm.tsx';
import { fullName } from '../../components/format.ts';
import { PageHeader } from '../../components/page-header.tsx';
import { Empty, ErrorAlert, RequestState } from '../../components/request-state.tsx';
import { contacts } from '../contacts/contacts-api.ts';
import { lists } from './lists-api.ts';

const PAGE_SIZE = 50;
const label = (c: Contact) => fullName(c) || c.email || c.phone || c.externalId || c.contactId;

export default function ListPage() {
  const { listId = '' } = useParams();
  const list = useQuery(query(lists.getList, { path: { listId } }));
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const [deleting, setDeleting] = useState(false);
  const remove = useMutation({
    mutationFn: () => lists.deleteList({ path: { listId } }),
    onSuccess: async () => {
      await invalidate(queryClient, lists.listLists);
      notifications.show({ color: 'green', message: 'List deleted; its memberships are being removed.' });
      navigate('/lists');
    },
  });
  return (
    <RequestState query={list} label="the list">
      {(l) => (
        <>
          <PageHeader
            title={l.name}
            actions={
              <Button color="red" variant="outline" onClick={() => setDeleting(true)}>
                Delete list
              </Button>
            }
          >
            <Text size="sm" c="dimmed">
              {l.description ? `${l.description} · ` : ''}
              {l.memberCount.toLocaleString()} members
            </Text>
          </PageHeader>
          <ConfirmDialog
            opened={deleting}
            title="Delete this list?"
            action="Delete"
            pending={remove.isPending}
            error={remove.error}
            onConfirm={() => remove.mutate()}
            onClose={() => setDeleting(false)}
          >
            “{l.name}” and its {l.memberCount} memberships will be deleted. The contacts stay.
          </ConfirmDialog>
          <Stack gap="xl">
            <AddMembers listId={listId} />
            <Members listId={listId} />
          </Stack>
        </>
      )}
    </RequestState>
  );
}

function AddMembers({ listId }: { listId: string }) {
  const queryClient = useQueryClient();
  const [text, setText] = useState('');
  const [term] = useDebouncedValue(text.trim(), 300);
  const field = /^[+\d]/.test(term) ? 'phone' : 'email';
  const found = useQuery({
    ...query(contacts.listContacts, { query: { limit: 10, [field]: field === 'phone' ? term.replace(/[\s\-().]/g, '') : term } }),
    enabled: term.length > 0,
  });
  const add = useMutation({
    mutationFn: (contactId: string) => lists.addListMembers({ path: { listId }, body: { contactIds: [contactId] } }),
    onSuccess: () => invalidate(queryClient, lists.getList, lists.listListMembers, lists.listLists),
  });
  return (
    <section aria-labelledby="add-members">
      <Title order={2} size="h4" id="add-members" mb="xs">
        Add contacts
      </Title>
      <TextInput
        label="Find a contact by the start of its email or phone (+44…)"
        value={text}
        onChange={(e) => setText(e.currentTarget.value)}
        type="search"
        maw={480}
        mb="xs"
      />
      {add.isError && <ErrorAlert error={add.error} title="Could not add the contact" />}
      {term && (
        <RequestState query={found} label="matching contacts" isEmpty={(d) => d.items.length === 0}>
          {(d) => (
            <Stack gap={4} component="ul" p={0} m={0} style={{ listStyle: 'none' }}>
              {d.items.map((c) => (
                <Group component="li" key={c.contactId} gap="sm">
                  <Button
                    size="xs"
                    variant="light"
                    onClick={() => add.mutate(c.contactId)}
                    loading={add.isPending && add.variables === c.contactId}
                    aria-label={`Add ${label(c)}`}
                  >
                    Add
                  </Button>
                  <Text size="sm">
                    {label(c)} {c.email && c.email !== label(c) ? `(${c.email})` : ''}
                  </Text>
                </Group>
              ))}
            </Stack>
          )}
        </RequestState>
      )}
    </section>
  );
}

function Members({ listId }: { listId: string }) {
  const queryClient = useQueryClient();
  const [cursors, setCursors] = useState<string[]>([]);
  const cursor = cursors[cursors.length - 1];
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const page = useQuery({
    ...query(lists.listListMembers, { path: { listId }, query: { limit: PAGE_SIZE, ...(cursor ? { cursor } : {}) } }),
    placeholderData: keepPreviousData,
  });
  const removeMembers = useMutation({
    mutationFn: () => lists.removeListMembers({ path: { listId }, body: { contactIds: [...selected] } }),
    onSuccess: async (result) => {
      setSelected(new Set());
      await invalidate(queryClient, lists.getList, lists.listListMembers, lists.listLists);
      notifications.show({ message: `${result.changed} removed from the list.` });
    },
  });
  const toggle = (id: string) =>
    setSelected((s) => {
      const next = new Set(s);
      if (!next.delete(id)) next.add(id);
      return next;
    });
  return (
    <section aria-labelledby="members">
      <Group justify="space-between" mb="xs">
        <Title order={2} size="h4" id="members">
          Members
        </Title>
        <Button
          size="xs"
          color="red"
          variant="light"
          disabled={selected.size === 0}
          loading={removeMembers.isPending}
          onClick={() => removeMembers.mutate()}
        >
          Remove selected ({selected.size})
        </Button>
      </Group>
      {removeMembers.isError && <ErrorAlert error={removeMembers.error} title="Could not remove the members" />}
      <RequestState
        query={page}
        label="members"
        isEmpty={(d) => d.items.length === 0 && !cursor}
        empty={<Empty title="No members yet" description="Find contacts above to add them." />}
      >
        {(d) => (
          <>
            <Table.ScrollContainer minWidth={560}>
              <Table aria-labelledby="members" striped>
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th scope="col">
                      <span className="visually-hidden">Selected</span>
                    </Table.Th>
                    <Table.Th scope="col">Name</Table.Th>
                    <Table.Th scope="col">Email</Table.Th>
                    <Table.Th scope="col">Phone</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {d.items.map((c) => (
                    <Table.Tr key={c.contactId}>
                      <Table.Td>
                        <Checkbox
                          aria-label={`Select ${label(c)}`}
                          checked={selected.has(c.contactId)}
                          onChange={() => toggle(c.contactId)}
                        />
                      </Table.Td>
                      <Table.Td>
                        <Anchor component={Link} to={`/contacts/${c.contactId}`}>
                          {label(c)}
                        </Anchor>
                      </Table.Td>
                      <Table.Td>{c.email ?? '—'}</Table.Td>
                      <Table.Td>{c.phone ?? '—'}</Table.Td>
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
