/**
 * The visual rule builder: one editor per node of the rule tree (and/or groups, not, field
 * comparisons, purchases, events, reachability, list and segment membership), each changing
 * only its own node, so a rule goes in and comes out the same. A node it cannot show exactly
 * (an unknown key, a value of a type the field's editor has no input for) is an editable JSON
 * box: shown, never dropped. Errors land on the node, and on the input, whose JSON path they name.
 */
import { Button, Checkbox, Group, NativeSelect, Paper, Stack, Text, Textarea, TextInput } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { createContext, type ReactNode, useContext, useEffect, useState } from 'react';
import { query } from '../../api/query.ts';
import { DurationInput, CountInput, NumberField } from './inputs.tsx';
import {
  enumFor,
  FIELD_OPTIONS,
  isObject,
  type Json,
  joinField,
  kindFor,
  kindOf,
  NEW_NODES,
  type Op,
  type Rule,
  opLabel,
  opsFor,
  splitField,
  type ValueType,
  valueTypeOf,
  withField,
  withOp,
} from './rule-model.ts';
import { lists, segments, settings } from './segments-api.ts';

/** Validation issues by JSON path (`rule.and.1.op`), from the schema or the API. */
export type Issues = { field: string; message: string }[];

interface BuilderContext {
  issues: Issues;
  lists: { value: string; label: string }[];
  segments: { value: string; label: string }[];
  topics: string[];
}
const Ctx = createContext<BuilderContext>({ issues: [], lists: [], segments: [], topics: [] });

interface NodeProps {
  node: Json;
  path: string;
  onChange: (next: Json) => void;
  /** Absent for the root. */
  onRemove?: () => void;
  /** A short name for the node in labels ("Condition 2"). */
  name: string;
}

export function RuleBuilder({
  rule,
  onChange,
  issues,
  selfId,
}: {
  rule: Json;
  onChange: (next: Json) => void;
  issues: Issues;
  selfId?: string;
}) {
  const allLists = useQuery({ ...query(lists.listLists, { query: { limit: 500 } }), staleTime: 60_000 });
  const allSegments = useQuery({ ...query(segments.listSegments, { query: { limit: 500 } }), staleTime: 60_000 });
  const sending = useQuery({ ...query(settings.getSendingSettings, {}), staleTime: 300_000, retry: false });
  const context: BuilderContext = {
    issues,
    lists: (allLists.data?.items ?? []).map((l) => ({ value: l.listId, label: l.name })),
    segments: (allSegments.data?.items ?? []).filter((s) => s.segmentId !== selfId).map((s) => ({ value: s.segmentId, label: s.name })),
    topics: (sending.data?.topics ?? []).map((t) => t.name),
  };
  const root = kindOf(rule);
  return (
    <Ctx.Provider value={context}>
      <Stack gap="xs">
        <NodeEditor node={rule} path="rule" onChange={onChange} name="The rule" />
        {root !== 'and' && root !== 'or' && (
          <Button variant="subtle" size="compact-sm" w="fit-content" onClick={() => onChange({ and: [rule] })}>
            Put the rule in a group to add conditions
          </Button>
        )}
      </Stack>
    </Ctx.Provider>
  );
}

function NodeEditor(props: NodeProps) {
  switch (kindOf(props.node)) {
    case 'and':
    case 'or':
      return <GroupEditor {...props} />;
    case 'not':
      return <NotEditor {...props} />;
    case 'field':
      return <FieldEditor {...props} />;
    case 'reachable':
      return <ReachableEditor {...props} />;
    case 'inList':
    case 'inSegment':
      return <MembershipEditor {...props} />;
    case 'purchased':
    case 'neverPurchased':
      return <PurchaseEditor {...props} />;
    case 'event':
      return <EventEditor {...props} />;
    default:
      return <JsonEditor {...props} />;
  }
}

// ---------------------------------------------------------------------------------------------
// Issues

/** Issues at a path or below it, without those of child nodes (`.and.N`, `.not`). */
function useIssues(path: string) {
  const { issues } = useContext(Ctx);
  const own = issues.filter((i) => {
    if (i.field === path) return true;
    if (!i.field.startsWith(`${path}.`)) return false;
    const rest = i.field.slice(path.length + 1);
    return !/^(and|or)\.\d+/.test(rest) && rest !== 'not' && !rest.startsWith('not.');
  });
  return {
    /** The first message at this sub-path (`op`) or below it (`value.1`). */
    at: (sub: string) => own.find((i) => i.field === `${path}.${sub}` || i.field.startsWith(`${path}.${sub}.`))?.message,
    /** Messages not shown on an input (those under `shown`). */
    rest: (shown: string[]) => own.filter((i) => !shown.some((s) => i.field === `${path}.${s}` || i.field.startsWith(`${path}.${s}.`))),
  };
}

