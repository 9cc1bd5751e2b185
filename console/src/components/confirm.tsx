/** A confirmation dialog for what cannot be undone: the user types a word to enable the button. */
import { Button, Group, Modal, Stack, Text, TextInput } from '@mantine/core';
import { type ReactNode, useState } from 'react';
import { ErrorAlert } from './request-state.tsx';

export function ConfirmDialog({
  opened,
  title,
  children,
  word,
  action,
  pending,
  error,
  onConfirm,
  onClose,
}: {
  opened: boolean;
  title: string;
  children: ReactNode;
  /** The word to type, or none for a plain yes/no. */
  word?: string;
  action: string;
  pending?: boolean;
  error?: unknown;
  onConfirm: () => void;
  onClose: () => void;
}) {
  const [typed, setTyped] = useState('');
  const ready = word === undefined || typed.trim() === word;
  return (
    <Modal opened={opened} onClose={onClose} title={title} centered>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          if (ready) onConfirm();
        }}
      >
        <Stack>
          <Text size="sm">{children}</Text>
          {word !== undefined && (
            <TextInput
              label={`Type ${word} to confirm`}
              value={typed}
              onChange={(e) => setTyped(e.currentTarget.value)}
              data-autofocus
              autoComplete="off"
            />
          )}
          {error ? <ErrorAlert error={error} title={`Could not ${action.toLowerCase()}`} /> : null}
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              Cancel
            </Button>
            <Button type="submit" color="red" disabled={!ready} loading={pending}>
              {action}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
