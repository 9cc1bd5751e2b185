/**
 * A campaign's report (GET /reports/campaigns/{id}, docs/reports.md): the verdicts in words (the
 * effect over the holdout, the A/B test), the uplift of each variant over the holdout drawn as 95%
 * intervals against the zero line (conversion and revenue per recipient), the table of every
 * comparison with p-values and Holm-adjusted p-values, incremental conversions and revenue, and per
 * group the funnel, conversions with their interval, revenue, AOV and cross-sell uptake. A campaign
 * not evaluated yet (404) gets the run button instead.
 */
import { Alert, Anchor, Badge, Group, List, Paper, SimpleGrid, Stack, Table, Text, Title } from '@mantine/core';
import type { CampaignReport, GroupFigures, Uplift } from '@shared/domain/evaluation.ts';
import { type UseQueryResult, useQuery } from '@tanstack/react-query';
import { lazy, type ReactNode, Suspense } from 'react';
import { Link, useParams } from 'react-router';
import { ApiError, textOf } from '../../api/client.ts';
import { query } from '../../api/query.ts';
import { dateTime } from '../../components/format.ts';
import { PageHeader } from '../../components/page-header.tsx';
import { Empty, Loading, RequestState } from '../../components/request-state.tsx';
import { CsvDownload } from './csv-download.tsx';
import {
  count,
  interval,
  moneyOrDash,
  moneyValue,
  percent,
  points,
  pointsValue,
  pValue,
  short,
  signedCount,
  signedMoney,
} from './format.ts';
import { campaigns, reports } from './reports-api.ts';
import { RunEvaluation } from './run-evaluation.tsx';
import { Section } from './section.tsx';

const IntervalChart = lazy(() => import('../../charts/interval-chart.tsx'));
const FunnelChart = lazy(() => import('../../charts/funnel-chart.tsx'));

export default function CampaignReportPage() {
  const { campaignId = '' } = useParams();
  const report = useQuery(query(reports.getCampaignReport, { path: { campaignId } }));
  const notEvaluated = report.error instanceof ApiError && report.error.status === 404;
  // The campaign itself, for its name and status when there is no report yet.
  const campaign = useQuery({ ...query(campaigns.getCampaign, { path: { campaignId } }), enabled: notEvaluated });
  const title = report.data?.name ?? campaign.data?.name ?? 'Campaign report';

  return (
    <>
      <Anchor component={Link} to="/reports" size="sm">
        ← All reports
      </Anchor>
      <PageHeader
        title={title}
        actions={
          <>
            {report.data && (
              <CsvDownload
                fileName={`campaign-${campaignId}.csv`}
                fetchCsv={() => textOf(reports.getCampaignReport, { path: { campaignId }, query: { format: 'csv' } })}
              />
            )}
            <RunEvaluation />
          </>
        }
      >
        {report.data && <ReportFacts r={report.data} />}
      </PageHeader>
      {notEvaluated ? (
        <NotEvaluated campaign={campaign} message={(report.error as ApiError).message} />
      ) : (
        <RequestState query={report} label="the campaign report">
          {(r) => <ReportBody r={r} />}
        </RequestState>
      )}
    </>
  );
}

function NotEvaluated({
  campaign,
  message,
}: {
  campaign: UseQueryResult<{ name: string; status: string; startedAt?: string | undefined }>;
  message: string;
}) {
  if (campaign.isPending) return <Loading label="Loading the campaign" />;
  if (campaign.error instanceof ApiError && campaign.error.status === 404)
    return <Empty title="No such campaign" description={`There is no campaign with this id. ${campaign.error.message}.`} />;
  const c = campaign.data;
  if (c && !c.startedAt)
    return (
      <Empty
        title="Not started yet"
        description={`“${c.name}” is ${c.status}: it has no report until it starts sending. The next evaluation after that (hourly, or Run evaluation now) makes one.`}
      />
    );
  return (
    <Empty
      title="Not evaluated yet"
      description={
        <>
          This campaign has started but no evaluation has run since: the evaluation runs every hour, or now with the button. (The API said:{' '}
          {message}.)
        </>
      }
      action={<RunEvaluation status={false} />}
    />
  );
}

function ReportFacts({ r }: { r: CampaignReport }) {
  return (
    <Stack gap={4} mt={4}>
      <Group gap="xs">
        <Badge variant="light" tt="none">
          {r.status}
        </Badge>
        <Badge variant="light" color="gray" tt="none">
          {r.triggered ? 'triggered' : 'one-off'}
        </Badge>
      </Group>
      <Text size="sm" c="dimmed">
        Goal: {r.goal} · attribution window {r.attributionDays} days, from {dateTime(r.windowFrom)}{' '}
        {r.windowUntil ? `to ${dateTime(r.windowUntil)}` : '(open while the trigger can fire)'} · evaluated {dateTime(r.evaluatedAt)}
      </Text>
    </Stack>
  );
}

