/** Lifecycle: thresholds checked with ValueSettings before the PUT, the boundaries read only, a recompute watched until it lands. */
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { renderConsole } from './render.tsx';
import { boundaries, valueModel } from './settings-fixtures.ts';

describe('lifecycle page', () => {
  it('shows the RFM score ranges and the tiers, read only', async () => {
    renderConsole('/settings/lifecycle', { 'GET /settings/value-model': { body: valueModel() } });
    const rfm = await screen.findByRole('table', { name: 'RFM score boundaries' });
    const frequency = within(rfm).getByRole('row', { name: /Frequency/ });
    expect(
      within(frequency)
        .getAllByRole('cell')
        .map((c) => c.textContent),
    ).toEqual(['≤ 1', '> 1 and ≤ 2', '> 2 and ≤ 4', '> 4 and ≤ 5', '> 5']);
    const tiers = screen.getByRole('table', { name: 'Pareto tiers' });
    expect(within(tiers).getByRole('row', { name: /^A/ })).toHaveTextContent('≥ 494.00');
    expect(within(tiers).getByRole('row', { name: /^A/ })).toHaveTextContent('45.3% of all revenue');
    expect(screen.getByText(/from 32 customers/)).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: /Save/ })).toHaveTextContent('Save thresholds');
  });

  it('refuses an at-risk threshold past the lapsed one before any request, then saves a good one', async () => {
    const user = userEvent.setup();
    const { calls } = renderConsole('/settings/lifecycle', {
      'GET /settings/value-model': { body: valueModel() },
      'PUT /settings/value-model': ({ body }) => ({ body: valueModel({ settings: body }) }),
    });
    const atRisk = await screen.findByLabelText(/At risk after/);
    await user.clear(atRisk);
    await user.type(atRisk, '400');
    await user.click(screen.getByRole('button', { name: 'Save thresholds' }));
    expect(await screen.findByText('must be less than lapsedAfterDays')).toBeInTheDocument();
    expect(calls.filter((c) => c.method === 'PUT')).toHaveLength(0);

    await user.clear(atRisk);
    await user.type(atRisk, '120');
    await user.click(screen.getByRole('button', { name: 'Save thresholds' }));
    await waitFor(() =>
      expect(calls.find((c) => c.method === 'PUT')?.body).toEqual({
        lifecycle: { atRiskAfterDays: 120, lapsedAfterDays: 365, loyalMinOrders: 4, loyalWithinDays: 365 },
      }),
    );
    expect(await screen.findByText(/Lifecycle thresholds saved/)).toBeInTheDocument();
  });

  it('queues a recompute and shows the new boundaries when they land', async () => {
    const user = userEvent.setup();
    let recomputed = false;
    const { calls } = renderConsole('/settings/lifecycle', {
      'GET /settings/value-model': () => ({
        body: recomputed ? valueModel({ boundaries: boundaries({ computedAt: '2026-11-20T11:00:00.000Z', customers: 40 }) }) : valueModel(),
      }),
      'POST /settings/value-model/recompute': () => {
        recomputed = true;
        return { status: 202, body: { status: 'queued' } };
      },
    });
    await user.click(await screen.findByRole('button', { name: 'Recompute now' }));
    expect(await screen.findByText(/Recompute queued/)).toBeInTheDocument();
    expect(await screen.findByText(/from 40 customers/, undefined, { timeout: 8000 })).toBeInTheDocument();
    expect(screen.getByText(/^Recomputed at/)).toBeInTheDocument();
    expect(calls.filter((c) => c.method === 'POST')).toHaveLength(1);
  });

  it('says when no boundaries were computed yet', async () => {
    renderConsole('/settings/lifecycle', { 'GET /settings/value-model': { body: valueModel({ boundaries: undefined }) } });
    expect(await screen.findByText('Not computed yet')).toBeInTheDocument();
    expect(screen.queryByRole('table')).not.toBeInTheDocument();
  });
});
