/**
 * A notification whose close button has a name (Mantine's has none by default, which axe
 * reports as a critical button-name violation while the notification shows).
 */
import { notifications } from '@mantine/notifications';

export function notify(message: string, color = 'green'): void {
  notifications.show({ color, message, closeButtonProps: { 'aria-label': 'Close the notification' } });
}