function ReportBody({ r }: { r: CampaignReport }) {
  const holdout = r.groups.find((g) => g.kind === 'holdout');
  return (
    <Stack gap="xl">
      <Verdicts r={r} />
      {r.uplift.length > 0 ? (
        <UpliftSection r={r} />
      ) : (
        <Alert color="gray" title="No uplift to show" role="note">
          {holdout
            ? 'The holdout has no one assigned yet, so no variant can be compared with it.'
            : 'This campaign has no holdout: without a group that was not sent the message, its effect cannot be measured. Give the next one a holdout.'}
        </Alert>
      )}
      <GroupsSection r={r} />
    </Stack>
  );
}

const EFFECT_BADGE: Record<CampaignReport['effect']['kind'], [string, string]> = {
  uplift: ['It worked', 'green'],
  harm: ['It backfired', 'red'],
  no_uplift_yet: ['No significant effect yet', 'yellow'],
  not_applicable: ['Cannot be measured', 'gray'],
  winner: ['Winner', 'green'],
  no_winner_yet: ['No winner yet', 'yellow'],
};

function Verdicts({ r }: { r: CampaignReport }) {
  const ab = r.abTest.kind === 'winner' ? [`Winner: ${r.abTest.winner}`, 'green'] : EFFECT_BADGE[r.abTest.kind];
  const effectBadge = r.effect.text.startsWith('Too early') ? ['Too early to tell', 'gray'] : EFFECT_BADGE[r.effect.kind];
  return (
    <Section title="Verdict">
      <SimpleGrid cols={{ base: 1, md: 2 }}>
        <Verdict heading="Effect over the holdout" badge={effectBadge} text={r.effect.text} required={r.effect.requiredPerGroup} />
        <Verdict
          heading="A/B test"
          badge={r.abTest.kind === 'not_applicable' ? ['No A/B test', 'gray'] : ab}
          text={r.abTest.text}
          required={r.abTest.requiredPerGroup}
        />
      </SimpleGrid>
    </Section>
  );
}

function Verdict({
  heading,
  badge,
  text,
  required,
}: {
  heading: string;
  badge: string[];
  text: string;
  required?: number | null | undefined;
}) {
  return (
    <Paper withBorder p="md" radius="md">
      <Group justify="space-between" mb="xs" wrap="nowrap" align="flex-start">
        <Title order={3} size="h4">
          {heading}
        </Title>
        <Badge color={badge[1]} variant="light" tt="none" style={{ flexShrink: 0 }}>
          {badge[0]}
        </Badge>
      </Group>
      <Text size="lg" fw={500}>
        {text}
      </Text>
      {required !== undefined && required !== null && (
        <Text size="sm" c="dimmed" mt="xs">
          Recipients needed per group for 80% power: {required.toLocaleString()}
        </Text>
      )}
    </Paper>
  );
}

const variantName = (name: string) => `Variant ${name}`;
const groupName = (g: GroupFigures) => (g.kind === 'holdout' ? 'Holdout' : variantName(g.group));

