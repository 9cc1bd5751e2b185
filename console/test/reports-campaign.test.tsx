/** A campaign's report: verdicts, the uplift drawn as intervals with their bounds, the tables, the 404 state, the run button, the CSV. */
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { renderConsole } from './render.tsx';
import { campaignReportFixture, campaignView, totals } from './reports-fixtures.ts';

/** Percentage points as the page writes them: 0.16324 → "+16.32", −0.0216 → "−2.17". */
const pts = (d: number) => `${d < 0 ? '−' : '+'}${Math.abs(d * 100).toFixed(2)}`;

afterEach(() => vi.restoreAllMocks());

describe('campaign report page', () => {
  it('says the verdicts in words and draws each variant’s uplift as an interval with its bounds', async () => {
    const report = campaignReportFixture();
    renderConsole('/reports/campaigns/cp_1', { 'GET /reports/campaigns/cp_1': { body: report } });

    expect(await screen.findByRole('heading', { level: 1, name: 'Autumn sale' })).toBeInTheDocument();
    expect(screen.getByText(report.effect.text)).toBeInTheDocument();
    expect(screen.getByText(report.abTest.text)).toBeInTheDocument();
    expect(screen.getByText('It worked')).toBeInTheDocument();
    expect(screen.getByText('Winner: B')).toBeInTheDocument();

    // The forest plot: an image whose label gives each variant's estimate and 95% bounds.
    const [a, b] = report.uplift;
    const plot = await screen.findByRole('img', { name: /^Conversion uplift over the holdout/ });
    const label = plot.getAttribute('aria-label') ?? '';
    expect(label).toContain(
      `B: ${pts(b!.conversion.difference!)} pts (95% interval ${pts(b!.conversion.ci!.low)} pts to ${pts(b!.conversion.ci!.high)} pts)`,
    );
    expect(label).toContain(`A: ${pts(a!.conversion.difference!)} pts`);
    expect(label).toContain('zero line');
    // Drawn: one interval line and one dot per variant, the bounds written beside them.
    expect(plot.querySelectorAll('circle')).toHaveLength(2);
    expect(within(plot as unknown as HTMLElement).getByText(`+27.17 pts (+16.32 to +38.01)`)).toBeInTheDocument();
    expect(await screen.findByRole('img', { name: /^Revenue per recipient over the holdout/ })).toBeInTheDocument();

    // The uplift table: differences, intervals, p-values and Holm's.
    const uplift = screen.getByRole('table', { name: 'Uplift over the holdout' });
    const bConversion = within(uplift)
      .getAllByRole('row')
      .find((r) => r.textContent?.startsWith('BConversion rate')) as HTMLElement;
    expect(bConversion).toHaveTextContent('+27.17 pts');
    expect(bConversion).toHaveTextContent('+16.32 to +38.01 pts');
    expect(bConversion).toHaveTextContent('< 0.0001');
    expect(bConversion).toHaveTextContent('yes');
    const aConversion = within(uplift)
      .getAllByRole('row')
      .find((r) => r.textContent?.startsWith('AConversion rate')) as HTMLElement;
    expect(aConversion).toHaveTextContent(a!.conversion.adjustedPValue!.toFixed(4));
    expect(aConversion).toHaveTextContent('no');
    expect(
      within(uplift)
        .getAllByRole('row')
        .find((r) => r.textContent?.startsWith('BIncremental revenue')),
    ).toHaveTextContent('+1,568.60');

    // Cross-sell with too few conversions: the caveat in words.
    expect(screen.getByText('Not meaningful yet')).toBeInTheDocument();
    expect(screen.getByText(/Variant A, cross-sell: too few conversions/)).toBeInTheDocument();

    // Per group: the funnel and conversions with their interval.
    const groups = screen.getByRole('table', { name: 'Groups' });
    const head = within(groups)
      .getAllByRole('columnheader')
      .map((h) => h.textContent);
    expect(head).toEqual(['Measure', 'Holdout', 'Variant A', 'Variant B']);
    const rowOf = (name: string) => within(groups).getByRole('rowheader', { name }).closest('tr') as HTMLElement;
    expect(rowOf('Assigned')).toHaveTextContent('93109');
    expect(rowOf('Sent')).toHaveTextContent('— (not sent)');
    expect(rowOf('Opened')).toHaveTextContent('60 (55.0%)');
    expect(rowOf('Conversion rate (95% interval)')).toHaveTextContent('34.69%');
    expect(rowOf('Revenue per recipient')).toHaveTextContent('19.29');
    expect(rowOf('Average order value')).toHaveTextContent('55.59');
    expect(rowOf('Cross-sell converters (rate)')).toHaveTextContent('6 (6.12%)');
    expect(await screen.findByRole('img', { name: /^Funnel per group/ })).toBeInTheDocument();
  });

  it('says when the message backfired', async () => {
    const report = campaignReportFixture({
      conversions: { holdout: totals(35, 1500, 70_000), 'v#A': totals(8, 400, 20_000), 'v#B': totals(9, 450, 23_000) },
    });
    expect(report.effect.kind).toBe('harm');
    renderConsole('/reports/campaigns/cp_1', { 'GET /reports/campaigns/cp_1': { body: report } });
    expect(await screen.findByText(report.effect.text)).toBeInTheDocument();
    expect(screen.getByText('It backfired')).toBeInTheDocument();
    const plot = await screen.findByRole('img', { name: /^Conversion uplift over the holdout/ });
    expect(plot.getAttribute('aria-label')).toMatch(/A: −\d+\.\d\d pts/);
  });

  it('says a campaign without a holdout cannot be measured', async () => {
    const report = campaignReportFixture({ campaign: { holdout: undefined }, holdout: 0 });
    renderConsole('/reports/campaigns/cp_1', { 'GET /reports/campaigns/cp_1': { body: report } });
    expect(await screen.findByText(/This campaign has no holdout/)).toBeInTheDocument();
    expect(screen.getByText('Cannot be measured')).toBeInTheDocument();
    expect(screen.queryByRole('table', { name: 'Uplift over the holdout' })).not.toBeInTheDocument();
  });

  it('offers the run button when not evaluated yet, follows the run, then shows the report', async () => {
    const user = userEvent.setup();
    let evaluated = false;
    let polls = 0;
    const { calls } = renderConsole('/reports/campaigns/cp_1', {
      'GET /reports/campaigns/cp_1': () =>
        evaluated
          ? { body: campaignReportFixture() }
          : {
              status: 404,
              body: {
                error: { message: 'report of campaign cp_1: not evaluated yet (POST /reports/run, or wait for the hourly run) not found' },
              },
            },
      'GET /campaigns/cp_1': { body: campaignView() },
      'POST /reports/run': { status: 202, body: { runId: 'run_9', status: 'queued', requestedAt: '2026-11-20T10:00:00.000Z' } },
      'GET /reports/runs/run_9': () => {
        polls++;
        if (polls < 2) return { body: { runId: 'run_9', status: 'running', requestedAt: '2026-11-20T10:00:00.000Z' } };
        evaluated = true;
        return {
          body: {
            runId: 'run_9',
            status: 'completed',
            requestedAt: '2026-11-20T10:00:00.000Z',
            campaigns: 2,
            contacts: 348,
            durationMs: 197,
            campaignErrors: [{ campaignId: 'cp_7', error: 'its template was deleted' }],
          },
        };
      },
    });
    expect(await screen.findByText('Not evaluated yet')).toBeInTheDocument();
    expect(screen.getByText(/not evaluated yet \(POST \/reports\/run/)).toBeInTheDocument();
    const buttons = screen.getAllByRole('button', { name: 'Run evaluation now' });
    await user.click(buttons[buttons.length - 1]!);
    expect(await screen.findByText(/Evaluation done in 0.2 s: 2 campaigns, 348 contacts/, {}, { timeout: 8000 })).toBeInTheDocument();
    expect(screen.getByRole('alert')).toHaveTextContent('Some campaigns could not be evaluatedcp_7: its template was deleted');
    expect(await screen.findByRole('heading', { level: 1, name: 'Autumn sale' })).toBeInTheDocument();
    expect(await screen.findByText(/^It worked: variant B/)).toBeInTheDocument();
    expect(calls.filter((c) => c.method === 'POST' && c.url.pathname === '/reports/run')).toHaveLength(1);
    expect(polls).toBeGreaterThanOrEqual(2);
  });

  it('shows the API message when the run fails', async () => {
    const user = userEvent.setup();
    renderConsole('/reports/campaigns/cp_1', {
      'GET /reports/campaigns/cp_1': { body: campaignReportFixture() },
      'POST /reports/run': { status: 202, body: { runId: 'run_9', status: 'queued', requestedAt: '2026-11-20T10:00:00.000Z' } },
      'GET /reports/runs/run_9': {
        body: { runId: 'run_9', status: 'failed', requestedAt: '2026-11-20T10:00:00.000Z', error: 'the table is not reachable' },
      },
    });
    await user.click(await screen.findByRole('button', { name: 'Run evaluation now' }));
    expect(await screen.findByText('the table is not reachable')).toBeInTheDocument();
    expect(screen.getByRole('alert')).toHaveTextContent('The evaluation failed');
    expect(screen.getByRole('button', { name: 'Run evaluation now' })).toBeEnabled();
  });

  it('says a draft has not started instead of offering a run', async () => {
    renderConsole('/reports/campaigns/cp_1', {
      'GET /reports/campaigns/cp_1': {
        status: 404,
        body: { error: { message: 'report of campaign cp_1: the campaign has not started not found' } },
      },
      'GET /campaigns/cp_1': {
        body: campaignView({ status: 'draft', startedAt: undefined, launchedAt: undefined, finishedAt: undefined }),
      },
    });
    expect(await screen.findByText('Not started yet')).toBeInTheDocument();
    expect(screen.getByText(/“Autumn sale” is draft/)).toBeInTheDocument();
    expect(screen.getByRole('heading', { level: 1, name: 'Autumn sale' })).toBeInTheDocument();
  });

  it('downloads the CSV with the bearer token', async () => {
    const user = userEvent.setup();
    const created: Blob[] = [];
    URL.createObjectURL = vi.fn((b: Blob) => {
      created.push(b);
      return 'blob:report';
    });
    URL.revokeObjectURL = vi.fn();
    const click = vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(() => undefined);
    const { calls } = renderConsole('/reports/campaigns/cp_1', {
      'GET /reports/campaigns/cp_1?format=csv': { body: 'group,kind\r\nholdout,holdout' },
      'GET /reports/campaigns/cp_1': { body: campaignReportFixture() },
    });
    await user.click(await screen.findByRole('button', { name: 'Download CSV' }));
    await waitFor(() => expect(click).toHaveBeenCalled());
    const csvCall = calls.find((c) => c.url.search === '?format=csv');
    expect(csvCall?.headers.authorization).toBe('Bearer test-token');
    expect(await created[0]!.text()).toContain('group,kind');
    expect(created[0]!.type).toBe('text/csv');
  });
});
