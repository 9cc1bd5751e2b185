/**
 * Several choices out of a list (segments, lists), as a group of checkboxes with a filter when the
 * list is long. Native inputs rather than a popover MultiSelect: Mantine's popovers bring
 * floating-ui, which the bundler then puts in a chunk the first page loads (docs/console.md).
 */
import { Checkbox, Stack, Text, TextInput } from '@mantine/core';
import { useState } from 'react';
import type { Option } from './wizard-steps.tsx';

const FILTER_FROM = 8;

export function PickList({
  label,
  options,
  value,
  onChange,
  error,
  empty = 'None yet',
}: {
  label: string;
  options: Option[];
  value: string[];
  onChange: (value: string[]) => void;
  error?: string | undefined;
  empty?: string;
}) {
  const [filter, setFilter] = useState('');
  const needle = filter.trim().toLowerCase();
  const shown = needle ? options.filter((o) => o.label.toLowerCase().includes(needle) || value.includes(o.value)) : options;
  return (
    <Checkbox.Group label={label} value={value} onChange={onChange} error={error}>
      {options.length >= FILTER_FROM && (
        <TextInput
          aria-label={`Filter ${label.toLowerCase()} by name`}
          placeholder="Filter by name"
          type="search"
          size="xs"
          mt={4}
          value={filter}
          onChange={(e) => setFilter(e.currentTarget.value)}
        />
      )}
      <Stack gap={6} mt="xs" mah={220} style={{ overflowY: 'auto' }}>
        {shown.map((o) => (
          <Checkbox key={o.value} value={o.value} label={o.label} />
        ))}
        {options.length === 0 && <Text size="sm">{empty}</Text>}
      </Stack>
    </Checkbox.Group>
  );
}
