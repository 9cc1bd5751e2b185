/**
 * Mantine theme: the default, with contrast raised to WCAG AA (4.5:1 for text): the primary
 * colour's filled shade is 8 (white on blue-8 is 4.9:1; Mantine's default shade 6 is 3.5:1) and
 * dimmed text is gray-7 (gray-6 is 3.3:1 on white).
 */
import { type CSSVariablesResolver, createTheme } from '@mantine/core';

export const theme = createTheme({
  primaryColor: 'blue',
  primaryShade: { light: 8, dark: 4 },
  defaultRadius: 'sm',
  focusRing: 'auto',
});

export const cssVariables: CSSVariablesResolver = () => ({
  variables: {},
  light: { '--mantine-color-dimmed': 'var(--mantine-color-gray-7)' },
  dark: {},
});