function NodeFrame({
  title,
  name,
  node,
  path,
  onChange,
  onRemove,
  shown,
  children,
  actions,
  tone,
}: Omit<NodeProps, 'node'> & {
  node: Json;
  title: string;
  shown: string[];
  children: ReactNode;
  actions?: ReactNode;
  tone?: 'group' | 'not' | 'json';
}) {
  const issues = useIssues(path).rest(shown);
  return (
    <Paper
      withBorder
      p="xs"
      role="group"
      aria-label={`${name}: ${title}`}
      data-path={path}
      bg={tone === 'group' ? 'gray.0' : tone === 'not' ? 'orange.0' : undefined}
      style={issues.length ? { borderColor: 'var(--mantine-color-red-7)' } : undefined}
    >
      <Group justify="space-between" gap="xs" mb={6} wrap="wrap">
        <Text size="sm" fw={600}>
          {title}
        </Text>
        <Group gap={4}>
          {actions}
          {tone !== 'not' && (
            <Button size="compact-xs" variant="subtle" onClick={() => onChange({ not: node })} aria-label={`Negate ${name}`}>
              Negate
            </Button>
          )}
          {onRemove && (
            <Button size="compact-xs" variant="subtle" color="red" onClick={onRemove} aria-label={`Remove ${name}`}>
              Remove
            </Button>
          )}
        </Group>
      </Group>
      {children}
      {issues.map((i) => (
        <Text key={i.field + i.message} size="sm" c="red.8" mt={4} role="alert">
          {i.message}
        </Text>
      ))}
    </Paper>
  );
}

// ---------------------------------------------------------------------------------------------
// Groups and not

const ADD_ITEMS: { kind: keyof typeof NEW_NODES; label: string }[] = [
  { kind: 'field', label: 'Contact field or value model' },
  { kind: 'purchased', label: 'Purchased' },
  { kind: 'neverPurchased', label: 'Never purchased' },
  { kind: 'event', label: 'Custom event' },
  { kind: 'reachable', label: 'Reachable by a channel' },
  { kind: 'inList', label: 'In a list' },
  { kind: 'inSegment', label: 'In another segment' },
  { kind: 'and', label: 'Group: all of' },
  { kind: 'or', label: 'Group: any of' },
];

function GroupEditor({ node, path, onChange, onRemove, name }: NodeProps) {
  const key = kindOf(node) as 'and' | 'or';
  const children = (node as Record<string, Json[]>)[key] ?? [];
  const setChildren = (next: Json[]) => onChange({ [key]: next });
  const issue = useIssues(path).at(key);
  return (
    <NodeFrame
      title={key === 'and' ? 'Group: all of these' : 'Group: any of these'}
      tone="group"
      {...{ node, path, onChange, onRemove, name }}
      shown={[key]}
    >
      <Stack gap="xs">
        <NativeSelect
          label="Match"
          value={key}
          w={220}
          data={[
            { value: 'and', label: 'all of these (and)' },
            { value: 'or', label: 'any of these (or)' },
          ]}
          onChange={(e) => onChange({ [e.currentTarget.value]: children })}
        />
        {children.length === 0 && (
          <Text size="sm" c={issue ? 'red.8' : 'dimmed'}>
            {issue ? `${issue}: ` : ''}An empty group: add a condition.
          </Text>
        )}
        {children.map((child, i) => (
          <NodeEditor
            // biome-ignore lint/suspicious/noArrayIndexKey: a node is its position; editors keep no state of their own that matters
            key={i}
            node={child}
            path={`${path}.${key}.${i}`}
            name={name === 'The rule' ? `Condition ${i + 1}` : `${name}.${i + 1}`}
            onChange={(next) => setChildren(children.map((c, j) => (j === i ? next : c)))}
            onRemove={() => setChildren(children.filter((_, j) => j !== i))}
          />
        ))}
        <AddCondition name={name} onAdd={(node) => setChildren([...children, node])} />
      </Stack>
    </NodeFrame>
  );
}

