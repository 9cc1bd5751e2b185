/**
 * Topics (part of the sending settings): what contacts consent to on their own, on top of channel
 * consent, and what a campaign may name. Add, edit (a topic's name is fixed once created: contacts'
 * consent and campaigns refer to it), translations for the preference page, delete. Each change
 * reads the settings afresh and puts the whole object back (use-sending.ts).
 */
import { ActionIcon, Badge, Button, Group, Modal, Radio, Stack, Table, Text, Textarea, TextInput, Title } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { notifications } from '@mantine/notifications';
import { MAX_TOPICS } from '@shared/domain/contact.ts';
import { Topic } from '@shared/domain/sending.ts';
import { type FormEvent, useState } from 'react';
import { ConfirmDialog } from '../../components/confirm.tsx';
import { PageHeader } from '../../components/page-header.tsx';
import { Empty, ErrorAlert, RequestState } from '../../components/request-state.tsx';
import { errorsUnder, issuesByPath, onAField } from './form-errors.ts';
import { SettingsNav } from './settings-nav.tsx';
import { compact, given, useSaveSending, useSendingSettings } from './use-sending.ts';

const DEFAULTS = {
  subscribed: { label: 'Opt-out', help: 'Everyone with channel consent gets it until they leave it.' },
  unsubscribed: { label: 'Opt-in', help: 'Only contacts who chose it get it.' },
} as const;

