/** The base report: figures by month, the tabs (kept in the address), flows by month, Pareto, RFM, NPS and loyalty, channels; the 404 state. */
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { renderConsole } from './render.tsx';
import { baseReportFixture } from './reports-fixtures.ts';

const rowOf = (table: HTMLElement, name: string | RegExp) => within(table).getByRole('rowheader', { name }).closest('tr') as HTMLElement;

describe('base report page', () => {
  it('shows retention and churn by month, with the partial month marked, in a chart and a table', async () => {
    const report = baseReportFixture();
    renderConsole('/reports/base', { 'GET /reports/base': { body: report } });
    expect(await screen.findByText('4,321.50')).toBeInTheDocument();
    expect(screen.getByText('61.25%')).toBeInTheDocument();

    const table = screen.getByRole('table', { name: 'Retention and churn by month' });
    expect(rowOf(table, '2026-10')).toHaveTextContent('75.00%9 of 12');
    expect(rowOf(table, '2026-10')).toHaveTextContent('8.33%2 of 24');
    expect(rowOf(table, '2026-10')).toHaveTextContent('33.33%3 of 9');
    // No renewal due: no rate, not 0%.
    expect(rowOf(table, '2026-11 (to date)')).toHaveTextContent('—0 of 0');
    // Some figures of the last month rest on an estimate: the column appears.
    expect(within(table).getByRole('columnheader', { name: 'Estimated' })).toBeInTheDocument();

    const chart = await screen.findByRole('img', { name: /^Retention, static churn and dynamic churn per month/ });
    expect(chart.getAttribute('aria-label')).toContain('2026-11 is partial');
    expect(chart.getAttribute('aria-label')).toContain('2026-10: retention 75%, static churn 8.33%, dynamic churn 33.33%');
  });

  it('switches tabs through the address and shows the flows of the chosen month', async () => {
    const user = userEvent.setup();
    const { router } = renderConsole('/reports/base', { 'GET /reports/base': { body: baseReportFixture() } });
    await user.click(await screen.findByRole('tab', { name: 'Lifecycle' }));
    await waitFor(() => expect(router.state.location.search).toBe('?tab=lifecycle'));

    const stages = screen.getByRole('table', { name: 'Lifecycle stages by month' });
    expect(rowOf(stages, 'Opening (2026-08)')).toHaveTextContent('40');
    // prospect, new, active, loyal, won back, at risk, lapsed, contacts
    expect(
      within(rowOf(stages, '2026-09'))
        .getAllByRole('cell')
        .map((c) => c.textContent),
    ).toEqual(['21', '8', '9', '2', '0', '4', '1', '45']);
    expect(await screen.findByRole('img', { name: /^Contacts by lifecycle stage at each month end/ })).toBeInTheDocument();

    // The latest month's flows first: the matrix as a table, from (rows) → to (columns).
    let flows = screen.getByRole('table', { name: 'Lifecycle flows into 2026-11 (to date)' });
    const activeRow = rowOf(flows, 'active');
    const cells = within(activeRow)
      .getAllByRole('cell')
      .map((c) => c.textContent);
    // prospect, new, active, loyal, won back, at risk, lapsed, total
    expect(cells).toEqual(['0', '0', '6', '1', '0', '4', '0', '11']);
    await user.selectOptions(screen.getByLabelText('Month'), '2026-09');
    flows = screen.getByRole('table', { name: 'Lifecycle flows into 2026-09' });
    expect(
      within(rowOf(flows, 'active'))
        .getAllByRole('cell')
        .map((c) => c.textContent),
    ).toEqual(['0', '0', '3', '2', '0', '1', '0', '6']);
    expect(screen.getByText(/at the end of 2026-08 \(rows\)/)).toBeInTheDocument();
  });

  it('calls out the top 20% on the Pareto curve and shows the RFM grid and tiers', async () => {
    renderConsole('/reports/base?tab=value', { 'GET /reports/base': { body: baseReportFixture() } });
    expect(await screen.findByText('The top 20% of customers bring 61.25% of revenue')).toBeInTheDocument();
    const pareto = await screen.findByRole('img', { name: /^Pareto curve/ });
    expect(pareto.getAttribute('aria-label')).toContain('the top 20% of customers bring 61.25% of revenue');
    expect(rowOf(screen.getByRole('table', { name: 'Pareto curve' }), '20%')).toHaveTextContent('61.25%');
    expect(rowOf(screen.getByRole('table', { name: 'Customers per tier' }), 'A')).toHaveTextContent('620.0%');

    const rfm = screen.getByRole('table', { name: /^RFM grid/ });
    const headers = within(rfm)
      .getAllByRole('columnheader')
      .map((h) => h.textContent);
    expect(headers.slice(1)).toEqual(['F1', 'F2', 'F3', 'F4', 'F5']);
    // Most recent first; R5 × F1 holds 7 customers at 80.00 on average, and is the darkest cell.
    expect(
      within(rfm)
        .getAllByRole('rowheader')
        .map((h) => h.textContent),
    ).toEqual(['R5', 'R4', 'R3', 'R2', 'R1']);
    const r5f1 = within(rowOf(rfm, 'R5')).getAllByRole('cell')[0] as HTMLElement;
    expect(r5f1).toHaveTextContent('7avg 80.00');
    expect(r5f1.style.backgroundColor).toBe('rgb(24, 100, 171)');
    expect((within(rowOf(rfm, 'R4')).getAllByRole('cell')[2] as HTMLElement).textContent).toBe('3avg 80.00');
  });

  it('shows NPS by month with its interval and the loyalty matrix', async () => {
    renderConsole('/reports/base?tab=satisfaction', { 'GET /reports/base': { body: baseReportFixture() } });
    const nps = await screen.findByRole('table', { name: 'NPS by month' });
    expect(rowOf(nps, '2026-10')).toHaveTextContent('-12.5-70.2 to 45.2');
    expect(rowOf(nps, '2026-11 (to date)')).toHaveTextContent('—');
    expect(await screen.findByRole('img', { name: /^Net promoter score per month/ })).toHaveAttribute(
      'aria-label',
      expect.stringContaining('2026-09: 40 (0.5 to 79.5, 10 answers)'),
    );
    expect(screen.getByText('-23.1 to 56.4')).toBeInTheDocument();
    const loyalty = screen.getByRole('table', { name: 'Loyalty matrix' });
    expect(rowOf(loyalty, 'Satisfied (7-10)')).toHaveTextContent('Loyalists422.2% of answersMercenaries844.4% of answers');
    expect(rowOf(loyalty, 'Dissatisfied (0-6)')).toHaveTextContent('Hostages211.1% of answersDefectors422.2% of answers');
    expect(screen.getByText(/12 customers have not answered; 3 contacts answered without ever buying/)).toBeInTheDocument();
  });

  it('shows the channels', async () => {
    renderConsole('/reports/base?tab=channels', { 'GET /reports/base': { body: baseReportFixture() } });
    const reachable = await screen.findByRole('table', { name: 'Reachable contacts by channel' });
    expect(rowOf(reachable, 'either')).toHaveTextContent('5286.7%');
    expect(rowOf(screen.getByRole('table', { name: 'Contacts by preferred channel' }), 'not set')).toHaveTextContent('3558.3%');
  });

  it('offers the run button before the first evaluation', async () => {
    renderConsole('/reports/base', {
      'GET /reports/base': {
        status: 404,
        body: { error: { message: 'base report: not evaluated yet (POST /reports/run, or wait for the hourly run) not found' } },
      },
    });
    expect(await screen.findByText('Not evaluated yet')).toBeInTheDocument();
    expect(screen.getAllByRole('button', { name: 'Run evaluation now' })).toHaveLength(2);
    expect(screen.queryByRole('button', { name: 'Download CSV' })).not.toBeInTheDocument();
  });

  it('shows an error with the API message otherwise', async () => {
    renderConsole('/reports/base', {
      'GET /reports/base': { status: 500, body: { error: { message: 'internal error', requestId: 'r1' } } },
    });
    expect(await screen.findByRole('alert', {}, { timeout: 10_000 })).toHaveTextContent(
      'Could not load the base report (500)internal error',
    );
  });
});
