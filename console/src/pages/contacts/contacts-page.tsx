/**
 * Contacts: the newest pages of the base, or a search by email or phone prefix (the API's own
 * search: GET /contacts?email=… / ?phone=…). The search lives in the address (?email=ada), so
 * back, reload and a shared link keep it; pages follow the API's cursor.
 */
import { Anchor, Button, Group, SegmentedControl, Table, TextInput } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { query } from '../../api/query.ts';
import { fullName } from '../../components/format.ts';
import { PageHeader } from '../../components/page-header.tsx';
import { Empty, RequestState } from '../../components/request-state.tsx';
import { contacts } from './contacts-api.ts';
import { ConsentBadge } from './consent-badge.tsx';

type Field = 'email' | 'phone';
const PAGE_SIZE = 25;

export default function ContactsPage() {
  const [params, setParams] = useSearchParams();
  const [field, setField] = useState<Field>(params.has('phone') ? 'phone' : 'email');
  const [text, setText] = useState(params.get(field) ?? '');
  const [typed] = useDebouncedValue(text.trim(), 300);
  // Phone numbers are stored in E.164: spaces, dashes and brackets are dropped, as the API does.
  const debounced = field === 'phone' ? typed.replace(/[\s\-().]/g, '') : typed;
  // Cursors of the pages before this one (Previous pops one).
  const [cursors, setCursors] = useState<string[]>([]);
  const cursor = cursors[cursors.length - 1];

  useEffect(() => {
    setParams(debounced ? { [field]: debounced } : {}, { replace: true });
    setCursors([]);
  }, [debounced, field, setParams]);

  const search = debounced ? { [field]: debounced } : {};
  const page = useQuery({
    ...query(contacts.listContacts, { query: { limit: PAGE_SIZE, ...search, ...(cursor ? { cursor } : {}) } }),
    placeholderData: keepPreviousData,
  });

  return (
    <>
      <PageHeader
        title="Contacts"
        actions={
          <Button component={Link} to="/imports/new" variant="default">
            Import a CSV file
          </Button>
        }
      />
      <search aria-label="Contacts">
        <Group align="flex-end" mb="md" wrap="wrap">
          <SegmentedControl
            aria-label="Search by"
            value={field}
            onChange={(v) => setField(v as Field)}
            data={[
              { label: 'Email', value: 'email' },
              { label: 'Phone', value: 'phone' },
            ]}
          />
          <TextInput
            label={field === 'email' ? 'Email starts with' : 'Phone starts with (E.164, such as +44)'}
            placeholder={field === 'email' ? 'ada@' : '+4477'}
            value={text}
            onChange={(e) => setText(e.currentTarget.value)}
            type="search"
            style={{ flex: 1, minWidth: 220 }}
          />
        </Group>
      </search>
      <RequestState
        query={page}
        label="contacts"
        isEmpty={(data) => data.items.length === 0 && cursors.length === 0}
        empty={
          <Empty
            title={debounced ? `No contact's ${field} starts with “${debounced}”` : 'No contacts yet'}
            description={
              debounced
                ? 'Search is by the start of the address, as stored (lower case for email).'
                : 'Import a CSV file or create contacts through the API.'
            }
          />
        }
      >
        {(data) => (
          <>
            <Table.ScrollContainer minWidth={640}>
              <Table striped highlightOnHover aria-label="Contacts" aria-busy={page.isFetching}>
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th scope="col">Name</Table.Th>
                    <Table.Th scope="col">Email</Table.Th>
                    <Table.Th scope="col">Phone</Table.Th>
                    <Table.Th scope="col">Consent</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {data.items.map((c) => (
                    <Table.Tr key={c.contactId}>
                      <Table.Td>
                        <Anchor component={Link} to={`/contacts/${c.contactId}`}>
                          {fullName(c) || c.email || c.phone || c.externalId || c.contactId}
                        </Anchor>
                      </Table.Td>
                      <Table.Td>{c.email ?? '—'}</Table.Td>
                      <Table.Td>{c.phone ?? '—'}</Table.Td>
                      <Table.Td>
                        <Group gap={4}>
                          <ConsentBadge label="email" status={c.consent.email.status} />
                          <ConsentBadge label="sms" status={c.consent.sms.status} />
                        </Group>
                      </Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </Table.ScrollContainer>
            <Group justify="flex-end" mt="sm">
              <Button variant="default" disabled={cursors.length === 0} onClick={() => setCursors((c) => c.slice(0, -1))}>
                Previous page
              </Button>
              <Button
                variant="default"
                disabled={!data.cursor}
                onClick={() => data.cursor && setCursors((c) => [...c, data.cursor as string])}
              >
                Next page
              </Button>
            </Group>
          </>
        )}
      </RequestState>
    </>
  );
}
