/**
 * Sending settings: the email sender (from, name, reply-to, unsubscribe mailbox), the SMS
 * origination identity and its rate, the frequency cap across campaigns and quiet hours. Each
 * card saves its own part (use-sending.ts: read afresh, change the part, put the whole back); the
 * body is checked with the API's SendingSettings schema before it is sent, and the API's message
 * lands on the field it names.
 */
import { Button, Card, Group, NumberInput, SimpleGrid, Stack, Switch, Text, TextInput, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import type { SendingSettings } from '@shared/domain/sending.ts';
import { type FormEvent, type ReactNode, useId, useState } from 'react';
import { PageHeader } from '../../components/page-header.tsx';
import { ErrorAlert, RequestState } from '../../components/request-state.tsx';
import { errorsUnder, onAField } from './form-errors.ts';
import { SettingsNav } from './settings-nav.tsx';
import { compact, given, useSaveSending, useSendingSettings } from './use-sending.ts';

export default function SendingPage() {
  const sending = useSendingSettings();
  return (
    <>
      <SettingsNav />
      <PageHeader title="Sending">
        <Text c="dimmed" size="sm">
          Who campaigns come from, and the limits every campaign obeys.
        </Text>
      </PageHeader>
      <RequestState query={sending} label="the sending settings">
        {(s) => (
          <Stack gap="lg">
            <EmailCard settings={s} />
            <SmsCard settings={s} />
            <SimpleGrid cols={{ base: 1, lg: 2 }} spacing="lg">
              <FrequencyCapCard settings={s} />
              <QuietHoursCard settings={s} />
            </SimpleGrid>
          </Stack>
        )}
      </RequestState>
    </>
  );
}

/** A card with a heading, a form and its Save button; `error` not on a field shows above the button. */
function SettingsCard({
  title,
  action,
  description,
  onSubmit,
  pending,
  error,
  prefix,
  children,
}: {
  title: string;
  /** The Save button's words. */
  action: string;
  description: ReactNode;
  onSubmit: () => void;
  pending: boolean;
  error: unknown;
  /** The part's path in the settings (`email.`): errors under it are on its fields. */
  prefix: string;
  children: ReactNode;
}) {
  const headingId = useId();
  return (
    <Card withBorder padding="lg" component="section" aria-labelledby={headingId}>
      <form
        noValidate
        onSubmit={(e: FormEvent) => {
          e.preventDefault();
          onSubmit();
        }}
      >
        <Stack gap="sm">
          <div>
            <Title order={2} size="h4" id={headingId}>
              {title}
            </Title>
            <Text size="sm" c="dimmed">
              {description}
            </Text>
          </div>
          {children}
          {error && !onAField(error, prefix) ? <ErrorAlert error={error} title={`Could not save the ${title.toLowerCase()}`} /> : null}
          <Group justify="flex-end">
            <Button type="submit" loading={pending}>
              {action}
            </Button>
          </Group>
        </Stack>
      </form>
    </Card>
  );
}

const done = (message: string) => notifications.show({ color: 'green', message });

function EmailCard({ settings }: { settings: SendingSettings }) {
  const save = useSaveSending();
  const [form, setForm] = useState({
    from: settings.email?.from ?? '',
    fromName: settings.email?.fromName ?? '',
    replyTo: settings.email?.replyTo ?? '',
    unsubscribeMailbox: settings.email?.unsubscribeMailbox ?? '',
  });
  const errors = errorsUnder(save.error, 'email.');
  const set = (name: keyof typeof form) => (e: { currentTarget: { value: string } }) => {
    const value = e.currentTarget.value;
    setForm((f) => ({ ...f, [name]: value }));
  };
  const blank = Object.values(form).every((v) => v.trim() === '');
  const submit = () =>
    save.mutate(
      (current) =>
        compact({
          ...current,
          email: blank
            ? undefined
            : compact({
                from: form.from.trim(),
                fromName: given(form.fromName),
                replyTo: given(form.replyTo),
                unsubscribeMailbox: given(form.unsubscribeMailbox),
              }),
        }),
      { onSuccess: () => done(blank ? 'Email sender removed.' : 'Email sender saved.') },
    );
  return (
    <SettingsCard
      title="Email sender"
      action="Save email sender"
      prefix="email."
      description="Every campaign email comes from this address, a verified SES identity. Leave every field empty to remove it: then no email campaign can send."
      onSubmit={submit}
      pending={save.isPending}
      error={save.error}
    >
      <SimpleGrid cols={{ base: 1, sm: 2 }}>
        <TextInput
          label="From address"
          description="A verified SES identity, such as offers@shop.example"
          type="email"
          value={form.from}
          onChange={set('from')}
          error={errors.from}
          autoComplete="off"
        />
        <TextInput
          label="From name"
          description="Shown by mail clients, such as Demo Shop"
          value={form.fromName}
          onChange={set('fromName')}
          error={errors.fromName}
          autoComplete="off"
        />
        <TextInput
          label="Reply-to address"
          description="Where replies go, when not the from address"
          type="email"
          value={form.replyTo}
          onChange={set('replyTo')}
          error={errors.replyTo}
          autoComplete="off"
        />
        <TextInput
          label="Unsubscribe mailbox"
          description="An address SES receives for Herald: List-Unsubscribe then offers it as mailto: too"
          type="email"
          value={form.unsubscribeMailbox}
          onChange={set('unsubscribeMailbox')}
          error={errors.unsubscribeMailbox}
          autoComplete="off"
        />
      </SimpleGrid>
      <Text size="xs" c="dimmed">
        Every email also goes through the deployment's SES configuration set (bounces and complaints suppress the address); it belongs to
        the deployment, not to these settings.
      </Text>
    </SettingsCard>
  );
}

/** A NumberInput's value as a number, or undefined when empty. */
const numberOf = (v: string | number) => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);

