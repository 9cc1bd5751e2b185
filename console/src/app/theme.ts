/**
 * Mantine theme: the default, with contrast raised to WCAG AA (4.5:1 for text), as axe-core checks
 * in the end-to-end tests: the primary colour's filled shade is 8 (white on blue-8 is 4.9:1;
 * Mantine's default shade 6 is 3.5:1), dimmed text is gray-7 (gray-6 is 3.3:1 on white), and the
 * text of `light` variants (badges, the active navigation link) is shade 9 darkened by a third:
 * shade 9 alone on its tinted ground is 3.8:1 for green. An input's error message and border are red-8
 * (Mantine's red-6 is 3.3:1 on white). The close buttons of notifications and dialogs have names.
 */
import { type CSSVariablesResolver, createTheme, Notification } from '@mantine/core';

export const theme = createTheme({
  primaryColor: 'blue',
  primaryShade: { light: 8, dark: 4 },
  defaultRadius: 'sm',
  focusRing: 'auto',
  components: {
    // Their close buttons are icons: give them a name (axe: button-name).
    Notification: Notification.extend({ defaultProps: { closeButtonProps: { 'aria-label': 'Close the notice' } } }),
    // A plain object, not Modal.extend: importing Modal here would move it into the first page's bundle.
    Modal: { defaultProps: { closeButtonProps: { 'aria-label': 'Close the dialog' } } },
  },
});

const COLORS = ['blue', 'green', 'red', 'gray', 'grape', 'yellow', 'orange', 'teal', 'violet', 'cyan', 'pink', 'indigo', 'lime', 'dark'];

export const cssVariables: CSSVariablesResolver = () => ({
  variables: {},
  light: {
    '--mantine-color-dimmed': 'var(--mantine-color-gray-7)',
    '--mantine-color-error': 'var(--mantine-color-red-8)',
    ...Object.fromEntries(
      COLORS.map((c) => [`--mantine-color-${c}-light-color`, `color-mix(in srgb, var(--mantine-color-${c}-9), black 35%)`]),
    ),
  },
  dark: {},
});
