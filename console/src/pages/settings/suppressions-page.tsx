/**
 * The workspace suppression list, per channel (in the address: ?channel=sms), a page at a time in
 * address order: add an address (checked with AddSuppression: an email, or an E.164 number), and
 * take one off after a confirmation. Hard bounces and complaints land here by themselves.
 */
import { Button, Card, Group, NativeSelect, SegmentedControl, SimpleGrid, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import type { Channel } from '@shared/domain/contact.ts';
import { AddSuppression, type Suppression, type SuppressionReason } from '@shared/domain/suppression.ts';
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { useSearchParams } from 'react-router';
import { invalidate, query } from '../../api/query.ts';
import { ConfirmDialog } from '../../components/confirm.tsx';
import { dateTime } from '../../components/format.ts';
import { PageHeader } from '../../components/page-header.tsx';
import { Empty, ErrorAlert, RequestState } from '../../components/request-state.tsx';
import { errorsUnder, issuesByPath, onAField } from './form-errors.ts';
import { SettingsNav } from './settings-nav.tsx';
import { suppressions } from './suppressions-api.ts';

const PAGE_SIZE = 50;

export const REASONS: Record<SuppressionReason, string> = {
  manual: 'Asked by hand',
  legal: 'Legal hold',
  hard_bounce: 'Hard bounce',
  complaint: 'Complaint',
};

export default function SuppressionsPage() {
  const [params, setParams] = useSearchParams();
  const channel: Channel = params.get('channel') === 'sms' ? 'sms' : 'email';
  // Cursors of the pages before this one, per channel view (Previous pops one).
  const [cursors, setCursors] = useState<string[]>([]);
  const cursor = cursors[cursors.length - 1];
  const page = useQuery({
    ...query(suppressions.listSuppressions, { query: { channel, limit: PAGE_SIZE, ...(cursor ? { cursor } : {}) } }),
    placeholderData: keepPreviousData,
  });
  const [removing, setRemoving] = useState<Suppression>();
  const queryClient = useQueryClient();
  const remove = useMutation({
    mutationFn: (s: Suppression) => suppressions.removeSuppression({ path: { channel: s.channel, address: s.address } }),
    onSuccess: async (_none, s) => {
      setRemoving(undefined);
      notifications.show({ color: 'green', message: `${s.address} is off the suppression list.` });
      await invalidate(queryClient, suppressions.listSuppressions);
    },
  });
  const what = channel === 'email' ? 'email addresses' : 'phone numbers';

  return (
    <>
      <SettingsNav />
      <PageHeader title="Suppression list">
        <Text c="dimmed" size="sm">
          Addresses no campaign message goes to, whoever they belong to. Hard bounces and complaints land here by themselves.
        </Text>
      </PageHeader>
      <Stack gap="lg">
        <SegmentedControl
          aria-label="Channel"
          value={channel}
          onChange={(v) => {
            setParams(v === 'sms' ? { channel: 'sms' } : {}, { replace: true });
            setCursors([]);
          }}
          data={[
            { label: 'Email', value: 'email' },
            { label: 'SMS', value: 'sms' },
          ]}
          style={{ alignSelf: 'flex-start' }}
        />
        <AddCard channel={channel} key={channel} />
        <RequestState
          query={page}
          label={`suppressed ${what}`}
          isEmpty={(d) => d.items.length === 0 && cursors.length === 0}
          empty={<Empty title={`No suppressed ${what}`} description="Campaigns may message every address whose contact consents." />}
        >
          {(d) => (
            <>
              <Table.ScrollContainer minWidth={640}>
                <Table aria-label={`Suppressed ${what}`} striped aria-busy={page.isFetching}>
                  <Table.Thead>
                    <Table.Tr>
                      <Table.Th scope="col">{channel === 'email' ? 'Email address' : 'Phone number'}</Table.Th>
                      <Table.Th scope="col">Reason</Table.Th>
                      <Table.Th scope="col">Source</Table.Th>
                      <Table.Th scope="col">Since</Table.Th>
                      <Table.Th scope="col">
                        <span className="visually-hidden">Actions</span>
                      </Table.Th>
                    </Table.Tr>
                  </Table.Thead>
                  <Table.Tbody>
                    {d.items.map((s) => (
                      <Table.Tr key={s.address}>
                        <Table.Td style={{ overflowWrap: 'anywhere' }}>{s.address}</Table.Td>
                        <Table.Td>{REASONS[s.reason]}</Table.Td>
                        <Table.Td style={{ overflowWrap: 'anywhere' }}>{s.source}</Table.Td>
                        <Table.Td>{dateTime(s.at)}</Table.Td>
                        <Table.Td ta="right">
                          <Button size="xs" variant="default" color="red" onClick={() => setRemoving(s)} aria-label={`Remove ${s.address}`}>
                            Remove
                          </Button>
                        </Table.Td>
                      </Table.Tr>
                    ))}
                  </Table.Tbody>
                </Table>
              </Table.ScrollContainer>
              <Group justify="flex-end">
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
      </Stack>
      <ConfirmDialog
        opened={removing !== undefined}
        title={`Take ${removing?.address ?? ''} off the suppression list?`}
        action="Remove"
        pending={remove.isPending}
        error={remove.error}
        onConfirm={() => removing && remove.mutate(removing)}
        onClose={() => {
          setRemoving(undefined);
          remove.reset();
        }}
      >
        Campaigns may message it again when its contact consents
        {removing && removing.reason !== 'manual' ? ` (it was suppressed for: ${REASONS[removing.reason].toLowerCase()})` : ''}.
      </ConfirmDialog>
    </>
  );
}

function AddCard({ channel }: { channel: Channel }) {
  const queryClient = useQueryClient();
  const [address, setAddress] = useState('');
  const [reason, setReason] = useState<SuppressionReason>('manual');
  const [source, setSource] = useState('');
  const [local, setLocal] = useState<Record<string, string>>({});
  const add = useMutation({
    mutationFn: (body: AddSuppression) => suppressions.addSuppression({ body }),
    onSuccess: async (s) => {
      // A 200 (it was on the list already) answers the entry as first stored; the client sees no status, so tell by the entry.
      const already =
        s.reason !== reason || (source.trim() !== '' && s.source !== source.trim()) || Date.parse(s.at) < Date.now() - 300_000;
      notifications.show({
        color: already ? 'blue' : 'green',
        message: already ? `${s.address} was suppressed already, since ${dateTime(s.at)}.` : `${s.address} is suppressed.`,
      });
      setAddress('');
      setSource('');
      await invalidate(queryClient, suppressions.listSuppressions);
    },
  });
  const errors = { ...errorsUnder(add.error), ...local };

  function submit(event: FormEvent) {
    event.preventDefault();
    const body = { channel, address, reason, ...(source.trim() ? { source } : {}) };
    const checked = AddSuppression.safeParse(body);
    setLocal(checked.success ? {} : issuesByPath(checked.error));
    if (checked.success) add.mutate(body);
  }

  return (
    <Card withBorder padding="lg" component="section" aria-labelledby="add-suppression-heading">
      <form onSubmit={submit} noValidate>
        <Stack gap="sm">
          <Title order={2} size="h4" id="add-suppression-heading">
            Suppress {channel === 'email' ? 'an email address' : 'a phone number'}
          </Title>
          <SimpleGrid cols={{ base: 1, sm: 3 }}>
            <TextInput
              label={channel === 'email' ? 'Email address' : 'Phone number (E.164, such as +447700900123)'}
              type={channel === 'email' ? 'email' : 'tel'}
              value={address}
              onChange={(e) => setAddress(e.currentTarget.value)}
              error={errors.address}
              required
              autoComplete="off"
            />
            <NativeSelect
              label="Reason"
              data={Object.entries(REASONS).map(([value, label]) => ({ value, label }))}
              value={reason}
              onChange={(e) => setReason(e.currentTarget.value as SuppressionReason)}
              error={errors.reason}
            />
            <TextInput
              label="Source (optional)"
              placeholder="Who asked, or why"
              value={source}
              onChange={(e) => setSource(e.currentTarget.value)}
              error={errors.source}
            />
          </SimpleGrid>
          {add.isError && !onAField(add.error) && <ErrorAlert error={add.error} title="Could not suppress the address" />}
          <Group justify="flex-end">
            <Button type="submit" loading={add.isPending}>
              Suppress
            </Button>
          </Group>
        </Stack>
      </form>
    </Card>
  );
}