/** A kind and a button (a native select: no popover library, and the keyboard works as everywhere). */
function AddCondition({ name, onAdd }: { name: string; onAdd: (node: Rule) => void }) {
  const [kind, setKind] = useState<keyof typeof NEW_NODES>('field');
  return (
    <Group gap="xs" wrap="nowrap">
      <NativeSelect
        aria-label={`Kind of condition to add to ${name}`}
        value={kind}
        data={ADD_ITEMS.map((i) => ({ value: i.kind, label: i.label }))}
        onChange={(e) => setKind(e.currentTarget.value as keyof typeof NEW_NODES)}
        size="xs"
        w={230}
      />
      <Button size="xs" variant="light" onClick={() => onAdd(NEW_NODES[kind]())} aria-label={`Add a condition to ${name}`}>
        Add
      </Button>
    </Group>
  );
}

function NotEditor({ node, path, onChange, onRemove, name }: NodeProps) {
  const child = (node as { not: Json }).not;
  return (
    <NodeFrame
      title="Not (contacts that do not match this)"
      tone="not"
      {...{ node, path, onChange, onRemove, name }}
      shown={[]}
      actions={
        <Button size="compact-xs" variant="subtle" onClick={() => onChange(child)} aria-label={`Stop negating ${name}`}>
          Stop negating
        </Button>
      }
    >
      <NodeEditor node={child} path={`${path}.not`} name={name} onChange={(next) => onChange({ not: next })} />
    </NodeFrame>
  );
}

// ---------------------------------------------------------------------------------------------
// Field comparisons

type FieldNode = { field: string; op: Op; value?: unknown };

function FieldEditor({ node, path, onChange, onRemove, name }: NodeProps) {
  const n = node as FieldNode;
  const { topics } = useContext(Ctx);
  const issues = useIssues(path);
  const { base, name: subName } = splitField(n.field);
  const kind = kindFor(n.field);
  const ops = opsFor(n.field);
  const set = (value: unknown) => onChange(value === undefined ? { field: n.field, op: n.op } : { ...n, value });
  const topicList = `${path}-topics`;
  return (
    <NodeFrame title="Contact field" {...{ node, path, onChange, onRemove, name }} shown={['field', 'op', 'value']}>
      <Group gap="xs" align="flex-start" wrap="wrap">
        <NativeSelect
          label="Field"
          value={base}
          data={FIELD_OPTIONS}
          w={220}
          error={base.endsWith('<name>') ? undefined : issues.at('field')}
          onChange={(e) => onChange(withField(n, joinField(e.currentTarget.value, subName)))}
        />
        {base.endsWith('<name>') && (
          <>
            <TextInput
              label={base.startsWith('topics.') ? 'Topic' : 'Attribute name'}
              value={subName ?? ''}
              w={170}
              list={base.startsWith('topics.') ? topicList : undefined}
              error={issues.at('field')}
              onChange={(e) => onChange({ ...n, field: joinField(base, e.currentTarget.value) })}
            />
            {base.startsWith('topics.') && (
              <datalist id={topicList}>
                {topics.map((t) => (
                  <option key={t} value={t} />
                ))}
              </datalist>
            )}
          </>
        )}
        <NativeSelect
          label="Comparison"
          value={n.op}
          data={ops.map((op) => ({ value: op, label: opLabel(op, kind) }))}
          w={190}
          error={issues.at('op')}
          onChange={(e) => onChange(withOp(n, e.currentTarget.value as Op))}
        />
        <ValueEditor node={n} set={set} error={issues.at('value')} />
      </Group>
    </NodeFrame>
  );
}

