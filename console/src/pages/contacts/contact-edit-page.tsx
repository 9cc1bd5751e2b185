/**
 * Edit a contact: fields, consent per channel, attributes. The change is checked with the API's
 * own ContactPatch schema before it is sent, and the API's answer (a taken email is a 409, a bad
 * field a 400 naming it) lands on the field it names. Only what changed is sent.
 */
import { ActionIcon, Alert, Button, Group, NativeSelect, SimpleGrid, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { type Contact, ContactPatch } from '@shared/domain/contact.ts';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { ApiError } from '../../api/client.ts';
import { invalidate, query } from '../../api/query.ts';
import { fullName } from '../../components/format.ts';
import { PageHeader } from '../../components/page-header.tsx';
import { ErrorAlert, RequestState } from '../../components/request-state.tsx';
import { contacts } from './contacts-api.ts';

const FIELDS = [
  ['email', 'Email'],
  ['phone', 'Phone (E.164, such as +447700900123)'],
  ['externalId', 'External id'],
  ['firstName', 'First name'],
  ['lastName', 'Last name'],
  ['timezone', 'Time zone (IANA, such as Europe/Paris)'],
  ['locale', 'Locale (BCP 47, such as en-GB)'],
] as const;
type FieldName = (typeof FIELDS)[number][0];

type AttrType = 'string' | 'number' | 'boolean';
interface AttrRow {
  key: number;
  name: string;
  value: string;
  type: AttrType;
  /** Present on the contact before this edit (its name is fixed; removing it sends null). */
  existing: boolean;
  removed: boolean;
}

const typeOf = (v: unknown): AttrType => (typeof v === 'number' ? 'number' : typeof v === 'boolean' ? 'boolean' : 'string');
const STATUSES = ['subscribed', 'unsubscribed', 'unknown'] as const;

export default function ContactEditPage() {
  const { contactId = '' } = useParams();
  const contact = useQuery(query(contacts.getContact, { path: { contactId } }));
  return (
    <RequestState query={contact} label="the contact">
      {(c) => <EditForm contact={c} />}
    </RequestState>
  );
}

function EditForm({ contact }: { contact: Contact }) {
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [fields, setFields] = useState<Record<FieldName, string>>(
    Object.fromEntries(FIELDS.map(([name]) => [name, contact[name] ?? ''])) as Record<FieldName, string>,
  );
  const [preferred, setPreferred] = useState(contact.preferredChannel ?? '');
  const [consent, setConsent] = useState({ email: contact.consent.email.status, sms: contact.consent.sms.status });
  const [source, setSource] = useState('console');
  const [rows, setRows] = useState<AttrRow[]>(
    Object.entries(contact.attributes).map(([name, v], i) => ({
      key: i,
      name,
      value: String(v),
      type: typeOf(v),
      existing: true,
      removed: false,
    })),
  );
  const [errors, setErrors] = useState<Record<string, string>>({});

  const save = useMutation({
    mutationFn: (patch: ContactPatch) => contacts.updateContact({ path: { contactId: contact.contactId }, body: patch }),
    onSuccess: async () => {
      await invalidate(queryClient, contacts.getContact, contacts.exportContact, contacts.listContacts);
      notifications.show({ color: 'green', message: 'Contact saved.' });
      navigate(`/contacts/${contact.contactId}`);
    },
    onError: (error) => setErrors(error instanceof ApiError ? error.fieldErrors() : {}),
  });

  function buildPatch(): Record<string, unknown> {
    const patch: Record<string, unknown> = {};
    for (const [name] of FIELDS) if (fields[name].trim() !== (contact[name] ?? '')) patch[name] = fields[name];
    if (preferred && preferred !== contact.preferredChannel) patch.preferredChannel = preferred;
    const consentPatch: Record<string, unknown> = {};
    for (const channel of ['email', 'sms'] as const)
      if (consent[channel] !== contact.consent[channel].status)
        consentPatch[channel] = { status: consent[channel], source: source || undefined };
    if (Object.keys(consentPatch).length > 0) patch.consent = consentPatch;
    const attributes: Record<string, unknown> = {};
    for (const row of rows) {
      if (!row.name) continue;
      if (row.removed) {
        if (row.existing) attributes[row.name] = null;
        continue;
      }
      const value =
        row.type === 'number'
          ? row.value.trim() === ''
            ? Number.NaN
            : Number(row.value)
          : row.type === 'boolean'
            ? row.value === 'true'
            : row.value;
      if (!row.existing || value !== contact.attributes[row.name]) attributes[row.name] = value;
    }
    if (Object.keys(attributes).length > 0) patch.attributes = attributes;
    return patch;
  }

  function submit(event: FormEvent) {
    event.preventDefault();
    const patch = buildPatch();
    const checked = ContactPatch.safeParse(patch);
    if (!checked.success) {
      setErrors(Object.fromEntries(checked.error.issues.map((i) => [i.path.map(String).join('.'), i.message])));
      return;
    }
    setErrors({});
    if (Object.keys(patch).length === 0) return navigate(`/contacts/${contact.contactId}`);
    save.mutate(patch as ContactPatch);
  }

  const title = `Edit ${fullName(contact) || contact.email || contact.phone || contact.contactId}`;

  return (
    <>
      <PageHeader title={title} />
      <form onSubmit={submit} noValidate aria-label="Edit contact">
        <Stack maw={900}>
          <SimpleGrid cols={{ base: 1, sm: 2 }}>
            {FIELDS.map(([name, label]) => (
              <TextInput
                key={name}
                label={label}
                value={fields[name]}
                onChange={(e) => {
                  const value = e.currentTarget.value;
                  setFields((f) => ({ ...f, [name]: value }));
                }}
                error={errors[name]}
                autoComplete="off"
              />
            ))}
            <NativeSelect
              label="Preferred channel"
              value={preferred}
              onChange={(e) => setPreferred(e.currentTarget.value)}
              data={[
                { value: '', label: 'none' },
                { value: 'email', label: 'email' },
                { value: 'sms', label: 'sms' },
              ]}
              error={errors.preferredChannel}
            />
          </SimpleGrid>
          {contact.email || contact.phone ? (
            <Text size="sm" c="dimmed">
              An emptied field is left as it is: the API changes fields, it does not remove them.
            </Text>
          ) : null}

          <Title order={2} size="h4">
            Consent
          </Title>
          <SimpleGrid cols={{ base: 1, sm: 3 }}>
            {(['email', 'sms'] as const).map((channel) => (
              <NativeSelect
                key={channel}
                label={`${channel === 'email' ? 'Email' : 'SMS'} consent`}
                value={consent[channel]}
                onChange={(e) => {
                  const value = e.currentTarget.value as (typeof STATUSES)[number];
                  setConsent((c) => ({ ...c, [channel]: value }));
                }}
                data={[...STATUSES]}
                error={errors[`consent.${channel}.status`]}
              />
            ))}
            <TextInput
              label="Source of a consent change"
              value={source}
              onChange={(e) => setSource(e.currentTarget.value)}
              error={errors['consent.email.source'] ?? errors['consent.sms.source']}
            />
          </SimpleGrid>

          <Title order={2} size="h4">
            Attributes
          </Title>
          {errors.attributes && (
            <Alert color="red" role="alert">
              {errors.attributes}
            </Alert>
          )}
          <Table.ScrollContainer minWidth={560}>
            <Table aria-label="Attributes">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th scope="col">Name</Table.Th>
                  <Table.Th scope="col">Type</Table.Th>
                  <Table.Th scope="col">Value</Table.Th>
                  <Table.Th scope="col">
                    <span className="visually-hidden">Remove</span>
                  </Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {rows
                  .filter((r) => !r.removed)
                  .map((row) => {
                    const update = (change: Partial<AttrRow>) =>
                      setRows((all) => all.map((r) => (r.key === row.key ? { ...r, ...change } : r)));
                    return (
                      <Table.Tr key={row.key}>
                        <Table.Td>
                          <TextInput
                            aria-label="Attribute name"
                            value={row.name}
                            readOnly={row.existing}
                            onChange={(e) => update({ name: e.currentTarget.value })}
                            error={errors[`attributes.${row.name}`]}
                          />
                        </Table.Td>
                        <Table.Td>
                          <NativeSelect
                            aria-label={`Type of ${row.name || 'the new attribute'}`}
                            value={row.type}
                            onChange={(e) => update({ type: e.currentTarget.value as AttrType })}
                            data={['string', 'number', 'boolean']}
                          />
                        </Table.Td>
                        <Table.Td>
                          {row.type === 'boolean' ? (
                            <NativeSelect
                              aria-label={`Value of ${row.name || 'the new attribute'}`}
                              value={row.value}
                              onChange={(e) => update({ value: e.currentTarget.value })}
                              data={['true', 'false']}
                            />
                          ) : (
                            <TextInput
                              aria-label={`Value of ${row.name || 'the new attribute'}`}
                              value={row.value}
                              onChange={(e) => update({ value: e.currentTarget.value })}
                            />
                          )}
                        </Table.Td>
                        <Table.Td>
                          <ActionIcon
                            variant="subtle"
                            color="red"
                            aria-label={`Remove ${row.name || 'the new attribute'}`}
                            onClick={() => update({ removed: true })}
                          >
                            ×
                          </ActionIcon>
                        </Table.Td>
                      </Table.Tr>
                    );
                  })}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
          <Group>
            <Button
              variant="default"
              onClick={() =>
                setRows((all) => [...all, { key: Date.now(), name: '', value: '', type: 'string', existing: false, removed: false }])
              }
            >
              Add an attribute
            </Button>
          </Group>

          {save.isError && <ErrorAlert error={save.error} title="Could not save" />}
          <Group justify="flex-end">
            <Button variant="default" component={Link} to={`/contacts/${contact.contactId}`}>
              Cancel
            </Button>
            <Button type="submit" loading={save.isPending}>
              Save
            </Button>
          </Group>
        </Stack>
      </form>
    </>
  );
}
