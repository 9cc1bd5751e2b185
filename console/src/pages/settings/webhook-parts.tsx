/**
 * What the webhook pages share: the event types with a line each, the events field ("all events"
 * or a choice of types, as WebhookEvents takes them), and the dialog that shows a signing secret
 * the one time the API gives it (on create and on rotation).
 */
import { Alert, Button, Checkbox, CopyButton, Group, Modal, SimpleGrid, Stack, Text, TextInput } from '@mantine/core';
import { WEBHOOK_EVENT_TYPES, type WebhookEventType } from '@shared/domain/webhook.ts';

export const EVENT_HELP: Record<WebhookEventType, string> = {
  'message.sent': 'The email or SMS service accepted a message',
  'message.delivered': 'It reached the mailbox or phone',
  'message.bounced': 'It bounced, or the text failed',
  'message.complained': 'The recipient marked it as spam',
  'message.opened': 'First open by a person',
  'message.clicked': 'Every click on a tracked link',
  'message.unsubscribed': 'The recipient unsubscribed',
  'message.converted': 'A purchase the message is credited with',
  'nps.answered': 'An NPS survey answer',
  'trigger.fired': 'A trigger fired for a contact',
};

/** How a subscription's events read: "All events" or the types. */
export const eventsText = (events: string[]) => (events.includes('*') ? 'All events' : events.join(', '));

export function EventsField({ value, onChange, error }: { value: string[]; onChange: (events: string[]) => void; error?: string }) {
  const all = value.includes('*');
  return (
    <Stack gap="xs">
      <Checkbox
        label="All events, including types added later"
        checked={all}
        onChange={(e) => onChange(e.currentTarget.checked ? ['*'] : [])}
      />
      <Checkbox.Group label="Event types" value={all ? [] : value} onChange={onChange} error={error}>
        <SimpleGrid cols={{ base: 1, sm: 2 }} mt="xs" spacing="xs">
          {WEBHOOK_EVENT_TYPES.map((type) => (
            <Checkbox key={type} value={type} label={type} description={EVENT_HELP[type]} disabled={all} />
          ))}
        </SimpleGrid>
      </Checkbox.Group>
    </Stack>
  );
}

/** The signing secret, shown once: copy it now, it is masked everywhere afterwards. */
export function SecretDialog({ secret, title, onClose }: { secret?: string; title: string; onClose: () => void }) {
  return (
    <Modal opened={secret !== undefined} onClose={onClose} title={title} centered size="lg">
      <Stack>
        <Alert color="yellow" variant="light" title="Copy the signing secret now">
          <Text size="sm">
            This is the only time it is shown: afterwards the console and the API show only its last four characters. The receiver checks
            the Herald-Signature header with it (docs/webhooks.md).
          </Text>
        </Alert>
        <TextInput
          label="Signing secret"
          value={secret ?? ''}
          readOnly
          onFocus={(e) => e.currentTarget.select()}
          styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)' } }}
        />
        <Group justify="flex-end">
          <CopyButton value={secret ?? ''}>
            {({ copied, copy }) => (
              <Button variant="default" onClick={copy}>
                {copied ? 'Copied' : 'Copy the secret'}
              </Button>
            )}
          </CopyButton>
          <Button onClick={onClose} data-autofocus>
            I have stored it
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