export default function TopicsPage() {
  const sending = useSendingSettings();
  const [editing, setEditing] = useState<Topic | 'new'>();
  const [deleting, setDeleting] = useState<Topic>();
  const remove = useSaveSending();
  const count = sending.data?.topics?.length ?? 0;
  const full = count >= MAX_TOPICS;
  const add = (
    <Button onClick={() => setEditing('new')} disabled={full || !sending.isSuccess}>
      Add a topic
    </Button>
  );
  return (
    <>
      <SettingsNav />
      <PageHeader title="Topics" actions={add}>
        <Text c="dimmed" size="sm">
          A newsletter, offers, product news: contacts consent to each on its own, and a campaign may name one.{' '}
          {full ? `A workspace has at most ${MAX_TOPICS} topics.` : ''}
        </Text>
      </PageHeader>
      {editing && (
        <TopicDialog
          topic={editing === 'new' ? undefined : editing}
          taken={(sending.data?.topics ?? []).map((t) => t.name)}
          onClose={() => setEditing(undefined)}
        />
      )}
      <ConfirmDialog
        opened={deleting !== undefined}
        title={`Delete the topic ${deleting?.displayName ?? ''}?`}
        action="Delete topic"
        pending={remove.isPending}
        error={remove.error}
        onClose={() => {
          setDeleting(undefined);
          remove.reset();
        }}
        onConfirm={() =>
          deleting &&
          remove.mutate((current) => compact({ ...current, topics: (current.topics ?? []).filter((t) => t.name !== deleting.name) }), {
            onSuccess: () => {
              notifications.show({ color: 'green', message: `Topic “${deleting.displayName}” deleted.` });
              setDeleting(undefined);
            },
          })
        }
      >
        Contacts keep the choices they made, and the preference page no longer shows it. A campaign that names <code>{deleting?.name}</code>{' '}
        then reaches only contacts who subscribed to it themselves.
      </ConfirmDialog>
      <RequestState
        query={sending}
        label="topics"
        isEmpty={(s) => (s.topics ?? []).length === 0}
        empty={
          <Empty title="No topics yet" description="Without topics a campaign goes to everyone with consent on its channel." action={add} />
        }
      >
        {(s) => (
          <Table.ScrollContainer minWidth={640}>
            <Table aria-label="Topics" striped>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th scope="col">Topic</Table.Th>
                  <Table.Th scope="col">Name</Table.Th>
                  <Table.Th scope="col">Default</Table.Th>
                  <Table.Th scope="col">Translations</Table.Th>
                  <Table.Th scope="col">
                    <span className="visually-hidden">Actions</span>
                  </Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {(s.topics ?? []).map((t) => (
                  <Table.Tr key={t.name}>
                    <Table.Td>
                      <Text fw={500}>{t.displayName}</Text>
                      {t.description && (
                        <Text size="sm" c="dimmed">
                          {t.description}
                        </Text>
                      )}
                    </Table.Td>
                    <Table.Td>
                      <code>{t.name}</code>
                    </Table.Td>
                    <Table.Td>
                      <Badge variant="light" color={t.defaultStatus === 'subscribed' ? 'blue' : 'gray'}>
                        {DEFAULTS[t.defaultStatus].label}
                      </Badge>
                    </Table.Td>
                    <Table.Td>{Object.keys(t.labels ?? {}).join(', ') || '—'}</Table.Td>
                    <Table.Td>
                      <Group gap="xs" justify="flex-end" wrap="nowrap">
                        <Button size="xs" variant="default" onClick={() => setEditing(t)} aria-label={`Edit ${t.displayName}`}>
                          Edit
                        </Button>
                        <Button
                          size="xs"
                          variant="default"
                          color="red"
                          onClick={() => setDeleting(t)}
                          aria-label={`Delete ${t.displayName}`}
                        >
                          Delete
                        </Button>
                      </Group>
                    </Table.Td>
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

interface LabelRow {
  key: number;
  language: string;
  displayName: string;
  description: string;
}

/** Create (no `topic`) or edit a topic, its default and its translations. */
function TopicDialog({ topic, taken, onClose }: { topic?: Topic; taken: string[]; onClose: () => void }) {
  const [opened, { close }] = useDisclosure(true);
  const save = useSaveSending();
  const [name, setName] = useState(topic?.name ?? '');
  const [displayName, setDisplayName] = useState(topic?.displayName ?? '');
  const [description, setDescription] = useState(topic?.description ?? '');
  const [defaultStatus, setDefaultStatus] = useState<Topic['defaultStatus']>(topic?.defaultStatus ?? 'unsubscribed');
  const [rows, setRows] = useState<LabelRow[]>(() =>
    Object.entries(topic?.labels ?? {}).map(([language, l], key) => ({
      key,
      language,
      displayName: l.displayName,
      description: l.description ?? '',
    })),
  );
  const [local, setLocal] = useState<Record<string, string>>({});
  // Where the topic sits in the body sent: the API's issues name `topics.<index>.<field>`.
  const [index, setIndex] = useState(0);
  const apiErrors = errorsUnder(save.error, `topics.${index}.`);
  const errors = { ...apiErrors, ...local };
  const dismiss = () => {
    close();
    onClose();
  };

  function build(): Topic | undefined {
    const labels = Object.fromEntries(
      rows.map((r) => [r.language.trim(), compact({ displayName: r.displayName, description: given(r.description) })]),
    );
    const candidate = compact({
      name: name.trim(),
      displayName,
      description: given(description),
      defaultStatus,
      labels: rows.length > 0 ? labels : undefined,
    });
    const checked = Topic.safeParse(candidate);
    const problems: Record<string, string> = checked.success ? {} : issuesByPath(checked.error);
    if (!topic && taken.includes(candidate.name)) problems.name = 'another topic has this name';
    rows.forEach((r, i) => {
      const language = r.language.trim();
      // zod reports a bad record key as "Invalid key in record": say what a key must be.
      if (!/^[a-z]{2,3}$/.test(language)) problems[`labels.${language}`] = 'a language code such as de';
      else if (rows.findIndex((o) => o.language.trim() === language) !== i) problems[`labels.${language}`] = 'twice';
    });
    setLocal(problems);
    return Object.keys(problems).length === 0 && checked.success ? checked.data : undefined;
  }

  function submit(event: FormEvent) {
    event.preventDefault();
    const next = build();
    if (!next) return;
    save.mutate(
      (current) => {
        const topics = [...(current.topics ?? [])];
        const at = topics.findIndex((t) => t.name === next.name);
        if (topic && at >= 0) topics[at] = next;
        else topics.push(next);
        setIndex(topic && at >= 0 ? at : topics.length - 1);
        return { ...current, topics };
      },
      {
        onSuccess: () => {
          notifications.show({ color: 'green', message: `Topic “${next.displayName}” ${topic ? 'saved' : 'added'}.` });
          dismiss();
        },
      },
    );
  }

  const setRow = (key: number, change: Partial<LabelRow>) => setRows((rs) => rs.map((r) => (r.key === key ? { ...r, ...change } : r)));
  const labelError = (r: LabelRow, field: string) => errors[`labels.${r.language.trim()}.${field}`];

  return (
    <Modal opened={opened} onClose={dismiss} title={topic ? `Edit ${topic.displayName}` : 'Add a topic'} centered size="lg">
      <form onSubmit={submit} noValidate>
        <Stack>
          <TextInput
            label="Name"
            description={
              topic
                ? 'Fixed: contacts’ choices and campaigns refer to the topic by it.'
                : 'What contacts, campaigns and segments name: letters, digits or _, such as offers. It cannot change later.'
            }
            value={name}
            onChange={(e) => setName(e.currentTarget.value)}
            readOnly={topic !== undefined}
            error={errors.name}
            required
            data-autofocus={topic ? undefined : true}
            autoComplete="off"
          />
          <TextInput
            label="Display name"
            description="What the preference page shows"
            value={displayName}
            onChange={(e) => setDisplayName(e.currentTarget.value)}
            error={errors.displayName}
            required
            data-autofocus={topic ? true : undefined}
          />
          <Textarea
            label="Description"
            value={description}
            onChange={(e) => setDescription(e.currentTarget.value)}
            error={errors.description}
            rows={2}
          />
          <Radio.Group
            label="A contact who never chose"
            value={defaultStatus}
            onChange={(v) => setDefaultStatus(v as Topic['defaultStatus'])}
            error={errors.defaultStatus}
          >
            <Stack gap="xs" mt="xs">
              {(['unsubscribed', 'subscribed'] as const).map((status) => (
                <Radio
                  key={status}
                  value={status}
                  label={`${DEFAULTS[status].label}: ${status === 'subscribed' ? 'subscribed' : 'not subscribed'}`}
                  description={DEFAULTS[status].help}
                />
              ))}
            </Stack>
          </Radio.Group>
          <div>
            <Title order={3} size="h5">
              Translations
            </Title>
            <Text size="sm" c="dimmed">
              The preference page shows these in the recipient's language.
            </Text>
          </div>
          {rows.map((r, i) => (
            <Group key={r.key} align="flex-end" wrap="wrap" gap="xs">
              <TextInput
                label="Language"
                placeholder="de"
                w={110}
                value={r.language}
                onChange={(e) => setRow(r.key, { language: e.currentTarget.value })}
                error={errors[`labels.${r.language.trim()}`]}
                aria-label={`Language of translation ${i + 1}`}
              />
              <TextInput
                label="Display name"
                style={{ flex: 1, minWidth: 160 }}
                value={r.displayName}
                onChange={(e) => setRow(r.key, { displayName: e.currentTarget.value })}
                error={labelError(r, 'displayName')}
                aria-label={`Display name in translation ${i + 1}`}
              />
              <TextInput
                label="Description"
                style={{ flex: 2, minWidth: 180 }}
                value={r.description}
                onChange={(e) => setRow(r.key, { description: e.currentTarget.value })}
                error={labelError(r, 'description')}
                aria-label={`Description in translation ${i + 1}`}
              />
              <ActionIcon
                variant="default"
                size="lg"
                mb={2}
                onClick={() => setRows((rs) => rs.filter((o) => o.key !== r.key))}
                aria-label={`Remove translation ${i + 1}`}
              >
                ×
              </ActionIcon>
            </Group>
          ))}
          <Group>
            <Button
              variant="default"
              size="xs"
              onClick={() =>
                setRows((rs) => [...rs, { key: Math.max(-1, ...rs.map((o) => o.key)) + 1, language: '', displayName: '', description: '' }])
              }
            >
              Add a translation
            </Button>
          </Group>
          {errors.labels ? (
            <Text c="red.8" size="sm">
              {errors.labels}
            </Text>
          ) : null}
          {save.isError && !onAField(save.error, `topics.${index}.`) ? (
            <ErrorAlert error={save.error} title="Could not save the topic" />
          ) : null}
          <Group justify="flex-end">
            <Button variant="default" onClick={dismiss}>
              Cancel
            </Button>
            <Button type="submit" loading={save.isPending}>
              {topic ? 'Save topic' : 'Add topic'}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
