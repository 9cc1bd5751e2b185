/**
 * Outbound webhooks: the workspace's subscriptions (secrets masked), and a form to subscribe an
 * endpoint (CreateWebhook, with an Idempotency-Key) whose answer's signing secret is shown once.
 */
import { Anchor, Badge, Button, Group, Modal, Stack, Switch, Table, Text, TextInput } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { CreateWebhook, MAX_WEBHOOKS, type WebhookWithSecret } from '@shared/domain/webhook.ts';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { invalidate, query } from '../../api/query.ts';
import { dateTime } from '../../components/format.ts';
import { PageHeader } from '../../components/page-header.tsx';
import { Empty, ErrorAlert, RequestState } from '../../components/request-state.tsx';
import { errorsUnder, issuesByPath, onAField } from './form-errors.ts';
import { SettingsNav } from './settings-nav.tsx';
import { EventsField, eventsText, SecretDialog } from './webhook-parts.tsx';
import { webhooks } from './webhooks-api.ts';

export default function WebhooksPage() {
  const all = useQuery(query(webhooks.listWebhooks, { query: { limit: 100 } }));
  const [creating, setCreating] = useState(false);
  const [created, setCreated] = useState<WebhookWithSecret>();
  const navigate = useNavigate();
  const full = (all.data?.items.length ?? 0) >= MAX_WEBHOOKS;
  const add = (
    <Button onClick={() => setCreating(true)} disabled={full || !all.isSuccess}>
      Add a webhook
    </Button>
  );
  return (
    <>
      <SettingsNav />
      <PageHeader title="Webhooks" actions={add}>
        <Text c="dimmed" size="sm">
          Signed POSTs to your endpoints when a message is sent, delivered, opened, clicked… retried for about 11 hours.
          {full ? ` A workspace has at most ${MAX_WEBHOOKS} webhooks.` : ''}
        </Text>
      </PageHeader>
      {creating && (
        <CreateWebhookDialog
          onClose={() => setCreating(false)}
          onCreated={(w) => {
            setCreating(false);
            setCreated(w);
          }}
        />
      )}
      <SecretDialog
        secret={created?.secret}
        title="Webhook added"
        onClose={() => {
          const id = created?.webhookId;
          setCreated(undefined);
          if (id) navigate(`/settings/webhooks/${id}`);
        }}
      />
      <RequestState
        query={all}
        label="webhooks"
        isEmpty={(d) => d.items.length === 0}
        empty={
          <Empty
            title="No webhooks yet"
            description="Add one to hear about deliveries, bounces, opens and clicks in your own systems."
            action={add}
          />
        }
      >
        {(d) => (
          <Table.ScrollContainer minWidth={720}>
            <Table aria-label="Webhooks" striped highlightOnHover>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th scope="col">Endpoint</Table.Th>
                  <Table.Th scope="col">Events</Table.Th>
                  <Table.Th scope="col">Status</Table.Th>
                  <Table.Th scope="col">Secret</Table.Th>
                  <Table.Th scope="col">Added</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {d.items.map((w) => (
                  <Table.Tr key={w.webhookId}>
                    <Table.Td style={{ overflowWrap: 'anywhere' }}>
                      <Anchor component={Link} to={`/settings/webhooks/${w.webhookId}`}>
                        {w.url}
                      </Anchor>
                      {w.description && (
                        <Text size="sm" c="dimmed">
                          {w.description}
                        </Text>
                      )}
                    </Table.Td>
                    <Table.Td>{eventsText(w.events)}</Table.Td>
                    <Table.Td>
                      <Badge variant="light" color={w.enabled ? 'green' : 'gray'}>
                        {w.enabled ? 'Enabled' : 'Disabled'}
                      </Badge>
                    </Table.Td>
                    <Table.Td>
                      <code>{w.maskedSecret}</code>
                    </Table.Td>
                    <Table.Td>{dateTime(w.createdAt)}</Table.Td>
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

function CreateWebhookDialog({ onClose, onCreated }: { onClose: () => void; onCreated: (w: WebhookWithSecret) => void }) {
  const queryClient = useQueryClient();
  const [url, setUrl] = useState('https://');
  const [description, setDescription] = useState('');
  const [events, setEvents] = useState<string[]>(['message.delivered', 'message.bounced', 'message.complained']);
  const [enabled, setEnabled] = useState(true);
  const [local, setLocal] = useState<Record<string, string>>({});
  // One key per dialog: a double submit or a retry subscribes once, and the answer still carries the secret.
  const [key] = useState(() => crypto.randomUUID());
  const create = useMutation({
    mutationFn: (body: CreateWebhook) => webhooks.createWebhook({ body, headers: { 'idempotency-key': key } }),
    onSuccess: async (w) => {
      await invalidate(queryClient, webhooks.listWebhooks);
      notifications.show({ color: 'green', message: `Webhook to ${w.url} added.` });
      onCreated(w);
    },
  });
  const errors = { ...errorsUnder(create.error), ...local };

  function submit(event: FormEvent) {
    event.preventDefault();
    const body = { url, events, enabled, ...(description.trim() ? { description } : {}) } as CreateWebhook;
    const checked = CreateWebhook.safeParse(body);
    setLocal(checked.success ? {} : issuesByPath(checked.error));
    if (checked.success) create.mutate(body);
  }

  return (
    <Modal opened onClose={onClose} title="Add a webhook" centered size="lg">
      <form onSubmit={submit} noValidate>
        <Stack>
          <TextInput
            label="Endpoint URL"
            description="https:// (http:// only to localhost on the local platform)"
            value={url}
            onChange={(e) => setUrl(e.currentTarget.value)}
            error={errors.url}
            required
            data-autofocus
            autoComplete="off"
          />
          <TextInput
            label="Description"
            description="Who receives it, such as CRM"
            value={description}
            onChange={(e) => setDescription(e.currentTarget.value)}
            error={errors.description}
          />
          <EventsField value={events} onChange={setEvents} error={errors.events} />
          <Switch label="Enabled" checked={enabled} onChange={(e) => setEnabled(e.currentTarget.checked)} />
          {create.isError && !onAField(create.error) && <ErrorAlert error={create.error} title="Could not add the webhook" />}
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              Cancel
            </Button>
            <Button type="submit" loading={create.isPending}>
              Add webhook
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