function UpliftSection({ r }: { r: CampaignReport }) {
  const caveats = r.uplift.flatMap((u) =>
    (
      [
        ['conversion', u.conversion],
        ['revenue per recipient', u.revenuePerRecipient],
        ['cross-sell', u.crossSell],
        ...(u.recommended ? ([['recommended categories', u.recommended]] as const) : []),
      ] as const
    ).flatMap(([measure, c]) => (!c.meaningful && c.caveat ? [`${variantName(u.variant)}, ${measure}: ${c.caveat}`] : [])),
  );
  return (
    <Section
      title="Uplift over the holdout"
      description="Each variant against the holdout, everyone assigned counted (intention to treat). A dot is the observed difference, the line its 95% confidence interval; an interval that crosses the dashed zero line cannot be told apart from no effect."
    >
      <Stack gap="lg">
        <div>
          <Title order={3} size="h4" mb="xs">
            Conversion rate, difference in points
          </Title>
          <Suspense fallback={<Loading label="Loading the chart" rows={2} />}>
            <IntervalChart
              title="Conversion uplift over the holdout in percentage points, per variant"
              rows={r.uplift.map((u) => ({
                label: u.variant,
                estimate: u.conversion.difference,
                low: u.conversion.ci?.low ?? null,
                high: u.conversion.ci?.high ?? null,
                strong: u.conversion.significant,
              }))}
              tick={(n) => short(n * 100)}
              value={(n) => `${pointsValue(n)} pts`}
              bound={pointsValue}
            />
          </Suspense>
        </div>
        <div>
          <Title order={3} size="h4" mb="xs">
            Revenue per recipient, difference
          </Title>
          <Suspense fallback={<Loading label="Loading the chart" rows={2} />}>
            <IntervalChart
              title="Revenue per recipient over the holdout, difference per variant"
              rows={r.uplift.map((u) => ({
                label: u.variant,
                estimate: u.revenuePerRecipient.difference,
                low: u.revenuePerRecipient.ci?.low ?? null,
                high: u.revenuePerRecipient.ci?.high ?? null,
                strong: u.revenuePerRecipient.meaningful && u.revenuePerRecipient.pValue !== null && u.revenuePerRecipient.pValue < 0.05,
              }))}
              tick={short}
              value={moneyValue}
            />
          </Suspense>
        </div>
      </Stack>
      <Text size="sm" c="dimmed">
        Blue: significant at 5% (conversion: after Holm's correction across the variants); grey: not significant.
      </Text>
      <UpliftTable uplift={r.uplift} />
      {caveats.length > 0 && (
        <Alert color="yellow" title="Not meaningful yet" role="note">
          <Text size="sm" mb="xs">
            These comparisons rest on too little data for their interval or p-value to mean much:
          </Text>
          <List size="sm">
            {caveats.map((c) => (
              <List.Item key={c}>{c}</List.Item>
            ))}
          </List>
        </Alert>
      )}
    </Section>
  );
}

type Comparison = Uplift['revenuePerRecipient'];

function UpliftTable({ uplift }: { uplift: Uplift[] }) {
  const rows: {
    variant: string;
    measure: string;
    c?: Comparison;
    diff: string;
    ci: string;
    relative?: string;
    p?: string;
    adjusted?: string;
    verdict: ReactNode;
  }[] = uplift.flatMap((u) => {
    const verdictOf = (c: Comparison, significant?: boolean) =>
      !c.meaningful ? (
        <Text span size="sm" c="dimmed">
          not meaningful
        </Text>
      ) : significant === undefined ? (
        c.pValue !== null && c.pValue < 0.05 ? (
          'yes'
        ) : (
          'no'
        )
      ) : significant ? (
        <Text span fw={700} size="sm">
          yes
        </Text>
      ) : (
        'no'
      );
    const rel = (c: Comparison) =>
      c.relative === null ? undefined : `${c.relative >= 0 ? '+' : '−'}${Math.abs(c.relative * 100).toFixed(1)}%`;
    const rate = (measure: string, c: Comparison, significant?: boolean, adjusted?: number | null) => ({
      variant: u.variant,
      measure,
      c,
      diff: points(c.difference),
      ci: interval(c.ci, pointsValue) + (c.ci ? ' pts' : ''),
      relative: rel(c),
      p: pValue(c.pValue),
      adjusted: adjusted === undefined ? '—' : pValue(adjusted),
      verdict: verdictOf(c, significant),
    });
    return [
      rate('Conversion rate', u.conversion, u.conversion.significant, u.conversion.adjustedPValue),
      {
        variant: u.variant,
        measure: 'Revenue per recipient',
        c: u.revenuePerRecipient,
        diff: signedMoney(u.revenuePerRecipient.difference),
        ci: interval(u.revenuePerRecipient.ci, moneyValue),
        relative: rel(u.revenuePerRecipient),
        p: pValue(u.revenuePerRecipient.pValue),
        adjusted: '—',
        verdict: verdictOf(u.revenuePerRecipient),
      },
      rate('Cross-sell rate', u.crossSell),
      ...(u.recommended ? [rate('Bought a recommended category', u.recommended)] : []),
      {
        variant: u.variant,
        measure: 'Incremental conversions',
        diff: signedCount(u.incrementalConversions),
        ci: interval(u.incrementalConversionsCi, (n) => signedCount(n)),
        verdict: '',
      },
      {
        variant: u.variant,
        measure: 'Incremental revenue',
        diff: signedMoney(u.incrementalRevenue),
        ci: interval(u.incrementalRevenueCi, moneyValue),
        verdict: '',
      },
    ];
  });
  return (
    <Table.ScrollContainer minWidth={680}>
      <Table aria-label="Uplift over the holdout" striped>
        <Table.Thead>
          <Table.Tr>
            <Table.Th scope="col">Variant</Table.Th>
            <Table.Th scope="col">Measure</Table.Th>
            <Table.Th scope="col" ta="right">
              Difference
            </Table.Th>
            <Table.Th scope="col" ta="right">
              95% interval
            </Table.Th>
            <Table.Th scope="col" ta="right">
              p-value
            </Table.Th>
            <Table.Th scope="col" ta="right">
              Holm-adjusted p
            </Table.Th>
            <Table.Th scope="col">Significant</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {rows.map((row) => (
            <Table.Tr key={`${row.variant}:${row.measure}`}>
              <Table.Td>{row.variant}</Table.Td>
              <Table.Th scope="row" fw={500}>
                {row.measure}
              </Table.Th>
              <Table.Td ta="right" style={{ whiteSpace: 'nowrap' }}>
                {row.diff}
                {row.relative && (
                  <Text span size="xs" c="dimmed" display="block">
                    {row.relative} relative
                  </Text>
                )}
              </Table.Td>
              <Table.Td ta="right">{row.ci}</Table.Td>
              <Table.Td ta="right" style={{ whiteSpace: 'nowrap' }}>
                {row.p ?? '—'}
              </Table.Td>
              <Table.Td ta="right" style={{ whiteSpace: 'nowrap' }}>
                {row.adjusted ?? '—'}
              </Table.Td>
              <Table.Td>{row.verdict}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}

function GroupsSection({ r }: { r: CampaignReport }) {
  const g = r.groups;
  const withRecommended = r.uplift.some((u) => u.recommended) || g.some((x) => x.recommendedConverters > 0);
  const share = (n: number, of: number) => (of > 0 ? ` (${((n / of) * 100).toFixed(1)}%)` : '');
  const sentOnly = (x: GroupFigures, n: number) => (x.kind === 'holdout' ? '— (not sent)' : `${count(n)}${share(n, x.assigned)}`);
  const measures: [string, (x: GroupFigures) => ReactNode][] = [
    ['Assigned', (x) => count(x.assigned)],
    ['Sent', (x) => sentOnly(x, x.sent)],
    ['Delivered', (x) => sentOnly(x, x.delivered)],
    ['Opened', (x) => sentOnly(x, x.opened)],
    ['Clicked', (x) => sentOnly(x, x.clicked)],
    ['Unsubscribed', (x) => sentOnly(x, x.unsubscribed)],
    ['Converters', (x) => count(x.converters)],
    [
      'Conversion rate (95% interval)',
      (x) => (
        <>
          {percent(x.conversionRate)}
          <Text span size="xs" c="dimmed" display="block">
            {interval(x.conversionCi, percent)}
          </Text>
        </>
      ),
    ],
    ['Orders', (x) => count(x.orders)],
    ['Revenue', (x) => moneyOrDash(x.revenue)],
    ['Revenue per recipient', (x) => moneyOrDash(x.revenuePerRecipient)],
    ['Average order value', (x) => moneyOrDash(x.averageOrderValue)],
    ['Cross-sell converters (rate)', (x) => `${count(x.crossSellConverters)} (${percent(x.crossSellRate)})`],
    ...(withRecommended
      ? ([['Bought a recommended category (rate)', (x) => `${count(x.recommendedConverters)} (${percent(x.recommendedRate)})`]] as [
          string,
          (x: GroupFigures) => ReactNode,
        ][])
      : []),
  ];
  return (
    <Section
      title="Groups"
      description="Each group as assigned (the holdout is drawn at random among the reachable recipients and sent nothing). Conversions and revenue count the goal events inside the attribution window."
    >
      <SimpleGrid cols={{ base: 1, lg: 2 }} spacing="lg">
        <div>
          <Title order={3} size="h4" mb="xs">
            Conversion rate by group
          </Title>
          <Suspense fallback={<Loading label="Loading the chart" rows={2} />}>
            <IntervalChart
              title="Conversion rate per group"
              zero={false}
              rows={g.map((x) => ({
                label: x.kind === 'holdout' ? 'Holdout' : x.group,
                estimate: x.conversionRate,
                low: x.conversionCi?.low ?? null,
                high: x.conversionCi?.high ?? null,
                strong: x.kind === 'variant',
              }))}
              tick={(n) => `${Number((n * 100).toFixed(2))}%`}
              value={percent}
            />
          </Suspense>
        </div>
        <div>
          <Title order={3} size="h4" mb="xs">
            Funnel
          </Title>
          <Suspense fallback={<Loading label="Loading the chart" rows={2} />}>
            <FunnelChart groups={g} />
          </Suspense>
        </div>
      </SimpleGrid>
      <Table.ScrollContainer minWidth={Math.min(720, 220 + g.length * 130)}>
        <Table aria-label="Groups" striped>
          <Table.Thead>
            <Table.Tr>
              <Table.Th scope="col">Measure</Table.Th>
              {g.map((x) => (
                <Table.Th scope="col" ta="right" key={`${x.kind}:${x.group}`}>
                  {groupName(x)}
                </Table.Th>
              ))}
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {measures.map(([name, cell]) => (
              <Table.Tr key={name}>
                <Table.Th scope="row" fw={500}>
                  {name}
                </Table.Th>
                {g.map((x) => (
                  <Table.Td ta="right" key={`${x.kind}:${x.group}`}>
                    {cell(x)}
                  </Table.Td>
                ))}
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
    </Section>
  );
}
