/**
 * Asks before leaving a page with unsaved changes (a link, the navigation, the browser's back
 * button within the console; closing the tab gets the browser's own question).
 *
 *   const { prompt, allowNext } = useUnsavedChanges(dirty);
 *   …; allowNext(); navigate('/elsewhere');   // after a save, so the save's own navigation passes
 *   return <>{prompt}…</>;
 */
import { Button, Group, Modal, Stack, Text } from '@mantine/core';
import { type ReactNode, useEffect, useRef } from 'react';
import { useBlocker } from 'react-router';

export function useUnsavedChanges(dirty: boolean): { prompt: ReactNode; allowNext: () => void } {
  const dirtyRef = useRef(dirty);
  dirtyRef.current = dirty;
  const allowed = useRef(false);
  const blocker = useBlocker(({ currentLocation, nextLocation }) => {
    if (allowed.current) {
      allowed.current = false;
      return false;
    }
    return dirtyRef.current && currentLocation.pathname !== nextLocation.pathname;
  });
  useEffect(() => {
    if (!dirty) return;
    const warn = (e: BeforeUnloadEvent) => e.preventDefault();
    window.addEventListener('beforeunload', warn);
    return () => window.removeEventListener('beforeunload', warn);
  }, [dirty]);
  const prompt = (
    <Modal opened={blocker.state === 'blocked'} onClose={() => blocker.reset?.()} title="Leave without saving?" centered>
      <Stack>
        <Text size="sm">Your changes on this page are not saved. Leave, and they are lost.</Text>
        <Group justify="flex-end">
          <Button variant="default" onClick={() => blocker.reset?.()} data-autofocus>
            Stay
          </Button>
          <Button color="red" onClick={() => blocker.proceed?.()}>
            Leave
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
  return {
    prompt,
    allowNext: () => {
      allowed.current = true;
    },
  };
}
