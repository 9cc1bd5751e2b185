/** Small inputs the rule builder needs: a number kept as text while typed, a duration, a count range. */
import { ActionIcon, Button, Group, NativeSelect, Stack, Text, TextInput } from '@mantine/core';
import { type ReactNode, useEffect, useState } from 'react';
import { COUNT_LABELS, COUNT_OPS, type CountOp, DURATION_UNITS, type DurationUnit, durationOf, parseDuration } from './rule-model.ts';

/**
 * A number typed as text: committed when it parses, so a half-typed "1." or an empty box never
 * turns into NaN in the rule; the text follows the value when it changes elsewhere (the JSON view).
 */
export function NumberField({
  label,
  value,
  onChange,
  error,
  integer,
  min,
  w,
}: {
  label: ReactNode;
  value: number;
  onChange: (n: number) => void;
  error?: string;
  integer?: boolean;
  min?: number;
  w?: number | string;
}) {
  const [text, setText] = useState(String(value));
  useEffect(() => {
    setText((t) => (Number(t) === value && t.trim() !== '' ? t : String(value)));
  }, [value]);
  const parsed = text.trim() === '' ? Number.NaN : Number(text);
  const bad =
    Number.isNaN(parsed) || (integer && !Number.isInteger(parsed)) || (min !== undefined && parsed < min)
      ? integer
        ? `must be a whole number${min !== undefined ? ` from ${min}` : ''}`
        : 'must be a number'
      : undefined;
  return (
    <TextInput
      label={label}
      value={text}
      inputMode={integer ? 'numeric' : 'decimal'}
      w={w}
      error={bad ?? error}
      onChange={(e) => {
        const next = e.currentTarget.value;
        setText(next);
        const n = next.trim() === '' ? Number.NaN : Number(next);
        if (!Number.isNaN(n) && (!integer || Number.isInteger(n)) && (min === undefined || n >= min)) onChange(n);
      }}
    />
  );
}

/** An ISO-8601 duration as an amount and a unit, or as its text when it is not that simple (P1Y2M). */
export function DurationInput({
  label,
  value,
  onChange,
  error,
}: {
  label: string;
  value: string;
  onChange: (iso: string) => void;
  error?: string;
}) {
  const parsed = parseDuration(value);
  if (!parsed)
    return (
      <TextInput
        label={`${label} (ISO-8601 duration, such as P30D or PT12H)`}
        value={value}
        onChange={(e) => onChange(e.currentTarget.value)}
        error={error}
        w={260}
      />
    );
  return (
    <Group gap="xs" align="flex-start" wrap="nowrap">
      <NumberField
        label={label}
        value={parsed.amount}
        integer
        min={0}
        w={110}
        error={error}
        onChange={(n) => onChange(durationOf(n, parsed.unit))}
      />
      <NativeSelect
        label="Unit"
        value={parsed.unit}
        data={DURATION_UNITS.map((u) => u.unit)}
        onChange={(e) => onChange(durationOf(parsed.amount, e.currentTarget.value as DurationUnit))}
        w={120}
      />
    </Group>
  );
}

/** A count range (`{"gte": 2, "lt": 5}`) as rows of a comparison and a number. */
export function CountInput({
  value,
  onChange,
  errorAt,
  none,
}: {
  value: Partial<Record<CountOp, number>> | undefined;
  onChange: (next: Partial<Record<CountOp, number>> | undefined) => void;
  errorAt: (op: string) => string | undefined;
  /** What no count means, in words. */
  none: string;
}) {
  const entries = Object.entries(value ?? {}) as [CountOp, number][];
  const unused = COUNT_OPS.filter((op) => !(op in (value ?? {})));
  const set = (next: [CountOp, number][]) => onChange(next.length ? Object.fromEntries(next) : undefined);
  return (
    <Stack gap={4}>
      <Text size="sm" fw={500}>
        How many times
      </Text>
      {entries.length === 0 && (
        <Text size="sm" c="dimmed">
          {none}
        </Text>
      )}
      {entries.map(([op, n], i) => (
        <Group key={op} gap="xs" align="flex-end" wrap="nowrap">
          <NativeSelect
            label="Comparison"
            value={op}
            data={[op, ...unused].map((o) => ({ value: o, label: COUNT_LABELS[o] }))}
            onChange={(e) => set(entries.map((entry, j) => (j === i ? [e.currentTarget.value as CountOp, n] : entry)))}
            w={130}
          />
          <NumberField
            label="Times"
            value={n}
            integer
            min={0}
            w={100}
            error={errorAt(op)}
            onChange={(next) => set(entries.map((entry, j) => (j === i ? [op, next] : entry)))}
          />
          <ActionIcon
            variant="subtle"
            color="red"
            mb={errorAt(op) ? 24 : 4}
            aria-label={`Remove the count ${COUNT_LABELS[op]} ${n}`}
            onClick={() => set(entries.filter((_, j) => j !== i))}
          >
            ×
          </ActionIcon>
        </Group>
      ))}
      {unused.length > 0 && (
        <Button
          size="compact-xs"
          variant="subtle"
          w="fit-content"
          onClick={() => set([...entries, [unused[0] as CountOp, entries.length === 0 ? 2 : 1]])}
        >
          Add a count
        </Button>
      )}
    </Stack>
  );
}