function ValueEditor({ node, set, error }: { node: FieldNode; set: (v: unknown) => void; error?: string }) {
  const { field, op, value } = node;
  const options = enumFor(field);
  switch (op) {
    case 'exists':
      return (
        <NativeSelect
          label="Set"
          value={value === false ? 'false' : 'true'}
          data={[
            { value: 'true', label: 'yes' },
            { value: 'false', label: 'no (missing)' },
          ]}
          w={140}
          error={error}
          onChange={(e) => set(e.currentTarget.value === 'true')}
        />
      );
    case 'in':
    case 'nin': {
      const values = (value as (string | number)[]) ?? [];
      if (options)
        return (
          <Checkbox.Group
            label="Values"
            value={values.map(String)}
            onChange={(v) => set(options.filter((o) => v.includes(o)))}
            error={error}
          >
            <Group gap="sm" mt={6}>
              {options.map((o) => (
                <Checkbox key={o} value={o} label={o} />
              ))}
            </Group>
          </Checkbox.Group>
        );
      return <ValuesInput field={field} values={values} set={set} error={error} />;
    }
    case 'between': {
      const [lo, hi] = (value as [unknown, unknown]) ?? [undefined, undefined];
      return (
        <Group gap="xs" align="flex-start" wrap="nowrap">
          <ScalarInput field={field} label="From" value={lo} onChange={(v) => set([v, hi])} error={error} />
          <ScalarInput field={field} label="To (inclusive)" value={hi} onChange={(v) => set([lo, v])} />
        </Group>
      );
    }
    case 'withinLast':
    case 'notWithinLast':
      return <DurationInput label="Last" value={String(value ?? '')} onChange={set} error={error} />;
    case 'startsWith':
    case 'contains':
      return (
        <TextInput label="Text (any case)" value={String(value ?? '')} onChange={(e) => set(e.currentTarget.value)} error={error} w={200} />
      );
    default:
      return <ScalarInput field={field} label="Value" value={value} onChange={set} error={error} />;
  }
}

/**
 * The values of `in` / `nin`, one a line: strings, or numbers for a number field or an attribute
 * of numbers. The text is kept as typed (a new empty line stays) and follows the value when it
 * changes elsewhere.
 */
function ValuesInput({
  field,
  values,
  set,
  error,
}: {
  field: string;
  values: (string | number)[];
  set: (v: unknown) => void;
  error?: string;
}) {
  const kind = kindFor(field);
  const [numbers, setNumbers] = useState(kind === 'number' || (values.length > 0 && values.every((v) => typeof v === 'number')));
  const [text, setText] = useState(() => values.join('\n'));
  const [bad, setBad] = useState<string>();
  const parse = (t: string) => {
    const lines = t.split('\n').filter((l) => (numbers ? l.trim() !== '' : l !== ''));
    return numbers ? lines.map((l) => Number(l.trim())) : lines;
  };
  // biome-ignore lint/correctness/useExhaustiveDependencies: follows the value only
  useEffect(() => {
    setText((t) => (JSON.stringify(parse(t)) === JSON.stringify(values) ? t : values.join('\n')));
  }, [values]);
  return (
    <Group gap="xs" align="flex-start" wrap="nowrap">
      <Textarea
        label={numbers ? 'Values (numbers, one a line)' : 'Values (one a line)'}
        value={text}
        w={240}
        autosize
        minRows={2}
        maxRows={8}
        error={bad ?? error}
        onChange={(e) => {
          const next = e.currentTarget.value;
          setText(next);
          const parsed = parse(next);
          if (parsed.some((x) => typeof x === 'number' && Number.isNaN(x))) return setBad('must be numbers, one a line');
          setBad(undefined);
          set(parsed);
        }}
      />
      {kind === 'any' && (
        <NativeSelect
          label="Type"
          value={numbers ? 'number' : 'string'}
          data={[
            { value: 'string', label: 'text' },
            { value: 'number', label: 'number' },
          ]}
          w={110}
          onChange={(e) => {
            const toNumbers = e.currentTarget.value === 'number';
            setNumbers(toNumbers);
            setBad(undefined);
            const next = toNumbers ? values.map(Number).filter((x) => !Number.isNaN(x)) : values.map(String);
            setText(next.join('\n'));
            set(next);
          }}
        />
      )}
    </Group>
  );
}

const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;

