/**
 * The frame of a Recharts chart on the report pages: an image with a label that says what it shows
 * (the figures are in a table beside it), a fixed height, the chart sized to its container, and a
 * visible caption. Recharts' own keyboard layer is off inside: the image is one stop for a screen
 * reader, and the table is where the figures are read.
 */
import type { ReactElement } from 'react';
import { ResponsiveContainer } from 'recharts';

export function ChartFrame({
  label,
  caption,
  height = 260,
  children,
}: {
  label: string;
  caption: string;
  height?: number;
  children: ReactElement;
}) {
  return (
    <figure style={{ margin: 0 }}>
      <div role="img" aria-label={label} style={{ width: '100%', height }}>
        <ResponsiveContainer>{children}</ResponsiveContainer>
      </div>
      <figcaption style={{ fontSize: 'var(--mantine-font-size-sm)', color: 'var(--mantine-color-dimmed)' }}>{caption}</figcaption>
    </figure>
  );
}

/** Series colours: dark enough for 3:1 against white (WCAG non-text contrast). */
export const SERIES = [
  'var(--mantine-color-blue-8)',
  'var(--mantine-color-orange-8)',
  'var(--mantine-color-teal-8)',
  'var(--mantine-color-grape-7)',
  'var(--mantine-color-red-8)',
  'var(--mantine-color-cyan-9)',
  'var(--mantine-color-lime-9)',
  'var(--mantine-color-pink-7)',
  'var(--mantine-color-indigo-7)',
  'var(--mantine-color-yellow-9)',
];
export const MUTED = 'var(--mantine-color-gray-6)';
