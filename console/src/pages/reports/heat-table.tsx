/**
 * A heatmap that is a table: each cell's shade grows with its value, and the value is written in
 * it, so the figures are read as a table (row and column headers) and seen as a heatmap. Shades
 * are chosen so the text keeps 4.5:1 contrast (dark text on light blues, white on the dark ones).
 */
import { Table, Text } from '@mantine/core';
import type { ReactNode } from 'react';

const SHADES: [string, string][] = [
  ['#e7f5ff', '#000'],
  ['#d0ebff', '#000'],
  ['#a5d8ff', '#000'],
  ['#74c0fc', '#000'],
  ['#4dabf7', '#000'],
  ['#1971c2', '#fff'],
  ['#1864ab', '#fff'],
];

/**
 * The background and text colours of a value out of the largest one (none for 0). The square root
 * spreads the shades: one large cell (the prospects who just entered) would leave the rest pale.
 */
export function shade(value: number, max: number): { background?: string; color?: string } {
  if (!(value > 0) || !(max > 0)) return {};
  const level = Math.ceil(Math.sqrt(value / max) * SHADES.length) - 1;
  const [background, color] = SHADES[Math.min(SHADES.length - 1, Math.max(0, level))] as [string, string];
  return { background, color };
}

export function HeatTable({
  label,
  corner,
  columns,
  rows,
  value,
  cell,
  minWidth = 480,
}: {
  /** The table's accessible name. */
  label: string;
  /** The header of the row-label column ("Recency \ Frequency"). */
  corner: string;
  columns: { key: string; label: ReactNode }[];
  rows: { key: string; label: ReactNode }[];
  value: (row: string, column: string) => number;
  /** What a cell shows; the value by default. */
  cell?: (row: string, column: string) => ReactNode;
  minWidth?: number;
}) {
  const max = Math.max(0, ...rows.flatMap((r) => columns.map((c) => value(r.key, c.key))));
  return (
    <Table.ScrollContainer minWidth={minWidth}>
      <Table aria-label={label} withTableBorder withColumnBorders layout="fixed">
        <Table.Thead>
          <Table.Tr>
            <Table.Th scope="col">{corner}</Table.Th>
            {columns.map((c) => (
              <Table.Th scope="col" key={c.key} ta="center">
                {c.label}
              </Table.Th>
            ))}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {rows.map((r) => (
            <Table.Tr key={r.key}>
              <Table.Th scope="row">{r.label}</Table.Th>
              {columns.map((c) => {
                const v = value(r.key, c.key);
                const colours = shade(v, max);
                return (
                  <Table.Td key={c.key} ta="center" style={{ backgroundColor: colours.background, color: colours.color }}>
                    {cell ? (
                      cell(r.key, c.key)
                    ) : (
                      <Text span size="sm">
                        {v.toLocaleString()}
                      </Text>
                    )}
                  </Table.Td>
                );
              })}
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
