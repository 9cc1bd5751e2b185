/**
 * A template: its editor (subject, preheader, HTML and text of an email; the body of an SMS; all
 * Liquid), the preview rendered by the API for a contact picked by email (the email's HTML in a
 * sandboxed iframe that runs nothing and reaches nothing; an SMS with its encoding and segments),
 * test sends to up to 5 addresses or numbers, and delete. A Liquid error lands on the field and
 * line the API names. Saving checks that nobody saved a newer version since the page read it.
 */
import {
  Alert,
  Anchor,
  Badge,
  Button,
  Checkbox,
  Code,
  Collapse,
  Grid,
  Group,
  Paper,
  SegmentedControl,
  Stack,
  Table,
  Tabs,
  Text,
  Textarea,
  TextInput,
  Title,
} from '@mantine/core';
import { useDebouncedValue, useDisclosure } from '@mantine/hooks';
import type { Contact } from '@shared/domain/contact.ts';
import { type Template, UpdateTemplate } from '@shared/domain/template.ts';
import { notifications } from '@mantine/notifications';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useCallback, useEffect, useRef, useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { ApiError } from '../../api/client.ts';
import { invalidate, query } from '../../api/query.ts';
import { ConfirmDialog } from '../../components/confirm.tsx';
import { dateTime, fullName } from '../../components/format.ts';
import { PageHeader } from '../../components/page-header.tsx';
import { ErrorAlert, Loading, RequestState } from '../../components/request-state.tsx';
import { useUnsavedChanges } from '../../components/unsaved-changes.tsx';
import { contacts } from '../contacts/contacts-api.ts';
import { templates } from './templates-api.ts';

type FieldKey = 'email.subject' | 'email.preheader' | 'email.html' | 'email.text' | 'sms.body';
interface Draft {
  name: string;
  description: string;
  email: { subject: string; preheader: string; html: string; text: string };
  sms: { body: string };
}

const draftOf = (t: Template): Draft => ({
  name: t.name,
  description: t.description ?? '',
  email: { subject: t.email?.subject ?? '', preheader: t.email?.preheader ?? '', html: t.email?.html ?? '', text: t.email?.text ?? '' },
  sms: { body: t.sms?.body ?? '' },
});

/** The change to send: only what differs from the saved template; a channel's content goes whole. */
function patchOf(draft: Draft, base: Template): Record<string, unknown> {
  const saved = draftOf(base);
  const patch: Record<string, unknown> = {};
  if (draft.name !== saved.name) patch.name = draft.name;
  if (draft.description !== saved.description) patch.description = draft.description;
  if (base.channel === 'email' && JSON.stringify(draft.email) !== JSON.stringify(saved.email)) {
    const { subject, preheader, html, text } = draft.email;
    patch.email = { subject, html, ...(preheader ? { preheader } : {}), ...(text ? { text } : {}) };
  }
  if (base.channel === 'sms' && draft.sms.body !== saved.sms.body) patch.sms = { body: draft.sms.body };
  return patch;
}

const contactLabel = (c: Contact) => fullName(c) || c.email || c.phone || c.contactId;

/** `line 3: tag "iff" not found` → 3. */
const lineOf = (message: string | undefined) => Number(/\bline (\d+)\b/.exec(message ?? '')?.[1] ?? Number.NaN);

export default function TemplatePage() {
  const { templateId = '' } = useParams();
  const template = useQuery(query(templates.getTemplate, { path: { templateId } }));
  return (
    <RequestState query={template} label="the template">
      {(t) => <TemplateEditor key={t.templateId} saved={t} />}
    </RequestState>
  );
}

class ChangedMeanwhile extends Error {
  constructor(readonly current: Template) {
    super('changed meanwhile');
  }
}

