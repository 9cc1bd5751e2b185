/**
 * The customer base's health (GET /reports/base, docs/reports.md), in tabs kept in the address
 * (`?tab=`): retention and churn by month; lifecycle stages by month and the flows between them;
 * value (the Pareto curve, tiers, the RFM grid); satisfaction (NPS by month with its interval, the
 * loyalty matrix); channels. Every chart is lazy, labelled, and has its figures in a table.
 */
import { Alert, Anchor, Group, NativeSelect, Progress, SimpleGrid, Stack, Table, Tabs, Text } from '@mantine/core';
import type { BaseHealthMonth, BaseHealthReport, StageCounts } from '@shared/domain/base-health.ts';
import { useQuery } from '@tanstack/react-query';
import { lazy, type ReactNode, Suspense, useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { ApiError, textOf } from '../../api/client.ts';
import { query } from '../../api/query.ts';
import { Facts } from '../../components/facts.tsx';
import { dateTime, money } from '../../components/format.ts';
import { PageHeader } from '../../components/page-header.tsx';
import { Empty, Loading, RequestState } from '../../components/request-state.tsx';
import { CsvDownload } from './csv-download.tsx';
import { count, percentOf, stageLabel } from './format.ts';
import { HeatTable } from './heat-table.tsx';
import { reports } from './reports-api.ts';
import { RunEvaluation } from './run-evaluation.tsx';
import { Section } from './section.tsx';

const RetentionChart = lazy(() => import('../../charts/retention-chart.tsx'));
const LifecycleChart = lazy(() => import('../../charts/lifecycle-chart.tsx'));
const ParetoChart = lazy(() => import('../../charts/pareto-chart.tsx'));
const NpsChart = lazy(() => import('../../charts/nps-chart.tsx'));

type Report = BaseHealthReport & { runId: string; evaluatedAt: string };
const STAGES: (keyof StageCounts)[] = ['prospect', 'new', 'active', 'loyal', 'won_back', 'at_risk', 'lapsed'];
const TABS = [
  ['retention', 'Retention and churn'],
  ['lifecycle', 'Lifecycle'],
  ['value', 'Value'],
  ['satisfaction', 'Satisfaction'],
  ['channels', 'Channels'],
] as const;

const chart = (node: ReactNode) => <Suspense fallback={<Loading label="Loading the chart" rows={4} />}>{node}</Suspense>;
const monthName = (m: BaseHealthMonth) => (m.partial ? `${m.month} (to date)` : m.month);

export default function BaseReportPage() {
  const report = useQuery(query(reports.getBaseReport, {}));
  const notEvaluated = report.error instanceof ApiError && report.error.status === 404;
  return (
    <>
      <Anchor component={Link} to="/reports" size="sm">
        ← All reports
      </Anchor>
      <PageHeader
        title="Customer base health"
        actions={
          <>
            {report.data && (
              <CsvDownload fileName="base-report.csv" fetchCsv={() => textOf(reports.getBaseReport, { query: { format: 'csv' } })} />
            )}
            <RunEvaluation />
          </>
        }
      >
        {report.data && (
          <Text size="sm" c="dimmed" mt={4} maw={720}>
            Evaluated {dateTime(report.data.evaluatedAt)}. Stages with the thresholds in use: at risk after{' '}
            {report.data.lifecycle.atRiskAfterDays} days without an order, lapsed after {report.data.lifecycle.lapsedAfterDays}, loyal with{' '}
            {report.data.lifecycle.loyalMinOrders}+ orders within {report.data.lifecycle.loyalWithinDays} days.{' '}
            <Anchor component={Link} to="/reports/basket-rules" size="sm" underline="always">
              Basket rules
            </Anchor>
          </Text>
        )}
      </PageHeader>
      {notEvaluated ? (
        <Empty
          title="Not evaluated yet"
          description={`The base report is made by the evaluation, every hour or now with the button. (The API said: ${(report.error as ApiError).message}.)`}
          action={<RunEvaluation status={false} />}
        />
      ) : (
        <RequestState query={report} label="the base report">
          {(r) => <BaseReport r={r} />}
        </RequestState>
      )}
    </>
  );
}

function BaseReport({ r }: { r: Report }) {
  const [params, setParams] = useSearchParams();
  const tab = TABS.some(([t]) => t === params.get('tab')) ? (params.get('tab') as string) : 'retention';
  return (
    <Stack gap="lg">
      <Facts
        items={[
          ['Contacts', count(r.totals.contacts)],
          ['Customers (bought at least once)', count(r.totals.customers)],
          ['Prospects', count(r.totals.prospects)],
          ['Orders', count(r.totals.orders)],
          ['Revenue', money(r.totals.revenue)],
          ['Revenue from the top 20% of customers', percentOf(r.pareto.top20Percent)],
        ]}
      />
      <Tabs
        value={tab}
        onChange={(v) => {
          if (v)
            setParams(
              (p) => {
                p.set('tab', v);
                return p;
              },
              { replace: true },
            );
        }}
        keepMounted={false}
      >
        <Tabs.List mb="md">
          {TABS.map(([value, label]) => (
            <Tabs.Tab key={value} value={value}>
              {label}
            </Tabs.Tab>
          ))}
        </Tabs.List>
        <Tabs.Panel value="retention">
          <RetentionTab r={r} />
        </Tabs.Panel>
        <Tabs.Panel value="lifecycle">
          <LifecycleTab r={r} />
        </Tabs.Panel>
        <Tabs.Panel value="value">
          <ValueTab r={r} />
        </Tabs.Panel>
        <Tabs.Panel value="satisfaction">
          <SatisfactionTab r={r} />
        </Tabs.Panel>
        <Tabs.Panel value="channels">
          <ChannelsTab r={r} />
        </Tabs.Panel>
      </Tabs>
    </Stack>
  );
}

const ratio = (part: number, whole: number, p: number | null) => (
  <>
    {percentOf(p)}
    <Text span size="xs" c="dimmed" display="block">
      {part.toLocaleString()} of {whole.toLocaleString()}
    </Text>
  </>
);

function RetentionTab({ r }: { r: Report }) {
  const approximate = r.months.some((m) => m.approximate > 0);
  return (
    <Section
      title="Retention and churn by month"
      description="Retention: customers who bought in the month and the month before, of those who bought the month before. Static churn: customers at the month's start who lapsed during it. Dynamic churn: customers whose renewal fell due in the month and who did not order again in time."
    >
      {chart(<RetentionChart months={r.months} />)}
      <Table.ScrollContainer minWidth={760}>
        <Table aria-label="Retention and churn by month" striped>
          <Table.Thead>
            <Table.Tr>
              <Table.Th scope="col">Month</Table.Th>
              <Table.Th scope="col" ta="right">
                Active customers
              </Table.Th>
              <Table.Th scope="col" ta="right">
                New customers
              </Table.Th>
              <Table.Th scope="col" ta="right">
                Orders
              </Table.Th>
              <Table.Th scope="col" ta="right">
                Retention
              </Table.Th>
              <Table.Th scope="col" ta="right">
                Static churn
              </Table.Th>
              <Table.Th scope="col" ta="right">
                Dynamic churn
              </Table.Th>
              {approximate && (
                <Table.Th scope="col" ta="right">
                  Estimated
                </Table.Th>
              )}
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {r.months.map((m) => (
              <Table.Tr key={m.month}>
                <Table.Th scope="row" fw={500}>
                  {monthName(m)}
                </Table.Th>
                <Table.Td ta="right">{count(m.activeCustomers)}</Table.Td>
                <Table.Td ta="right">{count(m.newCustomers)}</Table.Td>
                <Table.Td ta="right">{count(m.orders)}</Table.Td>
                <Table.Td ta="right">{ratio(m.retention.retained, m.retention.activeLastMonth, m.retention.percent)}</Table.Td>
                <Table.Td ta="right">{ratio(m.staticChurn.lost, m.staticChurn.customersAtStart, m.staticChurn.percent)}</Table.Td>
                <Table.Td ta="right">{ratio(m.dynamicChurn.notRenewed, m.dynamicChurn.renewalsDue, m.dynamicChurn.percent)}</Table.Td>
                {approximate && <Table.Td ta="right">{count(m.approximate)}</Table.Td>}
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      <Text size="sm" c="dimmed">
        A rate with nobody to count (no buyers the month before, no renewal due) shows “—”. The last month is partial: counted up to the
        evaluation.
        {approximate
          ? ' “Estimated”: customers with more orders than the 16 whose times are kept, whose figures that month rest on an estimate.'
          : ''}
      </Text>
    </Section>
  );
}

function LifecycleTab({ r }: { r: Report }) {
  const last = r.months[r.months.length - 1];
  const [month, setMonth] = useState(last?.month ?? '');
  const shown = r.months.find((m) => m.month === month) ?? last;
  const index = shown ? r.months.indexOf(shown) : -1;
  const previous = index > 0 ? r.months[index - 1] : undefined;
  const before = previous ? monthName(previous) : r.opening.end.slice(0, 7);
  return (
    <Stack gap="xl">
      <Section
        title="Lifecycle stages by month"
        description="Contacts in the base at each month end, by the stage they were in at that instant."
      >
        {chart(<LifecycleChart months={r.months} />)}
        <Table.ScrollContainer minWidth={760}>
          <Table aria-label="Lifecycle stages by month" striped>
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">Month end</Table.Th>
                {STAGES.map((s) => (
                  <Table.Th scope="col" ta="right" key={s}>
                    {stageLabel(s)}
                  </Table.Th>
                ))}
                <Table.Th scope="col" ta="right">
                  Contacts
                </Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              <Table.Tr>
                <Table.Th scope="row" fw={500}>
                  Opening ({r.opening.end.slice(0, 7)})
                </Table.Th>
                {STAGES.map((s) => (
                  <Table.Td ta="right" key={s}>
                    {count(r.opening.stages[s])}
                  </Table.Td>
                ))}
                <Table.Td ta="right">{count(r.opening.contacts)}</Table.Td>
              </Table.Tr>
              {r.months.map((m) => (
                <Table.Tr key={m.month}>
                  <Table.Th scope="row" fw={500}>
                    {monthName(m)}
                  </Table.Th>
                  {STAGES.map((s) => (
                    <Table.Td ta="right" key={s}>
                      {count(m.stages[s])}
                    </Table.Td>
                  ))}
                  <Table.Td ta="right">{count(m.contacts)}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      </Section>
      {shown && (
        <Section
          title="Flows between stages"
          description={`Contacts by their stage at the end of ${before} (rows) and at the end of ${monthName(shown)} (columns). “Entered”: not in the base before.`}
        >
          <NativeSelect
            label="Month"
            value={shown.month}
            onChange={(e) => setMonth(e.currentTarget.value)}
            data={r.months.map((m) => ({ value: m.month, label: monthName(m) }))}
            maw={240}
          />
          <HeatTable
            label={`Lifecycle flows into ${monthName(shown)}`}
            corner="From ↓ / to →"
            columns={[...STAGES.map((s) => ({ key: s, label: stageLabel(s) })), { key: 'total', label: 'total' }]}
            rows={(['entered', ...STAGES] as const).map((s) => ({ key: s, label: s === 'entered' ? 'entered' : stageLabel(s) }))}
            value={(from, to) => {
              const row = shown.flows[from as keyof typeof shown.flows];
              if (to === 'total') return 0;
              return row[to as keyof StageCounts];
            }}
            cell={(from, to) => {
              const row = shown.flows[from as keyof typeof shown.flows];
              return to === 'total'
                ? Object.values(row)
                    .reduce((a, b) => a + b, 0)
                    .toLocaleString()
                : row[to as keyof StageCounts].toLocaleString();
            }}
            minWidth={760}
          />
        </Section>
      )}
    </Stack>
  );
}

function ValueTab({ r }: { r: Report }) {
  const p = r.pareto;
  return (
    <Stack gap="xl">
      <Section
        title="Revenue concentration (Pareto)"
        description="Customers ranked by revenue, largest first: the share of all revenue the top x% bring."
      >
        {p.top20Percent === null ? (
          <Empty title="No revenue yet" description="The curve needs at least one customer with revenue." />
        ) : (
          <>
            <Alert
              color="blue"
              variant="light"
              role="note"
              title={`The top 20% of customers bring ${percentOf(p.top20Percent)} of revenue`}
            >
              {count(p.customers)} customers, {money(p.revenue)} in revenue.
            </Alert>
            {chart(<ParetoChart pareto={p} />)}
            <details>
              <summary>The curve's figures</summary>
              <Table aria-label="Pareto curve" striped maw={420}>
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th scope="col">Top customers</Table.Th>
                    <Table.Th scope="col" ta="right">
                      Share of revenue
                    </Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {p.curve.map((c) => (
                    <Table.Tr key={c.customersPercent}>
                      <Table.Th scope="row" fw={400}>
                        {c.customersPercent}%
                      </Table.Th>
                      <Table.Td ta="right">{percentOf(c.revenuePercent)}</Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </details>
          </>
        )}
      </Section>
      <Section title="Tiers" description="A: from the least revenue of the top 20% of customers; B: of the top 50%; C: the rest.">
        {r.tiers ? (
          <ShareTable
            label="Customers per tier"
            head="Tier"
            rows={(['A', 'B', 'C'] as const).map((t) => [t, (r.tiers as NonNullable<Report['tiers']>)[t]])}
          />
        ) : (
          <NoBoundaries />
        )}
      </Section>
      <Section
        title="RFM grid"
        description="Customers by recency score (rows, 5 = bought most recently) and frequency score (columns, 5 = most orders), with their average revenue. Darker: more customers."
      >
        {r.rfm ? <RfmGrid rfm={r.rfm} /> : <NoBoundaries />}
      </Section>
    </Stack>
  );
}

const NoBoundaries = () => (
  <Text size="sm" c="dimmed">
    None yet: the RFM and tier boundaries are computed every hour; this report is made before the first computation.
  </Text>
);

function RfmGrid({ rfm }: { rfm: NonNullable<Report['rfm']> }) {
  const at = (r: string, f: string) => rfm.cells.find((c) => String(c.r) === r && String(c.f) === f);
  const scores = ['1', '2', '3', '4', '5'];
  return (
    <Stack gap="sm">
      <HeatTable
        label="RFM grid: customers and average revenue by recency and frequency score"
        corner="Recency ↓ / frequency →"
        columns={scores.map((f) => ({ key: f, label: `F${f}` }))}
        rows={[...scores].reverse().map((r) => ({ key: r, label: `R${r}` }))}
        value={(r, f) => at(r, f)?.customers ?? 0}
        cell={(r, f) => {
          const c = at(r, f);
          if (!c || c.customers === 0)
            return (
              <Text span size="sm">
                0
              </Text>
            );
          return (
            <>
              <Text span fw={700} size="sm" display="block">
                {c.customers.toLocaleString()}
              </Text>
              <Text span size="xs" display="block">
                avg {money(c.averageRevenue ?? 0)}
              </Text>
            </>
          );
        }}
        minWidth={560}
      />
      <ShareTable label="Customers per monetary score" head="Monetary score" rows={rfm.monetary.map((m) => [`M${m.m}`, m.customers])} />
    </Stack>
  );
}

/** Counts with their share of the total, drawn as bars. */
function ShareTable({ label, head, unit = 'Customers', rows }: { label: string; head: string; unit?: string; rows: [string, number][] }) {
  const total = rows.reduce((a, [, n]) => a + n, 0);
  return (
    <Table aria-label={label} maw={560}>
      <Table.Thead>
        <Table.Tr>
          <Table.Th scope="col">{head}</Table.Th>
          <Table.Th scope="col" ta="right">
            {unit}
          </Table.Th>
          <Table.Th scope="col">Share</Table.Th>
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {rows.map(([name, n]) => {
          const share = total > 0 ? (n / total) * 100 : 0;
          return (
            <Table.Tr key={name}>
              <Table.Th scope="row" fw={500}>
                {name}
              </Table.Th>
              <Table.Td ta="right">{n.toLocaleString()}</Table.Td>
              <Table.Td>
                <Group gap="xs" wrap="nowrap">
                  <Progress value={share} w={120} aria-hidden="true" />
                  <Text span size="sm">
                    {share.toFixed(1)}%
                  </Text>
                </Group>
              </Table.Td>
            </Table.Tr>
          );
        })}
      </Table.Tbody>
    </Table>
  );
}

function SatisfactionTab({ r }: { r: Report }) {
  const o = r.nps.overall;
  const l = r.loyalty;
  const answered = l.loyalists + l.mercenaries + l.hostages + l.defectors;
  return (
    <Stack gap="xl">
      <Section
        title="Net promoter score"
        description="Answers 0-10: 9-10 promoters, 7-8 passives, 0-6 detractors; the score is % promoters − % detractors, with its 95% interval. Each contact's latest answer counts, in the month it was given."
      >
        <Facts
          items={[
            ['NPS (all latest answers)', o.score === null ? '— (no answers)' : `${o.score}`],
            ['95% interval', o.low === null || o.high === null ? '—' : `${o.low} to ${o.high}`],
            ['Answers', count(o.answers)],
            ['Promoters / passives / detractors', `${o.promoters} / ${o.passives} / ${o.detractors}`],
          ]}
        />
        {o.answers > 0 && chart(<NpsChart months={r.months} />)}
        <Table.ScrollContainer minWidth={640}>
          <Table aria-label="NPS by month" striped>
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">Month</Table.Th>
                <Table.Th scope="col" ta="right">
                  Answers
                </Table.Th>
                <Table.Th scope="col" ta="right">
                  Promoters
                </Table.Th>
                <Table.Th scope="col" ta="right">
                  Passives
                </Table.Th>
                <Table.Th scope="col" ta="right">
                  Detractors
                </Table.Th>
                <Table.Th scope="col" ta="right">
                  NPS
                </Table.Th>
                <Table.Th scope="col" ta="right">
                  95% interval
                </Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {r.months.map((m) => (
                <Table.Tr key={m.month}>
                  <Table.Th scope="row" fw={500}>
                    {monthName(m)}
                  </Table.Th>
                  <Table.Td ta="right">{count(m.nps.answers)}</Table.Td>
                  <Table.Td ta="right">{count(m.nps.promoters)}</Table.Td>
                  <Table.Td ta="right">{count(m.nps.passives)}</Table.Td>
                  <Table.Td ta="right">{count(m.nps.detractors)}</Table.Td>
                  <Table.Td ta="right">{m.nps.score ?? '—'}</Table.Td>
                  <Table.Td ta="right">{m.nps.low === null || m.nps.high === null ? '—' : `${m.nps.low} to ${m.nps.high}`}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      </Section>
      <Section
        title="Loyalty matrix"
        description={`Customers who answered, by satisfaction (7-10 satisfied) and repeat buying (2+ orders within ${r.lifecycle.loyalWithinDays} days). ${l.unanswered.toLocaleString()} customers have not answered; ${l.prospectsAnswered.toLocaleString()} contacts answered without ever buying (outside the matrix).`}
      >
        <Table aria-label="Loyalty matrix" withTableBorder withColumnBorders layout="fixed" maw={640}>
          <Table.Thead>
            <Table.Tr>
              <Table.Th scope="col">
                <span className="visually-hidden">Satisfaction</span>
              </Table.Th>
              <Table.Th scope="col" ta="center">
                Repeat buyer
              </Table.Th>
              <Table.Th scope="col" ta="center">
                Not a repeat buyer
              </Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            <Table.Tr>
              <Table.Th scope="row">Satisfied (7-10)</Table.Th>
              <Quadrant name="Loyalists" n={l.loyalists} of={answered} background="#d3f9d8" />
              <Quadrant name="Mercenaries" n={l.mercenaries} of={answered} background="#fff3bf" />
            </Table.Tr>
            <Table.Tr>
              <Table.Th scope="row">Dissatisfied (0-6)</Table.Th>
              <Quadrant name="Hostages" n={l.hostages} of={answered} background="#ffe8cc" />
              <Quadrant name="Defectors" n={l.defectors} of={answered} background="#ffe3e3" />
            </Table.Tr>
          </Table.Tbody>
        </Table>
      </Section>
    </Stack>
  );
}

function Quadrant({ name, n, of, background }: { name: string; n: number; of: number; background: string }) {
  return (
    <Table.Td ta="center" style={{ backgroundColor: background, color: '#000' }}>
      <Text span fw={700} display="block">
        {name}
      </Text>
      <Text span size="xl" fw={700} display="block">
        {n.toLocaleString()}
      </Text>
      <Text span size="sm" display="block">
        {of > 0 ? `${((n / of) * 100).toFixed(1)}% of answers` : 'no answers'}
      </Text>
    </Table.Td>
  );
}

function ChannelsTab({ r }: { r: Report }) {
  const c = r.channels;
  return (
    <SimpleGrid cols={{ base: 1, md: 2 }} spacing="xl">
      <Section title="Preferred channel" description="The channel each contact chose, if any.">
        <ShareTable
          label="Contacts by preferred channel"
          head="Preferred"
          unit="Contacts"
          rows={[
            ['email', c.preferred.email],
            ['SMS', c.preferred.sms],
            ['not set', c.preferred.none],
          ]}
        />
      </Section>
      <Section
        title="Reachable"
        description="Contacts a campaign could message: the address, consent subscribed, not bounced or complained. Topic consent and the suppression list are checked at sending."
      >
        <Table aria-label="Reachable contacts by channel" maw={560}>
          <Table.Thead>
            <Table.Tr>
              <Table.Th scope="col">Channel</Table.Th>
              <Table.Th scope="col" ta="right">
                Contacts
              </Table.Th>
              <Table.Th scope="col">Of all contacts</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {(
              [
                ['email', c.reachable.email],
                ['SMS', c.reachable.sms],
                ['either', c.reachable.any],
                ['neither', c.reachable.none],
              ] as const
            ).map(([name, n]) => {
              const share = r.totals.contacts > 0 ? (n / r.totals.contacts) * 100 : 0;
              return (
                <Table.Tr key={name}>
                  <Table.Th scope="row" fw={500}>
                    {name}
                  </Table.Th>
                  <Table.Td ta="right">{n.toLocaleString()}</Table.Td>
                  <Table.Td>
                    <Group gap="xs" wrap="nowrap">
                      <Progress value={share} w={120} aria-hidden="true" />
                      <Text span size="sm">
                        {share.toFixed(1)}%
                      </Text>
                    </Group>
                  </Table.Td>
                </Table.Tr>
              );
            })}
          </Table.Tbody>
        </Table>
      </Section>
    </SimpleGrid>
  );
}