/** One value, by the field's kind: a list of choices, a number, a date (or an ISO time), text; an attribute picks its type. */
function ScalarInput({
  field,
  label,
  value,
  onChange,
  error,
}: {
  field: string;
  label: string;
  value: unknown;
  onChange: (v: unknown) => void;
  error?: string;
}) {
  const options = enumFor(field);
  const kind = kindFor(field);
  const type: ValueType = valueTypeOf(field, value) ?? (kind === 'number' ? 'number' : kind === 'time' ? 'time' : 'string');
  if (options)
    return (
      <NativeSelect
        label={label}
        value={String(value ?? '')}
        data={options.includes(String(value)) ? options : [String(value ?? ''), ...options]}
        onChange={(e) => onChange(e.currentTarget.value)}
        error={error}
        w={170}
      />
    );
  const input =
    type === 'number' ? (
      <NumberField label={label} value={typeof value === 'number' ? value : 0} onChange={onChange} error={error} w={140} />
    ) : type === 'boolean' ? (
      <NativeSelect
        label={label}
        value={String(value)}
        data={['true', 'false']}
        onChange={(e) => onChange(e.currentTarget.value === 'true')}
        error={error}
        w={110}
      />
    ) : type === 'time' && (DATE_ONLY.test(String(value)) || value === '') ? (
      <TextInput label={label} type="date" value={String(value)} onChange={(e) => onChange(e.currentTarget.value)} error={error} w={170} />
    ) : (
      <TextInput
        label={type === 'time' ? `${label} (ISO time)` : label}
        value={String(value ?? '')}
        onChange={(e) => onChange(e.currentTarget.value)}
        error={error}
        w={type === 'time' ? 240 : 200}
      />
    );
  if (kind !== 'any') return input;
  return (
    <Group gap="xs" align="flex-start" wrap="nowrap">
      {input}
      <NativeSelect
        label={`${label} type`}
        value={type}
        data={[
          { value: 'string', label: 'text' },
          { value: 'number', label: 'number' },
          { value: 'boolean', label: 'yes / no' },
        ]}
        w={110}
        onChange={(e) => {
          const t = e.currentTarget.value;
          const n = Number(value);
          onChange(t === 'number' ? (Number.isNaN(n) ? 0 : n) : t === 'boolean' ? value === 'true' || value === true : String(value ?? ''));
        }}
      />
    </Group>
  );
}

// ---------------------------------------------------------------------------------------------
// Reachable, lists, segments

function ReachableEditor({ node, path, onChange, onRemove, name }: NodeProps) {
  const n = node as { reachable: 'email' | 'sms' };
  return (
    <NodeFrame title="Reachable" {...{ node, path, onChange, onRemove, name }} shown={[]}>
      <NativeSelect
        label="Reachable by"
        description="Consented, has the address, not suppressed"
        value={n.reachable}
        data={[
          { value: 'email', label: 'email' },
          { value: 'sms', label: 'SMS' },
        ]}
        w={300}
        onChange={(e) => onChange({ reachable: e.currentTarget.value })}
      />
    </NodeFrame>
  );
}

function MembershipEditor({ node, path, onChange, onRemove, name }: NodeProps) {
  const key = kindOf(node) as 'inList' | 'inSegment';
  const id = (node as Record<string, string>)[key] ?? '';
  const ctx = useContext(Ctx);
  const choices = key === 'inList' ? ctx.lists : ctx.segments;
  const issues = useIssues(path);
  const data = [
    { value: '', label: key === 'inList' ? 'Choose a list' : 'Choose a segment' },
    ...(id && !choices.some((c) => c.value === id) ? [{ value: id, label: `${id} (not found)` }] : []),
    ...choices,
  ];
  return (
    <NodeFrame title={key === 'inList' ? 'In a list' : 'In a segment'} {...{ node, path, onChange, onRemove, name }} shown={[key]}>
      <NativeSelect
        label={key === 'inList' ? 'List' : 'Segment'}
        value={id}
        data={data}
        w={320}
        error={issues.at(key)}
        onChange={(e) => onChange({ [key]: e.currentTarget.value })}
      />
    </NodeFrame>
  );
}

// ---------------------------------------------------------------------------------------------
// Purchases and events

