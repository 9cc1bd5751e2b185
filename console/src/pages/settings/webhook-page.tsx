/**
 * One webhook: what it listens to, a test delivery (the receiver's status and latency, or why
 * there was none), editing (only what changed is sent), rotating the signing secret (the new one
 * shown once; the old one keeps signing for a while, or is revoked now), its dead letters (paged,
 * redrive or drop), and deleting it.
 */
import { Alert, Button, Card, Group, Modal, NativeSelect, Stack, Switch, Table, Text, TextInput, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { UpdateWebhook, type WebhookView, type WebhookWithSecret } from '@shared/domain/webhook.ts';
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { ApiError } from '../../api/client.ts';
import { invalidate, query } from '../../api/query.ts';
import { ConfirmDialog } from '../../components/confirm.tsx';
import { Facts } from '../../components/facts.tsx';
import { dateTime } from '../../components/format.ts';
import { PageHeader } from '../../components/page-header.tsx';
import { Empty, ErrorAlert, RequestState } from '../../components/request-state.tsx';
import { errorsUnder, issuesByPath, onAField } from './form-errors.ts';
import { SettingsNav } from './settings-nav.tsx';
import { EventsField, eventsText, SecretDialog } from './webhook-parts.tsx';
import { webhooks } from './webhooks-api.ts';

export default function WebhookPage() {
  const { webhookId = '' } = useParams();
  const webhook = useQuery(query(webhooks.getWebhook, { path: { webhookId } }));
  return (
    <>
      <SettingsNav />
      <RequestState query={webhook} label="the webhook">
        {(w) => <WebhookDetails webhook={w} />}
      </RequestState>
    </>
  );
}

const KEEP_PREVIOUS = [
  { value: '0', label: 'Revoke it now' },
  { value: '3600', label: 'For an hour' },
  { value: '86400', label: 'For a day' },
  { value: '604800', label: 'For 7 days' },
];

function WebhookDetails({ webhook: w }: { webhook: WebhookView }) {
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const path = { webhookId: w.webhookId };
  const [deleting, setDeleting] = useState(false);
  const [rotating, setRotating] = useState(false);
  const [keep, setKeep] = useState('86400');
  const [rotated, setRotated] = useState<WebhookWithSecret>();

  const test = useMutation({ mutationFn: () => webhooks.testWebhook({ path }) });
  const remove = useMutation({
    mutationFn: () => webhooks.deleteWebhook({ path }),
    onSuccess: async () => {
      await invalidate(queryClient, webhooks.listWebhooks);
      queryClient.removeQueries({ queryKey: [webhooks.getWebhook.operationId, { path }] });
      notifications.show({ color: 'green', message: `Webhook to ${w.url} deleted.` });
      navigate('/settings/webhooks');
    },
  });
  const rotate = useMutation({
    mutationFn: () => webhooks.rotateWebhookSecret({ path, query: { keepPreviousSeconds: Number(keep) } }),
    onSuccess: async (fresh) => {
      setRotating(false);
      setRotated(fresh);
      await invalidate(queryClient, webhooks.getWebhook, webhooks.listWebhooks);
    },
  });

  return (
    <>
      <PageHeader
        title="Webhook"
        actions={
          <>
            <Button onClick={() => test.mutate()} loading={test.isPending}>
              Send a test
            </Button>
            <Button variant="default" onClick={() => setRotating(true)}>
              Rotate the secret
            </Button>
            <Button variant="default" color="red" onClick={() => setDeleting(true)}>
              Delete
            </Button>
          </>
        }
      >
        <Text style={{ overflowWrap: 'anywhere' }}>{w.url}</Text>
        <Text size="sm">
          <Link to="/settings/webhooks">All webhooks</Link>
        </Text>
      </PageHeader>

      <Stack gap="lg">
        <div role="status" aria-live="polite">
          {test.isSuccess &&
            (test.data.delivered ? (
              <Alert color="green" variant="light" title="Test delivered">
                <Text size="sm">
                  The endpoint answered {test.data.status} in {test.data.latencyMs} ms (event {test.data.eventId}).
                </Text>
              </Alert>
            ) : (
              <Alert color="red" variant="light" title="Test not delivered">
                <Text size="sm">
                  {test.data.status !== undefined
                    ? `The endpoint answered ${test.data.status} after ${test.data.latencyMs} ms`
                    : `No answer: ${test.data.error ?? 'unknown error'} (${test.data.latencyMs} ms)`}{' '}
                  (event {test.data.eventId}). A real delivery would be retried.
                </Text>
              </Alert>
            ))}
        </div>
        {test.isError && <ErrorAlert error={test.error} title="Could not send the test" />}

        <Card withBorder padding="lg" component="section" aria-label="Details">
          <Facts
            items={[
              ['Status', w.enabled ? 'Enabled' : 'Disabled'],
              ['Events', eventsText(w.events)],
              ['Description', w.description || '—'],
              ['Signing secret', <code key="secret">{w.maskedSecret}</code>],
              ['Previous secret signs until', w.previousSecretExpiresAt ? dateTime(w.previousSecretExpiresAt) : '—'],
              ['Added', dateTime(w.createdAt)],
              ['Changed', dateTime(w.updatedAt)],
            ]}
          />
        </Card>

        <EditCard webhook={w} />
        <DeadLetters webhook={w} />
      </Stack>

      <ConfirmDialog
        opened={deleting}
        title="Delete this webhook?"
        action="Delete webhook"
        pending={remove.isPending}
        error={remove.error}
        onConfirm={() => remove.mutate()}
        onClose={() => setDeleting(false)}
      >
        {w.url} gets no more deliveries: those still queued are dropped, and its dead letters are deleted with it.
      </ConfirmDialog>

      <Modal opened={rotating} onClose={() => setRotating(false)} title="Rotate the signing secret?" centered>
        <form
          onSubmit={(e) => {
            e.preventDefault();
            rotate.mutate();
          }}
        >
          <Stack>
            <Text size="sm">A new secret signs every delivery from now on. The receiver needs it before the old one stops working.</Text>
            <NativeSelect
              label="Keep signing with the old secret too"
              data={KEEP_PREVIOUS}
              value={keep}
              onChange={(e) => setKeep(e.currentTarget.value)}
              data-autofocus
            />
            {rotate.isError && <ErrorAlert error={rotate.error} title="Could not rotate the secret" />}
            <Group justify="flex-end">
              <Button variant="default" onClick={() => setRotating(false)}>
                Cancel
              </Button>
              <Button type="submit" loading={rotate.isPending}>
                Rotate
              </Button>
            </Group>
          </Stack>
        </form>
      </Modal>
      <SecretDialog secret={rotated?.secret} title="New signing secret" onClose={() => setRotated(undefined)} />
    </>
  );
}

function EditCard({ webhook: w }: { webhook: WebhookView }) {
  const queryClient = useQueryClient();
  const [url, setUrl] = useState(w.url);
  const [description, setDescription] = useState(w.description ?? '');
  const [events, setEvents] = useState<string[]>(w.events);
  const [enabled, setEnabled] = useState(w.enabled);
  const [local, setLocal] = useState<Record<string, string>>({});
  const update = useMutation({
    mutationFn: (body: UpdateWebhook) => webhooks.updateWebhook({ path: { webhookId: w.webhookId }, body }),
    onSuccess: async (saved) => {
      queryClient.setQueryData(query(webhooks.getWebhook, { path: { webhookId: w.webhookId } }).queryKey, saved);
      await invalidate(queryClient, webhooks.listWebhooks);
      notifications.show({ color: 'green', message: 'Webhook saved.' });
    },
    // Changed meanwhile: show what is stored now.
    onError: (error) => {
      if (error instanceof ApiError && (error.status === 409 || error.status === 404))
        void invalidate(queryClient, webhooks.getWebhook, webhooks.listWebhooks);
    },
  });
  const errors = { ...errorsUnder(update.error), ...local };
  const sameEvents = [...events].sort().join() === [...w.events].sort().join();
  const body: UpdateWebhook = {
    ...(url.trim() !== w.url ? { url } : {}),
    ...(description.trim() !== (w.description ?? '') ? { description } : {}),
    ...(sameEvents ? {} : { events: events as UpdateWebhook['events'] }),
    ...(enabled !== w.enabled ? { enabled } : {}),
  };
  const changed = Object.keys(body).length > 0;

  function submit(event: FormEvent) {
    event.preventDefault();
    if (!changed) return;
    const checked = UpdateWebhook.safeParse(body);
    setLocal(checked.success ? {} : issuesByPath(checked.error));
    if (checked.success) update.mutate(body);
  }

  return (
    <Card withBorder padding="lg" component="section" aria-labelledby="edit-webhook-heading">
      <form onSubmit={submit} noValidate>
        <Stack gap="sm">
          <Title order={2} size="h4" id="edit-webhook-heading">
            Change
          </Title>
          <TextInput
            label="Endpoint URL"
            value={url}
            onChange={(e) => setUrl(e.currentTarget.value)}
            error={errors.url}
            autoComplete="off"
          />
          <TextInput
            label="Description"
            description="Empty removes it"
            value={description}
            onChange={(e) => setDescription(e.currentTarget.value)}
            error={errors.description}
          />
          <EventsField value={events} onChange={setEvents} error={errors.events} />
          <Switch
            label="Enabled"
            description="A disabled webhook gets nothing; deliveries in flight go to its dead letters"
            checked={enabled}
            onChange={(e) => setEnabled(e.currentTarget.checked)}
          />
          {update.isError && !onAField(update.error) && <ErrorAlert error={update.error} title="Could not save the webhook" />}
          <Group justify="flex-end">
            <Button type="submit" loading={update.isPending} disabled={!changed}>
              Save changes
            </Button>
          </Group>
        </Stack>
      </form>
    </Card>
  );
}

const PAGE_SIZE = 25;

function DeadLetters({ webhook: w }: { webhook: WebhookView }) {
  const queryClient = useQueryClient();
  const path = { webhookId: w.webhookId };
  const [cursors, setCursors] = useState<string[]>([]);
  const cursor = cursors[cursors.length - 1];
  const page = useQuery({
    ...query(webhooks.listWebhookDeadLetters, { path, query: { limit: PAGE_SIZE, ...(cursor ? { cursor } : {}) } }),
    placeholderData: keepPreviousData,
  });
  const [dropping, setDropping] = useState<string>();
  const redrive = useMutation({
    mutationFn: (eventId: string) => webhooks.redriveWebhookDeadLetter({ path: { ...path, eventId } }),
    onSuccess: async (r) => {
      notifications.show({ color: 'green', message: `Event ${r.eventId} queued again, with the whole retry schedule.` });
      await invalidate(queryClient, webhooks.listWebhookDeadLetters);
    },
  });
  const drop = useMutation({
    mutationFn: (eventId: string) => webhooks.deleteWebhookDeadLetter({ path: { ...path, eventId } }),
    onSuccess: async () => {
      setDropping(undefined);
      notifications.show({ color: 'green', message: 'Dead letter dropped.' });
      await invalidate(queryClient, webhooks.listWebhookDeadLetters);
    },
  });

  return (
    <Card withBorder padding="lg" component="section" aria-labelledby="dead-letters-heading">
      <Stack gap="sm">
        <div>
          <Title order={2} size="h4" id="dead-letters-heading">
            Dead letters
          </Title>
          <Text size="sm" c="dimmed">
            Deliveries that failed every attempt, or found the webhook disabled. Redrive sends one again with the same event id.
          </Text>
        </div>
        {redrive.isError && <ErrorAlert error={redrive.error} title="Could not redrive" />}
        <RequestState
          query={page}
          label="dead letters"
          isEmpty={(d) => d.items.length === 0 && cursors.length === 0}
          empty={<Empty title="No dead letters" description="Every delivery so far reached the endpoint." />}
        >
          {(d) => (
            <>
              <Table.ScrollContainer minWidth={760}>
                <Table aria-label="Dead letters" striped aria-busy={page.isFetching}>
                  <Table.Thead>
                    <Table.Tr>
                      <Table.Th scope="col">Event</Table.Th>
                      <Table.Th scope="col">Attempts</Table.Th>
                      <Table.Th scope="col">Last answer</Table.Th>
                      <Table.Th scope="col">Failed</Table.Th>
                      <Table.Th scope="col">
                        <span className="visually-hidden">Actions</span>
                      </Table.Th>
                    </Table.Tr>
                  </Table.Thead>
                  <Table.Tbody>
                    {d.items.map((l) => (
                      <Table.Tr key={l.eventId}>
                        <Table.Td>
                          <Text size="sm" fw={500}>
                            {l.eventType}
                          </Text>
                          <Text size="xs" c="dimmed" style={{ overflowWrap: 'anywhere' }}>
                            {l.eventId}
                          </Text>
                        </Table.Td>
                        <Table.Td>{l.attempts}</Table.Td>
                        <Table.Td style={{ overflowWrap: 'anywhere' }}>
                          {[l.lastStatus !== undefined ? `status ${l.lastStatus}` : undefined, l.lastError].filter(Boolean).join(': ') ||
                            '—'}
                        </Table.Td>
                        <Table.Td>{dateTime(l.failedAt)}</Table.Td>
                        <Table.Td>
                          <Group gap="xs" justify="flex-end" wrap="nowrap">
                            <Button
                              size="xs"
                              variant="default"
                              onClick={() => redrive.mutate(l.eventId)}
                              loading={redrive.isPending && redrive.variables === l.eventId}
                              aria-label={`Redrive ${l.eventType} ${l.eventId}`}
                            >
                              Redrive
                            </Button>
                            <Button
                              size="xs"
                              variant="default"
                              color="red"
                              onClick={() => setDropping(l.eventId)}
                              aria-label={`Drop ${l.eventType} ${l.eventId}`}
                            >
                              Drop
                            </Button>
                          </Group>
                        </Table.Td>
                      </Table.Tr>
                    ))}
                  </Table.Tbody>
                </Table>
              </Table.ScrollContainer>
              {(cursors.length > 0 || d.cursor) && (
                <Group justify="flex-end">
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
      </Stack>
      <ConfirmDialog
        opened={dropping !== undefined}
        title="Drop this dead letter?"
        action="Drop"
        pending={drop.isPending}
        error={drop.error}
        onConfirm={() => dropping && drop.mutate(dropping)}
        onClose={() => {
          setDropping(undefined);
          drop.reset();
        }}
      >
        Event {dropping} will not be delivered to {w.url}; nothing else keeps it.
      </ConfirmDialog>
    </Card>
  );
}