function TemplateEditor({ saved }: { saved: Template }) {
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const [base, setBase] = useState(saved);
  const [draft, setDraft] = useState(() => draftOf(saved));
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [conflict, setConflict] = useState<Template>();
  const [deleting, setDeleting] = useState(false);
  const [contact, setContact] = useState<Contact>();
  const refs = {
    'email.html': useRef<HTMLTextAreaElement>(null),
    'email.text': useRef<HTMLTextAreaElement>(null),
    'sms.body': useRef<HTMLTextAreaElement>(null),
  };
  const patch = patchOf(draft, base);
  const dirty = Object.keys(patch).length > 0;
  const { prompt, allowNext } = useUnsavedChanges(dirty);

  const setEmail = (field: keyof Draft['email'], value: string) => {
    setDraft((d) => ({ ...d, email: { ...d.email, [field]: value } }));
    setErrors(({ [`email.${field}`]: _, ...rest }) => rest);
  };

  const save = useMutation({
    mutationFn: async ({ force }: { force: boolean }) => {
      if (!force) {
        // PATCH takes no version: the API replaces the version it reads itself. Checking here keeps
        // a version someone else saved since this page read it from being overwritten unseen.
        const current = await templates.getTemplate({ path: { templateId: base.templateId } });
        if (current.version !== base.version) throw new ChangedMeanwhile(current);
      }
      return templates.updateTemplate({ path: { templateId: base.templateId }, body: patch });
    },
    onSuccess: async (template) => {
      setBase(template);
      setDraft(draftOf(template));
      setConflict(undefined);
      setErrors({});
      queryClient.setQueryData(query(templates.getTemplate, { path: { templateId: template.templateId } }).queryKey, template);
      await invalidate(queryClient, templates.listTemplates, templates.previewTemplate);
      notifications.show({ color: 'green', message: `Saved (version ${template.version}).` });
    },
    onError: (error) => {
      if (error instanceof ChangedMeanwhile) return setConflict(error.current);
      if (error instanceof ApiError) setErrors(error.fieldErrors());
    },
  });

  function submit(force = false) {
    const checked = UpdateTemplate.safeParse(patch);
    if (!checked.success) {
      setErrors(Object.fromEntries(checked.error.issues.map((i) => [i.path.map(String).join('.'), i.message])));
      return;
    }
    setErrors({});
    save.mutate({ force });
  }

  const remove = useMutation({
    mutationFn: () => templates.deleteTemplate({ path: { templateId: base.templateId } }),
    onSuccess: async () => {
      await invalidate(queryClient, templates.listTemplates);
      notifications.show({ color: 'green', message: 'Template deleted.' });
      allowNext();
      navigate('/templates');
    },
  });

  /** Puts the caret on the line an error names, selected. */
  function goToLine(field: keyof typeof refs, line: number) {
    const el = refs[field].current;
    if (!el) return;
    const lines = el.value.split('\n');
    const start = lines.slice(0, line - 1).reduce((n, l) => n + l.length + 1, 0);
    el.focus();
    el.setSelectionRange(start, start + (lines[line - 1]?.length ?? 0));
  }

  const addErrors = useCallback((e: Record<string, string>) => setErrors((prev) => ({ ...prev, ...e })), []);

  const fieldError = (field: FieldKey) => {
    const message = errors[field];
    if (!message) return undefined;
    const line = lineOf(message);
    const ref = field in refs ? (field as keyof typeof refs) : undefined;
    return (
      <>
        {message}
        {ref && Number.isFinite(line) && (
          <>
            {' '}
            <Anchor component="button" type="button" size="xs" c="red.9" td="underline" onClick={() => goToLine(ref, line)}>
              Go to line {line}
            </Anchor>
          </>
        )}
      </>
    );
  };

  const saveError =
    save.isError && !(save.error instanceof ChangedMeanwhile) && !(save.error instanceof ApiError && save.error.issues.length > 0);
  const fieldIssues = save.error instanceof ApiError && save.error.issues.length > 0 ? save.error : undefined;

  return (
    <>
      {prompt}
      <PageHeader
        title={base.name}
        actions={
          <>
            <Button color="red" variant="outline" onClick={() => setDeleting(true)}>
              Delete
            </Button>
            <Button onClick={() => submit()} loading={save.isPending} disabled={!dirty}>
              Save changes
            </Button>
          </>
        }
      >
        <Group gap="xs">
          <Badge variant="light" color={base.channel === 'email' ? 'blue' : 'grape'}>
            {base.channel === 'email' ? 'email' : 'SMS'}
          </Badge>
          <Text size="sm" c="dimmed">
            version {base.version} · updated {dateTime(base.updatedAt)}
            {dirty ? ' · unsaved changes' : ''}
          </Text>
        </Group>
      </PageHeader>
      <ConfirmDialog
        opened={deleting}
        title="Delete this template?"
        action="Delete"
        pending={remove.isPending}
        error={remove.error}
        onConfirm={() => remove.mutate()}
        onClose={() => {
          setDeleting(false);
          remove.reset();
        }}
      >
        “{base.name}” will be deleted. Campaign drafts that use it will need another template.
      </ConfirmDialog>
      <Stack gap="md">
        {conflict && (
          <Alert color="orange" title="Changed since you opened it" role="alert">
            <Text size="sm">
              Someone saved version {conflict.version} of this template at {dateTime(conflict.updatedAt)}. Load it (your changes are lost),
              or save yours over it.
            </Text>
            <Group mt="xs" gap="xs">
              <Button
                size="xs"
                variant="default"
                onClick={() => {
                  setBase(conflict);
                  setDraft(draftOf(conflict));
                  setConflict(undefined);
                }}
              >
                Load version {conflict.version}
              </Button>
              <Button size="xs" color="orange" onClick={() => submit(true)} loading={save.isPending}>
                Save mine anyway
              </Button>
            </Group>
          </Alert>
        )}
        {saveError && <ErrorAlert error={save.error} title="Could not save the template" />}
        {fieldIssues && (
          <Alert color="red" variant="light" role="alert" title={`Not saved (${fieldIssues.status})`}>
            <Text size="sm">{fieldIssues.message}</Text>
          </Alert>
        )}
        <Grid gap="lg">
          <Grid.Col span={{ base: 12, lg: 6 }}>
            <Stack gap="sm" component="section" aria-labelledby="content-heading">
              <Title order={2} size="h4" id="content-heading">
                Content
              </Title>
              <TextInput
                label="Name"
                value={draft.name}
                onChange={(e) => setDraft({ ...draft, name: e.currentTarget.value })}
                error={errors.name}
                required
              />
              <TextInput
                label="Description"
                value={draft.description}
                onChange={(e) => setDraft({ ...draft, description: e.currentTarget.value })}
                error={errors.description}
              />
              {base.channel === 'email' ? (
                <>
                  <TextInput
                    label="Subject"
                    value={draft.email.subject}
                    onChange={(e) => setEmail('subject', e.currentTarget.value)}
                    error={fieldError('email.subject')}
                    required
                    styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)' } }}
                  />
                  <TextInput
                    label="Preheader"
                    description="The line inboxes show after the subject."
                    value={draft.email.preheader}
                    onChange={(e) => setEmail('preheader', e.currentTarget.value)}
                    error={fieldError('email.preheader')}
                    styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)' } }}
                  />
                  <Textarea
                    ref={refs['email.html']}
                    label="HTML"
                    value={draft.email.html}
                    onChange={(e) => setEmail('html', e.currentTarget.value)}
                    error={fieldError('email.html')}
                    required
                    autosize
                    minRows={10}
                    maxRows={28}
                    spellCheck={false}
                    styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)', fontSize: 13 } }}
                  />
                  <Textarea
                    ref={refs['email.text']}
                    label="Text part"
                    description="Left empty, it is made from the HTML."
                    value={draft.email.text}
                    onChange={(e) => setEmail('text', e.currentTarget.value)}
                    error={fieldError('email.text')}
                    autosize
                    minRows={3}
                    maxRows={16}
                    styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)', fontSize: 13 } }}
                  />
                </>
              ) : (
                <Textarea
                  ref={refs['sms.body']}
                  label="Message"
                  description="The preview shows its encoding and segments once rendered."
                  value={draft.sms.body}
                  onChange={(e) => {
                    setDraft({ ...draft, sms: { body: e.currentTarget.value } });
                    setErrors(({ 'sms.body': _, ...rest }) => rest);
                  }}
                  error={fieldError('sms.body')}
                  required
                  autosize
                  minRows={4}
                  maxRows={12}
                  styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)', fontSize: 13 } }}
                />
              )}
              <Variables />
            </Stack>
          </Grid.Col>
          <Grid.Col span={{ base: 12, lg: 6 }}>
            <Stack gap="md">
              <PreviewPanel
                template={base}
                dirty={dirty}
                contact={contact}
                onContact={setContact}
                onSave={() => submit()}
                saving={save.isPending}
                onFieldErrors={addErrors}
              />
              <TestSend template={base} contact={contact} dirty={dirty} />
            </Stack>
          </Grid.Col>
        </Grid>
      </Stack>
    </>
  );
}

