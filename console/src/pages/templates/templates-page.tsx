/** Templates: all of them, and a dialog that creates one (with starter content) and opens its editor. */
import { Anchor, Badge, Button, Group, Modal, Radio, Stack, Table, Text, TextInput } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { notifications } from '@mantine/notifications';
import { CreateTemplate, type Template } from '@shared/domain/template.ts';
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { ApiError } from '../../api/client.ts';
import { invalidate, query } from '../../api/query.ts';
import { dateTime } from '../../components/format.ts';
import { PageHeader } from '../../components/page-header.tsx';
import { Empty, ErrorAlert, RequestState } from '../../components/request-state.tsx';
import { templates } from './templates-api.ts';

const PAGE_SIZE = 100;

/** What a new template starts with: valid Liquid that shows the variables at work. */
export const STARTER = {
  email: {
    subject: '{{ contact.firstName | default: "Hello" }}, news from us',
    html: '<p>Hi {{ contact.firstName | default: "there" }},</p>\n<p>…</p>\n<p><a href="{% unsubscribe_url %}">Unsubscribe</a></p>',
  },
  sms: { body: 'Hi {{ contact.firstName | default: "there" }}, … Reply STOP to opt out.' },
};

const summary = (t: Template) => (t.channel === 'email' ? (t.email?.subject ?? '') : (t.sms?.body ?? ''));

export default function TemplatesPage() {
  const [cursors, setCursors] = useState<string[]>([]);
  const cursor = cursors[cursors.length - 1];
  const page = useQuery({
    ...query(templates.listTemplates, { query: { limit: PAGE_SIZE, ...(cursor ? { cursor } : {}) } }),
    placeholderData: keepPreviousData,
  });
  const [creating, { open, close }] = useDisclosure(false);
  return (
    <>
      <PageHeader title="Templates" actions={<Button onClick={open}>New template</Button>}>
        <Text size="sm" c="dimmed">
          Email and SMS messages in Liquid, previewed for a real contact.
        </Text>
      </PageHeader>
      <CreateTemplateDialog opened={creating} onClose={close} />
      <RequestState
        query={page}
        label="templates"
        isEmpty={(d) => d.items.length === 0 && !cursor}
        empty={
          <Empty
            title="No templates yet"
            description="A template is the message a campaign sends."
            action={<Button onClick={open}>New template</Button>}
          />
        }
      >
        {(d) => (
          <>
            <Table.ScrollContainer minWidth={560}>
              <Table aria-label="Templates" striped highlightOnHover>
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th scope="col">Name</Table.Th>
                    <Table.Th scope="col">Channel</Table.Th>
                    <Table.Th scope="col">Subject or text</Table.Th>
                    <Table.Th scope="col">Updated</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {d.items.map((t) => (
                    <Table.Tr key={t.templateId}>
                      <Table.Td>
                        <Anchor component={Link} to={`/templates/${t.templateId}`}>
                          {t.name}
                        </Anchor>
                      </Table.Td>
                      <Table.Td>
                        <Badge variant="light" color={t.channel === 'email' ? 'blue' : 'grape'}>
                          {t.channel === 'email' ? 'email' : 'SMS'}
                        </Badge>
                      </Table.Td>
                      <Table.Td>
                        <Text size="sm" lineClamp={1} style={{ fontFamily: 'var(--mantine-font-family-monospace)' }}>
                          {summary(t)}
                        </Text>
                      </Table.Td>
                      <Table.Td style={{ whiteSpace: 'nowrap' }}>
                        {dateTime(t.updatedAt)} (v{t.version})
                      </Table.Td>
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

function CreateTemplateDialog({ opened, onClose }: { opened: boolean; onClose: () => void }) {
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const [name, setName] = useState('');
  const [channel, setChannel] = useState<'email' | 'sms'>('email');
  const [errors, setErrors] = useState<Record<string, string>>({});
  // One key per dialog opening: a double submit or a retry creates one template.
  const [key, setKey] = useState(() => crypto.randomUUID());
  const create = useMutation({
    mutationFn: (body: CreateTemplate) => templates.createTemplate({ body, headers: { 'idempotency-key': key } }),
    onSuccess: async (template) => {
      await invalidate(queryClient, templates.listTemplates);
      notifications.show({ color: 'green', message: `Template “${template.name}” created.` });
      setName('');
      setKey(crypto.randomUUID());
      onClose();
      navigate(`/templates/${template.templateId}`);
    },
    onError: (error) => setErrors(error instanceof ApiError ? error.fieldErrors() : {}),
  });
  function submit(event: FormEvent) {
    event.preventDefault();
    const body = { name, channel, [channel]: STARTER[channel] } as CreateTemplate;
    const checked = CreateTemplate.safeParse(body);
    if (!checked.success) return setErrors(Object.fromEntries(checked.error.issues.map((i) => [i.path.join('.'), i.message])));
    setErrors({});
    create.mutate(body);
  }
  return (
    <Modal opened={opened} onClose={onClose} title="New template" centered>
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
          <Radio.Group label="Channel" value={channel} onChange={(v) => setChannel(v as 'email' | 'sms')} error={errors.channel}>
            <Group mt={6}>
              <Radio value="email" label="Email" />
              <Radio value="sms" label="SMS" />
            </Group>
          </Radio.Group>
          <Text size="xs" c="dimmed">
            It starts with a short example you then edit. The channel cannot change later.
          </Text>
          {create.isError && !(create.error instanceof ApiError && create.error.issues.length > 0) && (
            <ErrorAlert error={create.error} title="Could not create the template" />
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
