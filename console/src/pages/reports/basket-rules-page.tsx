/**
 * Basket rules (GET /reports/basket-rules): what customers buy together, between categories and,
 * once there are enough baskets, products. A sortable table per level (antecedent ⇒ consequent,
 * support, confidence, lift, count) with a filter on the items. Before the first mining (404), a
 * button queues the value-model recompute that mines them, and the page asks again until they come.
 */
import { Anchor, Button, Group, SegmentedControl, Table, Text, TextInput, UnstyledButton } from '@mantine/core';
import type { AssociationRule, RuleSet } from '@shared/domain/basket-rules.ts';
import { useMutation, useQuery } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import { Link } from 'react-router';
import { ApiError, textOf } from '../../api/client.ts';
import { query } from '../../api/query.ts';
import { PageHeader } from '../../components/page-header.tsx';
import { Empty, ErrorAlert, RequestState } from '../../components/request-state.tsx';
import { CsvDownload } from './csv-download.tsx';
import { reports, settings } from './reports-api.ts';

type SortKey = 'rule' | 'support' | 'confidence' | 'lift' | 'count';
const COLUMNS: [SortKey, string][] = [
  ['support', 'Support'],
  ['confidence', 'Confidence'],
  ['lift', 'Lift'],
  ['count', 'Count'],
];
/** How long the page keeps asking after queueing a recompute. */
const WAIT_MS = 60_000;

export default function BasketRulesPage() {
  const [waitingSince, setWaitingSince] = useState<number>();
  const rules = useQuery({
    ...query(reports.getBasketRules, {}),
    refetchInterval: (q) => (waitingSince !== undefined && !q.state.data && Date.now() - waitingSince < WAIT_MS ? 2000 : false),
  });
  const notMined = rules.error instanceof ApiError && rules.error.status === 404;
  const recompute = useMutation({
    mutationFn: () => settings.recomputeValueModel({}),
    onSuccess: () => setWaitingSince(Date.now()),
  });
  const waiting = waitingSince !== undefined && !rules.data && Date.now() - waitingSince < WAIT_MS;

  return (
    <>
      <Anchor component={Link} to="/reports" size="sm">
        ← All reports
      </Anchor>
      <PageHeader
        title="Basket rules"
        actions={
          rules.data && (
            <CsvDownload fileName="basket-rules.csv" fetchCsv={() => textOf(reports.getBasketRules, { query: { format: 'csv' } })} />
          )
        }
      >
        <Text size="sm" c="dimmed" maw={720} mt={4}>
          Rules mined every hour from the shop's own purchases: customers who bought every item on the left also bought the item on the
          right. Support: the share of all baskets with every item; confidence: the share of baskets with the left side that also hold the
          right; lift: confidence over how common the right side is (above 1, buying the left makes the right more likely).
        </Text>
      </PageHeader>
      {notMined ? (
        <>
          <Empty
            title={waiting ? 'Mining the rules…' : 'No rules mined yet'}
            description={`The rules are mined with the hourly value-model recompute, or now with the button. (The API said: ${(rules.error as ApiError).message}.)`}
            action={
              <Button onClick={() => recompute.mutate()} loading={recompute.isPending || waiting}>
                Mine the rules now
              </Button>
            }
          />
          {recompute.isError && <ErrorAlert error={recompute.error} title="Could not queue the recompute" />}
          <Text role="status" size="sm" c="dimmed" ta="center">
            {waitingSince !== undefined && !waiting && !rules.data
              ? 'Still no rules: the recompute may be queued behind other work. Try again later.'
              : ''}
          </Text>
        </>
      ) : (
        <RequestState query={rules} label="the basket rules">
          {(r) => <Rules r={r} />}
        </RequestState>
      )}
    </>
  );
}

