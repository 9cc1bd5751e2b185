/** A short confirmation that something went through; its close button is named (Mantine's has no name of its own). */
import { notifications } from '@mantine/notifications';

export function notifyDone(message: string): void {
  notifications.show({ color: 'green', message, closeButtonProps: { 'aria-label': 'Close the message' } });
}