function PurchaseEditor({ node, path, onChange, onRemove, name }: NodeProps) {
  const key = kindOf(node) as 'purchased' | 'neverPurchased';
  const p = (node as Record<string, Record<string, unknown>>)[key] ?? {};
  const by = p.sku !== undefined ? 'sku' : 'category';
  const issues = useIssues(path);
  const set = (next: Record<string, unknown>) =>
    onChange({ [key]: Object.fromEntries(Object.entries(next).filter(([, v]) => v !== undefined)) });
  return (
    <NodeFrame
      title={key === 'purchased' ? 'Purchased' : 'Never purchased'}
      {...{ node, path, onChange, onRemove, name }}
      shown={[`${key}.category`, `${key}.sku`, `${key}.within`, `${key}.count`]}
    >
      <Stack gap="xs">
        <Group gap="xs" align="flex-start" wrap="wrap">
          <NativeSelect
            label="By"
            value={by}
            data={[
              { value: 'category', label: 'category' },
              { value: 'sku', label: 'SKU' },
            ]}
            w={120}
            onChange={(e) => {
              const { category, sku, ...rest } = p;
              set({ ...rest, [e.currentTarget.value]: (category ?? sku ?? '') as string });
            }}
          />
          <TextInput
            label={by === 'sku' ? 'SKU' : 'Category'}
            value={String(p[by] ?? '')}
            w={200}
            error={issues.at(`${key}.${by}`) ?? (by === 'category' ? issues.at(`${key}.sku`) : undefined)}
            onChange={(e) => set({ ...p, [by]: e.currentTarget.value })}
          />
          {key === 'purchased' && (
            <Within
              value={p.within as string | undefined}
              error={issues.at(`${key}.within`)}
              onChange={(within) => set({ ...p, within })}
            />
          )}
        </Group>
        {key === 'purchased' && (
          <CountInput
            value={p.count as Record<string, number> | undefined}
            none="at least once"
            errorAt={(op) => issues.at(`${key}.count.${op}`) ?? issues.at(`${key}.count`)}
            onChange={(count) => set({ ...p, count })}
          />
        )}
      </Stack>
    </NodeFrame>
  );
}

function Within({ value, onChange, error }: { value: string | undefined; onChange: (v: string | undefined) => void; error?: string }) {
  return (
    <Stack gap={4}>
      <Checkbox
        label="Only within the last…"
        checked={value !== undefined}
        onChange={(e) => onChange(e.currentTarget.checked ? 'P90D' : undefined)}
        mt={4}
      />
      {value !== undefined && <DurationInput label="Within the last" value={value} onChange={onChange} error={error} />}
    </Stack>
  );
}

function EventEditor({ node, path, onChange, onRemove, name }: NodeProps) {
  const e = (node as { event: Record<string, unknown> }).event;
  const issues = useIssues(path);
  const set = (next: Record<string, unknown>) =>
    onChange({ event: Object.fromEntries(Object.entries(next).filter(([, v]) => v !== undefined)) });
  return (
    <NodeFrame title="Custom event" {...{ node, path, onChange, onRemove, name }} shown={['event.type', 'event.within', 'event.count']}>
      <Stack gap="xs">
        <Group gap="xs" align="flex-start" wrap="wrap">
          <TextInput
            label="Event type (such as visit)"
            value={String(e.type ?? '')}
            w={200}
            error={issues.at('event.type')}
            onChange={(ev) => set({ ...e, type: ev.currentTarget.value })}
          />
          <Within value={e.within as string | undefined} error={issues.at('event.within')} onChange={(within) => set({ ...e, within })} />
        </Group>
        <CountInput
          value={e.count as Record<string, number> | undefined}
          none="at least once"
          errorAt={(op) => issues.at(`event.count.${op}`) ?? issues.at('event.count')}
          onChange={(count) => set({ ...e, count })}
        />
      </Stack>
    </NodeFrame>
  );
}

// ---------------------------------------------------------------------------------------------
// Anything else: JSON

const pretty = (v: Json) => JSON.stringify(v, null, 2) ?? 'null';

function JsonEditor({ node, path, onChange, onRemove, name }: NodeProps) {
  const [text, setText] = useState(() => pretty(node));
  const [syntax, setSyntax] = useState<string>();
  // Follow changes made elsewhere (the whole rule's JSON view), but not the echo of our own typing.
  useEffect(() => {
    setText((t) => {
      try {
        return JSON.stringify(JSON.parse(t)) === JSON.stringify(node) ? t : pretty(node);
      } catch {
        return t;
      }
    });
  }, [node]);
  return (
    <NodeFrame title="Condition as JSON" tone="json" {...{ node, path, onChange, onRemove, name }} shown={[]}>
      <Text size="xs" c="dimmed" mb={4}>
        The builder has no form for this condition{isObject(node) ? '' : ' (it is not a rule object)'}; edit it as JSON.
      </Text>
      <Textarea
        label={`${name} as JSON`}
        value={text}
        autosize
        minRows={2}
        maxRows={12}
        spellCheck={false}
        styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)', fontSize: 13 } }}
        error={syntax}
        onChange={(e) => {
          const next = e.currentTarget.value;
          setText(next);
          try {
            const parsed = JSON.parse(next) as Json;
            setSyntax(undefined);
            onChange(parsed);
          } catch (error) {
            setSyntax(`not valid JSON: ${(error as Error).message}`);
          }
        }}
      />
    </NodeFrame>
  );
}