function Rules({ r }: { r: { categories: RuleSet; products: RuleSet | null; productsNote?: string | undefined } }) {
  const [level, setLevel] = useState<'categories' | 'products'>('categories');
  const set = level === 'categories' ? r.categories : r.products;
  return (
    <>
      <Group justify="space-between" mb="sm" align="flex-end">
        <SegmentedControl
          aria-label="Level"
          value={level}
          onChange={(v) => setLevel(v as 'categories' | 'products')}
          data={[
            { value: 'categories', label: `Categories (${r.categories.rules.length})` },
            { value: 'products', label: r.products ? `Products (${r.products.rules.length})` : 'Products (none yet)' },
          ]}
        />
      </Group>
      {set ? (
        <RuleTable set={set} level={level} />
      ) : (
        <Empty title="No product rules yet" description={r.productsNote ?? 'Product rules need more baskets.'} />
      )}
    </>
  );
}

const ruleText = (rule: AssociationRule) => `${rule.antecedent.join(' + ')} ⇒ ${rule.consequent}`;

function RuleTable({ set, level }: { set: RuleSet; level: string }) {
  const [sort, setSort] = useState<{ key: SortKey; desc: boolean }>({ key: 'lift', desc: true });
  const [filter, setFilter] = useState('');
  const rows = useMemo(() => {
    const needle = filter.trim().toLowerCase();
    const kept = needle
      ? set.rules.filter((rule) => [...rule.antecedent, rule.consequent].some((item) => item.toLowerCase().includes(needle)))
      : set.rules;
    // A stable sort: ties keep the API's order (lift, confidence, names).
    const direction = sort.desc ? -1 : 1;
    return [...kept].sort((a, b) => direction * (sort.key === 'rule' ? ruleText(a).localeCompare(ruleText(b)) : a[sort.key] - b[sort.key]));
  }, [set, sort, filter]);

  const header = (key: SortKey, label: string, align: 'left' | 'right') => {
    const active = sort.key === key;
    return (
      <Table.Th scope="col" ta={align} aria-sort={active ? (sort.desc ? 'descending' : 'ascending') : 'none'}>
        <UnstyledButton
          onClick={() => setSort(active ? { key, desc: !sort.desc } : { key, desc: key !== 'rule' })}
          fw={700}
          fz="sm"
          style={{ width: '100%', textAlign: align }}
        >
          {label} <span aria-hidden="true">{active ? (sort.desc ? '↓' : '↑') : '↕'}</span>
        </UnstyledButton>
      </Table.Th>
    );
  };

  return (
    <>
      <Group justify="space-between" align="flex-end" mb="sm">
        <TextInput label="Filter by item" value={filter} onChange={(e) => setFilter(e.currentTarget.value)} placeholder="shoes" w={260} />
        <Text size="sm" c="dimmed">
          {rows.length.toLocaleString()} of {set.rules.length.toLocaleString()} rules, from {set.baskets.toLocaleString()} baskets
        </Text>
      </Group>
      {rows.length === 0 ? (
        <Empty title={set.rules.length === 0 ? `No ${level} rules` : 'No rule matches the filter'} />
      ) : (
        <Table.ScrollContainer minWidth={620}>
          <Table aria-label={`Basket rules between ${level}`} striped highlightOnHover>
            <Table.Thead>
              <Table.Tr>
                {header('rule', 'Rule (bought ⇒ also bought)', 'left')}
                {COLUMNS.map(([key, label]) => header(key, label, 'right'))}
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {rows.map((rule) => (
                <Table.Tr key={ruleText(rule)}>
                  <Table.Td>
                    {rule.antecedent.join(' + ')} <span aria-hidden="true">⇒</span> <span className="visually-hidden">then</span>{' '}
                    <strong>{rule.consequent}</strong>
                  </Table.Td>
                  <Table.Td ta="right">{(rule.support * 100).toFixed(1)}%</Table.Td>
                  <Table.Td ta="right">{(rule.confidence * 100).toFixed(1)}%</Table.Td>
                  <Table.Td ta="right">{rule.lift.toFixed(2)}</Table.Td>
                  <Table.Td ta="right">{rule.count.toLocaleString()}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
    </>
  );
}
