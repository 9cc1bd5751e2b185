/**
 * The value model: the lifecycle thresholds (editable; GET/PUT /settings/value-model) and, read
 * only, the RFM quintile and Pareto tier boundaries the hourly schedule computes from the base.
 * "Recompute now" queues that computation (202) and watches for the new boundaries.
 */
import { Button, Card, Group, NumberInput, SimpleGrid, Stack, Table, Text, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import type { ValueModel as ValueModelSchema } from '@shared/api/contract/settings.ts';
import { AGGREGATE_BOUNDS, type Boundaries, type LifecycleSettings, ValueSettings } from '@shared/domain/value.ts';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useEffect, useId, useState } from 'react';
import type * as z from 'zod';
import { query } from '../../api/query.ts';
import { dateTime, money } from '../../components/format.ts';
import { PageHeader } from '../../components/page-header.tsx';
import { Empty, ErrorAlert, RequestState } from '../../components/request-state.tsx';
import { errorsUnder, issuesByPath, onAField } from './form-errors.ts';
import { SettingsNav } from './settings-nav.tsx';
import { settings } from './settings-api.ts';

type ValueModel = z.output<typeof ValueModelSchema>;

/** How long the page watches for the boundaries a recompute writes. */
const WATCH_MS = 120_000;

export default function LifecyclePage() {
  // While a recompute is queued: when it was asked for, and the boundaries' time before it.
  const [watching, setWatching] = useState<{ before?: string; timedOut: boolean }>();
  const model = useQuery({
    ...query(settings.getValueModel, {}),
    refetchInterval: (q) => (watching && !watching.timedOut && q.state.data?.boundaries?.computedAt === watching.before ? 2000 : false),
  });
  const computedAt = model.data?.boundaries?.computedAt;
  const fresh = watching !== undefined && computedAt !== watching.before;
  const waiting = watching !== undefined && !fresh && !watching.timedOut;
  const recompute = useMutation({
    mutationFn: () => settings.recomputeValueModel({}),
    onSuccess: () => setWatching({ before: computedAt, timedOut: false }),
  });
  useEffect(() => {
    if (!waiting) return;
    const timer = setTimeout(() => setWatching((w) => w && { ...w, timedOut: true }), WATCH_MS);
    return () => clearTimeout(timer);
  }, [waiting]);

  return (
    <>
      <SettingsNav />
      <PageHeader title="Lifecycle">
        <Text c="dimmed" size="sm">
          When a customer counts as loyal, at risk or lapsed, and where the RFM scores and Pareto tiers are cut.
        </Text>
      </PageHeader>
      <RequestState query={model} label="the value model">
        {(m) => (
          <Stack gap="lg">
            <ThresholdsCard model={m} />
            <Card withBorder padding="lg" component="section" aria-labelledby="boundaries-heading">
              <Stack gap="sm">
                <Group justify="space-between" align="flex-start" wrap="wrap">
                  <div>
                    <Title order={2} size="h4" id="boundaries-heading">
                      RFM and tier boundaries
                    </Title>
                    <Text size="sm" c="dimmed">
                      Computed from every customer's last purchase, orders and revenue, hourly. Read only.
                    </Text>
                  </div>
                  <Button variant="default" onClick={() => recompute.mutate()} loading={recompute.isPending || waiting}>
                    Recompute now
                  </Button>
                </Group>
                <div role="status">
                  {waiting ? (
                    <Text size="sm">Recompute queued; the new boundaries show here when they are ready.</Text>
                  ) : fresh ? (
                    <Text size="sm">Recomputed at {dateTime(computedAt)}.</Text>
                  ) : watching ? (
                    <Text size="sm">The recompute has not finished yet; reload the page later.</Text>
                  ) : null}
                </div>
                {recompute.isError && <ErrorAlert error={recompute.error} title="Could not queue the recompute" />}
                {m.boundaries ? (
                  <BoundariesView boundaries={m.boundaries} />
                ) : (
                  <Empty
                    title="Not computed yet"
                    description="The hourly schedule computes them once there are purchases; Recompute now does it at once."
                  />
                )}
              </Stack>
            </Card>
          </Stack>
        )}
      </RequestState>
    </>
  );
}

const FIELDS: { name: keyof LifecycleSettings; label: string; description: string; min: number; max: number }[] = [
  {
    name: 'atRiskAfterDays',
    label: 'At risk after (days)',
    description: 'No purchase for this long: at risk.',
    min: 1,
    max: 3650,
  },
  {
    name: 'lapsedAfterDays',
    label: 'Lapsed after (days)',
    description: 'No purchase for this long: lapsed (churned). A purchase after such a gap is won back.',
    min: 1,
    max: 3650,
  },
  {
    name: 'loyalMinOrders',
    label: 'Loyal from (orders)',
    description: 'At least this many orders within the window below: loyal.',
    min: 2,
    max: AGGREGATE_BOUNDS.orderTimes,
  },
  {
    name: 'loyalWithinDays',
    label: 'Loyalty window (days)',
    description: 'The window the loyal orders count in.',
    min: 1,
    max: 3650,
  },
];

