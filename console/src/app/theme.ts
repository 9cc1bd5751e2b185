/**
 * Mantine theme: the default, with contrast raised to WCAG AA (4.5:1 for text), as axe-core checks
 * in the end-to-end tests: the primary colour's filled shade is 8 (white on blue-8 is 4.9:1;
 * Mantine's default shade 6 is 3.5:1), dimmed text is gray-7 (gray-6 is 3.3:1 on white), and the
 * text of `light` variants (badges, the active navigation link) is shade 9 darkened by a third:
 * shade 9 alone on its tinted ground is 3.8:1 for green. Field errors are red-9. Close buttons of
 * dialogs and notifications get a name (Mantine's have none: axe's critical button-name).
 */
import { type CSSVariablesResolver, createTheme } from '@mantine/core';

export const theme = createTheme({
  primaryColor: 'blue',
  primaryShade: { light: 8, dark: 4 },
  defaultRadius: 'sm',
  focusRing: 'auto',
  // Plain objects, not Modal.extend(): the entry then does not import the components themselves.
  components: {
    Modal: { defaultProps: { closeButtonProps: { 'aria-label': 'Close' } } },
    Notification: { defaultProps: { closeButtonProps: { 'aria-label': 'Close the notification' } } },
  },
});

const COLORS = ['blue', 'green', 'red', 'gray', 'grape', 'yellow', 'orange', 'teal', 'violet', 'cyan', 'pink', 'indigo', 'lime', 'dark'];

export const cssVariables: CSSVariablesResolver = () => ({
  variables: {},
  light: {
    '--mantine-color-dimmed': 'var(--mantine-color-gray-7)',
    // Field errors (the message and the field's text): red-6 on white is 3.3:1, red-9 5.4:1.
    '--mantine-color-error': 'var(--mantine-color-red-9)',
    ...Object.fromEntries(
      COLORS.map((c) => [`--mantine-color-${c}-light-color`, `color-mix(in srgb, var(--mantine-color-${c}-9), black 35%)`]),
    ),
  },
  dark: {},
});
