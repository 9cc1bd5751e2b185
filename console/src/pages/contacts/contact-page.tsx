/**
 * One contact: profile, consent (now and its history), the value model (RFM, tier, lifecycle,
 * NPS answer), purchases and events, lists, the campaign messages it received and what it did
 * with them; edit, export (a JSON download) and erase (confirmed by typing).
 *
 * GET /contacts/{id} gives the profile and value; GET /contacts/{id}/export everything else (the
 * API has no narrower read for history, events or messages yet).
 */
import { Anchor, Badge, Button, Group, Stack, Table, Tabs, Text, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { listApi } from '@shared/api/contract/lists.ts';
import type { ContactExport } from '@shared/domain/export.ts';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { lazy, type ReactNode, Suspense, useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { apiOf } from '../../api/client.ts';
import { invalidate, query } from '../../api/query.ts';
import { ConfirmDialog } from '../../components/confirm.tsx';
import { downloadJson } from '../../components/download.ts';
import { Facts } from '../../components/facts.tsx';
import { dateTime, fullName, money } from '../../components/format.ts';
import { PageHeader } from '../../components/page-header.tsx';
import { Empty, ErrorAlert, Loading, RequestState } from '../../components/request-state.tsx';
import { ConsentBadge } from './consent-badge.tsx';
import { contacts } from './contacts-api.ts';

// The chart library loads only when the Value tab shows a chart (charts/ is its own chunk).
const PurchasesChart = lazy(() => import('../../charts/purchases-chart.tsx'));
const lists = apiOf(listApi);

export default function ContactPage() {
  const { contactId = '' } = useParams();
  const contact = useQuery(query(contacts.getContact, { path: { contactId } }));
  const held = useQuery(query(contacts.exportContact, { path: { contactId } }));
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const [erasing, setErasing] = useState(false);
  const erase = useMutation({
    mutationFn: () => contacts.eraseContact({ path: { contactId } }),
    onSuccess: async () => {
      queryClient.removeQueries({ queryKey: [contacts.getContact.operationId, { path: { contactId } }] });
      await invalidate(queryClient, contacts.listContacts, lists.listLists, lists.listListMembers);
      notifications.show({ color: 'green', message: 'The contact was erased, with its consent history and memberships.' });
      navigate('/contacts');
    },
  });
  const exportNow = useMutation({
    mutationFn: () => contacts.exportContact({ path: { contactId } }),
    onSuccess: (data) => downloadJson(`herald-contact-${contactId}.json`, data),
  });

  return (
    <RequestState query={contact} label="the contact">
      {(c) => (
        <>
          <PageHeader
            title={fullName(c) || c.email || c.phone || c.contactId}
            actions={
              <>
                <Button component={Link} to={`/contacts/${contactId}/edit`}>
                  Edit
                </Button>
                <Button variant="default" onClick={() => exportNow.mutate()} loading={exportNow.isPending}>
                  Export (JSON)
                </Button>
                <Button color="red" variant="outline" onClick={() => setErasing(true)}>
                  Erase
                </Button>
              </>
            }
          >
            <Group gap="xs" mt={4}>
              <Badge variant="light" tt="none">
                {c.value.lifecycle.replace('_', ' ')}
              </Badge>
              {c.value.tier && (
                <Badge variant="light" color="grape" tt="none">
                  tier {c.value.tier}
                </Badge>
              )}
              <Text size="sm" c="dimmed">
                {c.contactId}
              </Text>
            </Group>
          </PageHeader>
          {exportNow.isError && <ErrorAlert error={exportNow.error} title="Could not export" />}
          <ConfirmDialog
            opened={erasing}
            title="Erase this contact?"
            word="erase"
            action="Erase"
            pending={erase.isPending}
            error={erase.error}
            onConfirm={() => erase.mutate()}
            onClose={() => setErasing(false)}
          >
            This removes {c.email ?? c.phone ?? 'the contact'} for good: the profile, its identifiers, the consent history and every list
            membership (GDPR art. 17). Export first if you need a copy.
          </ConfirmDialog>

          <Tabs defaultValue="profile" keepMounted={false}>
            <Tabs.List mb="md">
              <Tabs.Tab value="profile">Profile</Tabs.Tab>
              <Tabs.Tab value="consent">Consent</Tabs.Tab>
              <Tabs.Tab value="value">Value</Tabs.Tab>
              <Tabs.Tab value="activity">Purchases and events</Tabs.Tab>
              <Tabs.Tab value="lists">Lists</Tabs.Tab>
              <Tabs.Tab value="messages">Messages</Tabs.Tab>
            </Tabs.List>

            <Tabs.Panel value="profile">
              <Stack>
                <Facts
                  items={[
                    ['Email', c.email ?? '—'],
                    ['Phone', c.phone ?? '—'],
                    ['External id', c.externalId ?? '—'],
                    ['First name', c.firstName ?? '—'],
                    ['Last name', c.lastName ?? '—'],
                    ['Time zone', c.timezone ?? '—'],
                    ['Locale', c.locale ?? '—'],
                    ['Preferred channel', c.preferredChannel ?? '—'],
                    ['Created', dateTime(c.createdAt)],
                    ['Updated', dateTime(c.updatedAt)],
                  ]}
                />
                <Title order={2} size="h4">
                  Attributes
                </Title>
                {Object.keys(c.attributes).length === 0 ? (
                  <Text c="dimmed">No attributes.</Text>
                ) : (
                  <Facts items={Object.entries(c.attributes).map(([k, v]) => [k, String(v)])} />
                )}
              </Stack>
            </Tabs.Panel>

            <Tabs.Panel value="consent">
              <Stack>
                <Group gap="xs">
                  <ConsentBadge label="email" status={c.consent.email.status} />
                  <ConsentBadge label="sms" status={c.consent.sms.status} />
                  {Object.entries(c.topics ?? {}).map(([topic, state]) => (
                    <ConsentBadge key={topic} label={`topic ${topic}`} status={state.status} />
                  ))}
                </Group>
                <Title order={2} size="h4">
                  History
                </Title>
                <HeldPart query={held} label="consent history" isEmpty={(h) => h.consentHistory.length === 0}>
                  {(h) => <ConsentHistory events={h.consentHistory} />}
                </HeldPart>
              </Stack>
            </Tabs.Panel>

            <Tabs.Panel value="value">
              <Stack>
                <Facts
                  items={[
                    ['Lifecycle stage', c.value.lifecycle.replace('_', ' ')],
                    ['Value tier', c.value.tier ?? '—'],
                    [
                      'RFM (recency, frequency, monetary)',
                      c.value.rfm ? `${c.value.rfm.r} · ${c.value.rfm.f} · ${c.value.rfm.m}` : 'not scored yet',
                    ],
                    ['Orders', c.value.orders],
                    ['Revenue', money(c.value.revenue)],
                    ['Average order value', money(c.value.averageOrderValue)],
                    ['Refunds', c.value.refunds],
                    ['First purchase', dateTime(c.value.firstPurchaseAt)],
                    ['Last purchase', dateTime(c.value.lastPurchaseAt)],
                    [
                      'NPS answer',
                      c.attributes.npsScore === undefined ? '—' : `${c.attributes.npsScore} (${c.attributes.npsCategory ?? ''})`,
                    ],
                    ['NPS answered', dateTime(typeof c.attributes.npsAt === 'string' ? c.attributes.npsAt : undefined)],
                    ['NPS comment', typeof c.attributes.npsComment === 'string' ? c.attributes.npsComment : '—'],
                  ]}
                />
                {Object.keys(c.value.categories).length > 0 && (
                  <Text size="sm">
                    Categories bought:{' '}
                    {Object.entries(c.value.categories)
                      .map(([name, t]) => `${name} (${t.count})`)
                      .join(', ')}
                  </Text>
                )}
                <HeldPart query={held} label="purchases" isEmpty={(h) => !h.events.some((e) => e.type === 'purchase')}>
                  {(h) => (
                    <Suspense fallback={<Loading label="Loading the chart" rows={1} />}>
                      <PurchasesChart events={h.events} />
                    </Suspense>
                  )}
                </HeldPart>
              </Stack>
            </Tabs.Panel>

            <Tabs.Panel value="activity">
              <HeldPart query={held} label="purchases or events" isEmpty={(h) => h.events.length === 0}>
                {(h) => <Events events={h.events} />}
              </HeldPart>
            </Tabs.Panel>

            <Tabs.Panel value="lists">
              <HeldPart query={held} label="lists" isEmpty={(h) => h.lists.length === 0}>
                {(h) => <Lists listIds={h.lists} />}
              </HeldPart>
            </Tabs.Panel>

            <Tabs.Panel value="messages">
              <HeldPart query={held} label="messages" isEmpty={(h) => h.messages.length === 0}>
                {(h) => <Messages messages={h.messages} />}
              </HeldPart>
            </Tabs.Panel>
          </Tabs>
        </>
      )}
    </RequestState>
  );
}

function HeldPart(props: {
  query: ReturnType<typeof useQuery<ContactExport>>;
  label: string;
  isEmpty: (h: ContactExport) => boolean;
  children: (h: ContactExport) => ReactNode;
}) {
  return <RequestState {...props} empty={<Empty title={`No ${props.label}`} />} />;
}

function ConsentHistory({ events }: { events: ContactExport['consentHistory'] }) {
  return (
    <Table.ScrollContainer minWidth={560}>
      <Table aria-label="Consent history">
        <Table.Thead>
          <Table.Tr>
            <Table.Th scope="col">When</Table.Th>
            <Table.Th scope="col">Channel or topic</Table.Th>
            <Table.Th scope="col">Change</Table.Th>
            <Table.Th scope="col">Source</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {[...events].reverse().map((e) => (
            <Table.Tr key={`${e.at}-${e.channel ?? e.topic}-${e.to}`}>
              <Table.Td>{dateTime(e.at)}</Table.Td>
              <Table.Td>{e.channel ?? `topic ${e.topic}`}</Table.Td>
              <Table.Td>
                {e.from} → {e.to}
              </Table.Td>
              <Table.Td>{e.source}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}

function Events({ events }: { events: ContactExport['events'] }) {
  return (
    <Table.ScrollContainer minWidth={640}>
      <Table aria-label="Purchases and events" striped>
        <Table.Thead>
          <Table.Tr>
            <Table.Th scope="col">When</Table.Th>
            <Table.Th scope="col">Type</Table.Th>
            <Table.Th scope="col">Order</Table.Th>
            <Table.Th scope="col">Total</Table.Th>
            <Table.Th scope="col">Items or properties</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {[...events]
            .sort((a, b) => b.at.localeCompare(a.at))
            .map((e) => (
              <Table.Tr key={e.eventId}>
                <Table.Td>{dateTime(e.at)}</Table.Td>
                <Table.Td>{e.type}</Table.Td>
                <Table.Td>{e.orderId ?? '—'}</Table.Td>
                <Table.Td>{e.total === undefined ? '—' : `${money(e.total)} ${e.currency ?? ''}`}</Table.Td>
                <Table.Td>
                  {e.items
                    ? e.items.map((i) => `${i.quantity} × ${i.sku}${i.category ? ` (${i.category})` : ''}`).join(', ')
                    : Object.entries(e.properties ?? {})
                        .map(([k, v]) => `${k}: ${String(v)}`)
                        .join(', ') || '—'}
                </Table.Td>
              </Table.Tr>
            ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}

function Lists({ listIds }: { listIds: string[] }) {
  const all = useQuery(query(lists.listLists, { query: { limit: 500 } }));
  const names = new Map(all.data?.items.map((l) => [l.listId, l.name]));
  return (
    <Stack gap={4} component="ul" p={0} style={{ listStyle: 'none' }}>
      {listIds.map((id) => (
        <li key={id}>
          <Anchor component={Link} to={`/lists/${id}`}>
            {names.get(id) ?? id}
          </Anchor>
        </li>
      ))}
    </Stack>
  );
}

const OUTCOMES = ['delivered', 'bounced', 'complained', 'opened', 'clicked', 'unsubscribed'] as const;

function Messages({ messages }: { messages: ContactExport['messages'] }) {
  return (
    <Table.ScrollContainer minWidth={640}>
      <Table aria-label="Messages received" striped>
        <Table.Thead>
          <Table.Tr>
            <Table.Th scope="col">Sent</Table.Th>
            <Table.Th scope="col">Campaign</Table.Th>
            <Table.Th scope="col">Channel</Table.Th>
            <Table.Th scope="col">Status</Table.Th>
            <Table.Th scope="col">What happened</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {messages.map((m) => (
            <Table.Tr key={`${m.campaignId}-${m.sentAt ?? m.status}`}>
              <Table.Td>{dateTime(m.sentAt)}</Table.Td>
              <Table.Td>
                {m.campaignId}
                {m.variant ? ` (variant ${m.variant})` : ''}
              </Table.Td>
              <Table.Td>{m.channel ?? '—'}</Table.Td>
              <Table.Td>{m.status}</Table.Td>
              <Table.Td>
                {OUTCOMES.filter((o) => m[`${o}At`])
                  .map((o) => `${o} ${dateTime(m[`${o}At`])}`)
                  .join(' · ') || '—'}
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