function ThresholdsCard({ model }: { model: ValueModel }) {
  const queryClient = useQueryClient();
  const headingId = useId();
  const [form, setForm] = useState<Record<keyof LifecycleSettings, string | number>>({ ...model.settings.lifecycle });
  const [local, setLocal] = useState<Record<string, string>>({});
  const save = useMutation({
    mutationFn: (body: ValueSettings) => settings.updateValueModel({ body }),
    onSuccess: (saved) => {
      queryClient.setQueryData(query(settings.getValueModel, {}).queryKey, saved);
      notifications.show({ color: 'green', message: 'Lifecycle thresholds saved. Stages follow them at once.' });
    },
  });
  const errors = { ...errorsUnder(save.error, 'lifecycle.'), ...local };

  function submit(event: FormEvent) {
    event.preventDefault();
    const lifecycle = Object.fromEntries(FIELDS.map((f) => [f.name, typeof form[f.name] === 'number' ? form[f.name] : undefined]));
    const missing = Object.fromEntries(
      Object.entries(lifecycle).flatMap(([k, v]) => (v === undefined ? [[k, 'enter a number of at least 1']] : [])),
    );
    const checked = ValueSettings.safeParse({ lifecycle });
    const problems = { ...(checked.success ? {} : prefixless(issuesByPath(checked.error))), ...missing };
    setLocal(problems);
    if (Object.keys(problems).length === 0 && checked.success) save.mutate(checked.data);
  }

  return (
    <Card withBorder padding="lg" component="section" aria-labelledby={headingId}>
      <form onSubmit={submit} noValidate>
        <Stack gap="sm">
          <div>
            <Title order={2} size="h4" id={headingId}>
              Lifecycle thresholds
            </Title>
            <Text size="sm" c="dimmed">
              A contact with no order is a prospect; one order makes it new, two or more active. These decide the rest.
            </Text>
          </div>
          <SimpleGrid cols={{ base: 1, sm: 2 }}>
            {FIELDS.map((f) => (
              <NumberInput
                key={f.name}
                label={f.label}
                description={f.description}
                value={form[f.name]}
                onChange={(v) => setForm((s) => ({ ...s, [f.name]: v }))}
                min={f.min}
                max={f.max}
                allowDecimal={false}
                error={errors[f.name]}
              />
            ))}
          </SimpleGrid>
          {save.isError && !onAField(save.error, 'lifecycle.') && <ErrorAlert error={save.error} title="Could not save the thresholds" />}
          <Group justify="flex-end">
            <Button type="submit" loading={save.isPending}>
              Save thresholds
            </Button>
          </Group>
        </Stack>
      </form>
    </Card>
  );
}

/** `lifecycle.atRiskAfterDays` → `atRiskAfterDays`. */
const prefixless = (errors: Record<string, string>) =>
  Object.fromEntries(Object.entries(errors).map(([k, v]) => [k.replace(/^lifecycle\./, ''), v]));

/** Score k covers values above cut k-1 up to cut k (score 1: up to the first cut; 5: above the fourth). */
function ranges(cuts: number[], show: (n: number) => string): string[] {
  if (cuts.length !== 4) return ['—', '—', '—', '—', '—'];
  return [1, 2, 3, 4, 5].map((score) => {
    if (score === 1) return `≤ ${show(cuts[0] as number)}`;
    if (score === 5) return `> ${show(cuts[3] as number)}`;
    const low = cuts[score - 2] as number;
    const high = cuts[score - 1] as number;
    return low === high ? '— (no customer)' : `> ${show(low)} and ≤ ${show(high)}`;
  });
}

const dateOf = (seconds: number) => new Date(seconds * 1000).toLocaleDateString();
const count = (n: number) => n.toLocaleString();

function BoundariesView({ boundaries: b }: { boundaries: Boundaries }) {
  const rows: [string, string, string[]][] = [
    ['Recency', 'last purchase', ranges(b.recency, dateOf)],
    ['Frequency', 'orders', ranges(b.frequency, count)],
    ['Monetary', 'revenue', ranges(b.monetary, money)],
  ];
  return (
    <Stack gap="sm">
      <Text size="sm">
        Computed {dateTime(b.computedAt)} from {b.customers.toLocaleString()} customers.
      </Text>
      <Table.ScrollContainer minWidth={720}>
        <Table aria-label="RFM score boundaries" withTableBorder>
          <Table.Thead>
            <Table.Tr>
              <Table.Th scope="col">Score</Table.Th>
              {[1, 2, 3, 4, 5].map((s) => (
                <Table.Th key={s} scope="col">
                  {s}
                </Table.Th>
              ))}
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {rows.map(([name, what, cells]) => (
              <Table.Tr key={name}>
                <Table.Th scope="row">
                  {name}{' '}
                  <Text span size="xs" c="dimmed">
                    ({what})
                  </Text>
                </Table.Th>
                {cells.map((c, i) => (
                  // biome-ignore lint/suspicious/noArrayIndexKey: the five scores are fixed columns
                  <Table.Td key={i}>{c}</Table.Td>
                ))}
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      <Table aria-label="Pareto tiers" withTableBorder>
        <Table.Thead>
          <Table.Tr>
            <Table.Th scope="col">Tier</Table.Th>
            <Table.Th scope="col">Revenue</Table.Th>
            <Table.Th scope="col">Who</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          <Table.Tr>
            <Table.Th scope="row">A</Table.Th>
            <Table.Td>≥ {money(b.tierA)}</Table.Td>
            <Table.Td>The top 20% of customers, {Math.round(b.tierARevenueShare * 1000) / 10}% of all revenue</Table.Td>
          </Table.Tr>
          <Table.Tr>
            <Table.Th scope="row">B</Table.Th>
            <Table.Td>≥ {money(b.tierB)}</Table.Td>
            <Table.Td>The next 30%</Table.Td>
          </Table.Tr>
          <Table.Tr>
            <Table.Th scope="row">C</Table.Th>
            <Table.Td>&lt; {money(b.tierB)}</Table.Td>
            <Table.Td>The rest</Table.Td>
          </Table.Tr>
        </Table.Tbody>
      </Table>
    </Stack>
  );
}