function SmsCard({ settings }: { settings: SendingSettings }) {
  const save = useSaveSending();
  const [identity, setIdentity] = useState(settings.sms?.originationIdentity ?? '');
  const [rate, setRate] = useState<string | number>(settings.sms?.ratePerSecond ?? '');
  const errors = errorsUnder(save.error, 'sms.');
  const blank = identity.trim() === '' && numberOf(rate) === undefined;
  const submit = () =>
    save.mutate(
      (current) =>
        compact({ ...current, sms: blank ? undefined : compact({ originationIdentity: identity.trim(), ratePerSecond: numberOf(rate) }) }),
      { onSuccess: () => done(blank ? 'SMS origination removed.' : 'SMS origination saved.') },
    );
  return (
    <SettingsCard
      title="SMS origination"
      action="Save SMS origination"
      prefix="sms."
      description="The End User Messaging identity campaign texts are sent from, and how fast it may send. Leave both empty to remove it: then no SMS campaign can send."
      onSubmit={submit}
      pending={save.isPending}
      error={save.error}
    >
      <SimpleGrid cols={{ base: 1, sm: 2 }}>
        <TextInput
          label="Origination identity"
          description="A phone number (+15550100), a sender id or a pool id; replies to it find this workspace"
          value={identity}
          onChange={(e) => setIdentity(e.currentTarget.value)}
          error={errors.originationIdentity}
          autoComplete="off"
        />
        <NumberInput
          label="Messages per second"
          description="The identity's MPS in End User Messaging; 10 when empty"
          placeholder="10"
          value={rate}
          onChange={setRate}
          min={1}
          max={10_000}
          allowDecimal={false}
          error={errors.ratePerSecond}
        />
      </SimpleGrid>
    </SettingsCard>
  );
}

function FrequencyCapCard({ settings }: { settings: SendingSettings }) {
  const save = useSaveSending();
  const [on, setOn] = useState(settings.frequencyCap !== undefined);
  const [messages, setMessages] = useState<string | number>(settings.frequencyCap?.messages ?? 3);
  const [days, setDays] = useState<string | number>(settings.frequencyCap?.withinDays ?? 7);
  const [missing, setMissing] = useState<Record<string, string>>({});
  const errors = { ...errorsUnder(save.error, 'frequencyCap.'), ...missing };
  const submit = () => {
    const cap = { messages: numberOf(messages), withinDays: numberOf(days) };
    const absent = Object.fromEntries(Object.entries(cap).flatMap(([k, v]) => (on && v === undefined ? [[k, 'enter a number']] : [])));
    setMissing(absent);
    if (Object.keys(absent).length > 0) return;
    save.mutate((current) => compact({ ...current, frequencyCap: on ? (cap as { messages: number; withinDays: number }) : undefined }), {
      onSuccess: () => done(on ? 'Frequency cap saved.' : 'Frequency cap removed.'),
    });
  };
  return (
    <SettingsCard
      title="Frequency cap"
      action="Save frequency cap"
      prefix="frequencyCap."
      description="At most so many marketing messages per contact within so many days, counted across campaigns."
      onSubmit={submit}
      pending={save.isPending}
      error={save.error}
    >
      <Switch label="Cap how often a contact is messaged" checked={on} onChange={(e) => setOn(e.currentTarget.checked)} />
      <SimpleGrid cols={2}>
        <NumberInput
          label="Messages"
          value={messages}
          onChange={setMessages}
          min={1}
          max={100}
          allowDecimal={false}
          disabled={!on}
          error={errors.messages}
        />
        <NumberInput
          label="Within days"
          value={days}
          onChange={setDays}
          min={1}
          max={90}
          allowDecimal={false}
          disabled={!on}
          error={errors.withinDays}
        />
      </SimpleGrid>
    </SettingsCard>
  );
}

function QuietHoursCard({ settings }: { settings: SendingSettings }) {
  const save = useSaveSending();
  const [on, setOn] = useState(settings.quietHours !== undefined);
  const [start, setStart] = useState(settings.quietHours?.start ?? '21:00');
  const [end, setEnd] = useState(settings.quietHours?.end ?? '08:00');
  const errors = errorsUnder(save.error, 'quietHours.');
  const submit = () =>
    save.mutate((current) => compact({ ...current, quietHours: on ? { start, end } : undefined }), {
      onSuccess: () => done(on ? 'Quiet hours saved.' : 'Quiet hours removed.'),
    });
  return (
    <SettingsCard
      title="Quiet hours"
      action="Save quiet hours"
      prefix="quietHours."
      description="No campaign message goes out between these times in the recipient's own time zone; sending waits for the end."
      onSubmit={submit}
      pending={save.isPending}
      error={save.error}
    >
      <Switch label="Keep quiet hours" checked={on} onChange={(e) => setOn(e.currentTarget.checked)} />
      <SimpleGrid cols={2}>
        <TextInput
          label="From"
          type="time"
          value={start}
          onChange={(e) => setStart(e.currentTarget.value)}
          disabled={!on}
          error={errors.start}
        />
        <TextInput
          label="Until"
          type="time"
          value={end}
          onChange={(e) => setEnd(e.currentTarget.value)}
          disabled={!on}
          error={errors.end}
        />
      </SimpleGrid>
      {on && start > end && start !== '' && end !== '' ? (
        <Text size="sm" c="dimmed">
          Quiet from {start} until {end} the next morning.
        </Text>
      ) : null}
    </SettingsCard>
  );
}