function Variables() {
  const [opened, { toggle }] = useDisclosure(false);
  return (
    <div>
      <Button variant="subtle" size="compact-sm" onClick={toggle} aria-expanded={opened} aria-controls="liquid-variables">
        {opened ? 'Hide' : 'Show'} the variables a template sees
      </Button>
      <Collapse expanded={opened} id="liquid-variables">
        <Table mt="xs" fz="sm" aria-label="Template variables">
          <Table.Tbody>
            {[
              ['{{ contact.firstName }}', "the contact's fields, contact.attributes.<name>, consent"],
              ['{{ value.orders }}', 'the value model: orders, revenue, lifecycle, tier, rfm.r …'],
              ['{% unsubscribe_url %}', "the recipient's one-click unsubscribe link (preferences_url too)"],
              ['{{ trigger.event.orderId }}', 'in a triggered campaign: the event, recommendations'],
              ['{{ x | default: "there" }}', 'a fallback for a missing value'],
            ].map(([code, what]) => (
              <Table.Tr key={code}>
                <Table.Td>
                  <Code>{code}</Code>
                </Table.Td>
                <Table.Td>{what}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Collapse>
    </div>
  );
}

// ---------------------------------------------------------------------------------------------
// Preview

function ContactPicker({ contact, onContact }: { contact?: Contact; onContact: (c: Contact) => void }) {
  const [text, setText] = useState('');
  const [term] = useDebouncedValue(text.trim(), 300);
  // The first contact, so the preview shows at once.
  const first = useQuery({ ...query(contacts.listContacts, { query: { limit: 1 } }), enabled: !contact });
  const firstContact = first.data?.items[0];
  useEffect(() => {
    if (!contact && firstContact) onContact(firstContact);
  }, [contact, firstContact, onContact]);
  const found = useQuery({ ...query(contacts.listContacts, { query: { limit: 6, email: term } }), enabled: term.length > 0 });
  return (
    <Stack gap={6}>
      <Text size="sm">
        Rendered for{' '}
        {contact ? (
          <Anchor component={Link} to={`/contacts/${contact.contactId}`} fw={600}>
            {contactLabel(contact)}
          </Anchor>
        ) : first.isPending ? (
          'the first contact…'
        ) : (
          'nobody yet: there are no contacts'
        )}
        {contact?.email && contact.email !== contactLabel(contact) ? ` (${contact.email})` : ''}
      </Text>
      <TextInput
        label="Preview for another contact (email starts with)"
        type="search"
        value={text}
        onChange={(e) => setText(e.currentTarget.value)}
      />
      {term && (
        <RequestState query={found} label="matching contacts" isEmpty={(d) => d.items.length === 0}>
          {(d) => (
            <Group gap={6} component="ul" p={0} m={0} style={{ listStyle: 'none' }} aria-label="Matching contacts">
              {d.items.map((c) => (
                <li key={c.contactId}>
                  <Button
                    size="compact-sm"
                    variant={c.contactId === contact?.contactId ? 'filled' : 'light'}
                    onClick={() => {
                      onContact(c);
                      setText('');
                    }}
                  >
                    {c.email ?? contactLabel(c)}
                  </Button>
                </li>
              ))}
            </Group>
          )}
        </RequestState>
      )}
    </Stack>
  );
}

function PreviewPanel({
  template,
  dirty,
  contact,
  onContact,
  onSave,
  saving,
  onFieldErrors,
}: {
  template: Template;
  dirty: boolean;
  contact?: Contact;
  onContact: (c: Contact) => void;
  onSave: () => void;
  saving: boolean;
  onFieldErrors: (errors: Record<string, string>) => void;
}) {
  const [triggerText, setTriggerText] = useState('');
  const [showTrigger, { toggle: toggleTrigger }] = useDisclosure(false);
  const [width, setWidth] = useState('600');
  const trigger = parseTrigger(triggerText);
  const preview = useQuery({
    ...query(templates.previewTemplate, {
      path: { templateId: template.templateId },
      body: { contactId: contact?.contactId ?? '', ...(trigger.value ? { trigger: trigger.value } : {}) },
    }),
    enabled: !!contact && !trigger.error,
    retry: false,
  });
  // A render error names the field (`template.email.html`): show it there too.
  useEffect(() => {
    if (preview.error instanceof ApiError && preview.error.issues.length) onFieldErrors(preview.error.fieldErrors('template.'));
  }, [preview.error, onFieldErrors]);
  const data = preview.data;
  return (
    <Paper withBorder p="md" component="section" aria-labelledby="preview-heading">
      <Title order={2} size="h4" id="preview-heading" mb="xs">
        Preview
      </Title>
      <Stack gap="sm">
        <ContactPicker contact={contact} onContact={onContact} />
        <div>
          <Button variant="subtle" size="compact-sm" onClick={toggleTrigger} aria-expanded={showTrigger} aria-controls="trigger-sample">
            {showTrigger ? 'Hide' : 'Add'} sample trigger data (for triggered campaigns)
          </Button>
          <Collapse expanded={showTrigger} id="trigger-sample">
            <Textarea
              mt="xs"
              label="Sample trigger data (JSON object)"
              placeholder='{"event": {"orderId": "o1", "items": [{"category": "shoes"}]}}'
              value={triggerText}
              onChange={(e) => setTriggerText(e.currentTarget.value)}
              error={trigger.error}
              autosize
              minRows={2}
              styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)', fontSize: 13 } }}
            />
          </Collapse>
        </div>
        {dirty && (
          <Alert color="yellow" variant="light" p="xs">
            <Group justify="space-between" gap="xs">
              <Text size="sm">The preview shows the saved version {template.version}, not your unsaved changes.</Text>
              <Button size="xs" onClick={onSave} loading={saving}>
                Save and preview
              </Button>
            </Group>
          </Alert>
        )}
        <div aria-live="polite">
          {!contact ? null : preview.isPending ? (
            <Loading label="Rendering the preview" rows={4} />
          ) : preview.isError ? (
            <ErrorAlert
              error={preview.error}
              title="Could not render the template for this contact"
              onRetry={() => void preview.refetch()}
            />
          ) : data?.channel === 'email' ? (
            <Stack gap="xs">
              <Text size="sm">
                <Text span c="dimmed">
                  Subject:{' '}
                </Text>
                <Text span fw={600}>
                  {data.subject}
                </Text>
              </Text>
              {data.preheader && (
                <Text size="sm">
                  <Text span c="dimmed">
                    Preheader:{' '}
                  </Text>
                  {data.preheader}
                </Text>
              )}
              <Tabs defaultValue="html" keepMounted={false}>
                <Tabs.List>
                  <Tabs.Tab value="html">Rendered HTML</Tabs.Tab>
                  <Tabs.Tab value="text">Rendered text</Tabs.Tab>
                </Tabs.List>
                <Tabs.Panel value="html" pt="xs">
                  <SegmentedControl
                    size="xs"
                    mb="xs"
                    value={width}
                    onChange={setWidth}
                    aria-label="Preview width"
                    data={[
                      { value: '600', label: 'Desktop' },
                      { value: '375', label: 'Phone' },
                    ]}
                  />
                  <div style={{ overflowX: 'auto' }}>
                    <iframe
                      // Nothing in the email runs or reaches anything: no scripts, no forms, no top navigation, an opaque origin.
                      sandbox=""
                      srcDoc={data.html}
                      title={`Email preview for ${contact ? contactLabel(contact) : 'the contact'}`}
                      style={{
                        width: `${width}px`,
                        maxWidth: '100%',
                        height: 480,
                        border: '1px solid var(--mantine-color-gray-4)',
                        background: 'white',
                      }}
                    />
                  </div>
                  <Text size="xs" c="dimmed">
                    Links are placeholders in a preview; in a campaign each recipient gets tracked links and their own unsubscribe link.
                  </Text>
                </Tabs.Panel>
                <Tabs.Panel value="text" pt="xs">
                  <Code block style={{ whiteSpace: 'pre-wrap' }}>
                    {data.text}
                  </Code>
                </Tabs.Panel>
              </Tabs>
            </Stack>
          ) : data?.channel === 'sms' ? (
            <Stack gap="xs">
              <Paper bg="gray.1" p="sm" radius="lg" maw={360}>
                <Text size="sm" style={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }} data-testid="sms-preview">
                  {data.body}
                </Text>
              </Paper>
              <Group gap="xs">
                <Badge variant="light" color={data.encoding === 'GSM-7' ? 'green' : 'orange'}>
                  {data.encoding}
                </Badge>
                <Text size="sm">
                  {data.characters} characters · {data.segments} {data.segments === 1 ? 'segment' : 'segments'}
                </Text>
              </Group>
              {data.encoding === 'UCS-2' && (
                <Text size="xs" c="dimmed">
                  A character outside the GSM alphabet makes the whole message UCS-2: 70 characters a segment (67 when split).
                </Text>
              )}
            </Stack>
          ) : null}
        </div>
      </Stack>
    </Paper>
  );
}

function parseTrigger(text: string): { value?: Record<string, unknown>; error?: string } {
  if (!text.trim()) return {};
  try {
    const value = JSON.parse(text) as unknown;
    if (value === null || typeof value !== 'object' || Array.isArray(value)) return { error: 'must be a JSON object' };
    return { value: value as Record<string, unknown> };
  } catch (error) {
    return { error: `not valid JSON: ${(error as Error).message}` };
  }
}

// ---------------------------------------------------------------------------------------------
// Test sends

function TestSend({ template, contact, dirty }: { template: Template; contact?: Contact; dirty: boolean }) {
  const [toText, setToText] = useState('');
  const to = toText
    .split(/[,;\n]/)
    .map((t) => t.trim())
    .filter(Boolean);
  const [forContact, setForContact] = useState(true);
  const send = useMutation({
    mutationFn: () =>
      templates.testSendTemplate({
        path: { templateId: template.templateId },
        body: { to, ...(forContact && contact ? { contactId: contact.contactId } : {}) },
      }),
  });
  const fieldErrors = send.error instanceof ApiError ? send.error.fieldErrors() : {};
  const toIssue = Object.entries(fieldErrors).find(([k]) => k === 'to' || k.startsWith('to.'));
  // `to.1: must be …` names the second address: say which.
  const toError = toIssue && (/^to\.\d+$/.test(toIssue[0]) ? `${to[Number(toIssue[0].slice(3))] ?? ''}: ${toIssue[1]}` : toIssue[1]);
  const email = template.channel === 'email';
  return (
    <Paper withBorder p="md" component="section" aria-labelledby="test-heading">
      <Title order={2} size="h4" id="test-heading" mb="xs">
        Send a test
      </Title>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          if (to.length) send.mutate();
        }}
      >
        <Stack gap="xs">
          <TextInput
            label={email ? 'To (up to 5 email addresses)' : 'To (up to 5 phone numbers, E.164)'}
            description="Separated by commas."
            value={toText}
            onChange={(e) => {
              setToText(e.currentTarget.value);
              send.reset();
            }}
            error={toError}
            autoComplete="off"
          />
          <Checkbox
            label={
              contact ? `Render it for ${contactLabel(contact)} (otherwise for a sample contact)` : 'Render it for the preview contact'
            }
            checked={forContact}
            onChange={(e) => setForContact(e.currentTarget.checked)}
            disabled={!contact}
          />
          {dirty && (
            <Text size="xs" c="dimmed">
              A test sends the saved version {template.version}.
            </Text>
          )}
          <Group>
            <Button type="submit" disabled={to.length === 0} loading={send.isPending}>
              Send test
            </Button>
          </Group>
          {send.isError && !toError && <ErrorAlert error={send.error} title="Could not send the test" />}
          {send.data && (
            <Stack gap={2} component="ul" p={0} m={0} style={{ listStyle: 'none' }} aria-label="Test send results" aria-live="polite">
              {send.data.sent.map((r) => (
                <Text component="li" key={r.to} size="sm" c={'error' in r ? 'red.8' : undefined}>
                  {'error' in r ? `✗ ${r.to}: ${r.error}` : `✓ Sent to ${r.to} (message ${r.messageId})`}
                </Text>
              ))}
            </Stack>
          )}
        </Stack>
      </form>
    </Paper>
  );
}
