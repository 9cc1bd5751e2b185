/** The reports index: started campaigns link to their report, the rest are counted; the empty state. */
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { renderConsole } from './render.tsx';
import { campaignOf } from './reports-fixtures.ts';

describe('reports index', () => {
  it('lists the started campaigns, newest first, with links to their reports, and pages on', async () => {
    const user = userEvent.setup();
    const { router } = renderConsole('/reports', {
      'GET /campaigns': ({ url }) =>
        url.searchParams.get('cursor') === 'next'
          ? { body: { items: [campaignOf({ campaignId: 'cp_4', name: 'Later one', startedAt: '2026-11-12T10:00:00.000Z' })] } }
          : {
              body: {
                items: [
                  campaignOf({ campaignId: 'cp_1', name: 'Autumn sale' }),
                  campaignOf({ campaignId: 'cp_2', name: 'Spring draft', status: 'draft', startedAt: undefined }),
                  campaignOf({ campaignId: 'cp_3', name: 'Welcome', holdout: undefined, startedAt: '2026-11-11T10:00:00.000Z' }),
                ],
                cursor: 'next',
              },
            },
      'GET /reports/campaigns/cp_1': { status: 500, body: { error: { message: 'not used' } } },
    });
    const table = await screen.findByRole('table', { name: 'Campaign reports' });
    expect(
      within(table)
        .getAllByRole('link')
        .map((a) => a.textContent),
    ).toEqual(['Welcome', 'Autumn sale']);
    expect(within(table).getByRole('link', { name: 'Welcome' }).closest('tr')).toHaveTextContent('none');
    expect(screen.getByText(/1 more campaign has not started/)).toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: 'Load more campaigns' }));
    expect(
      await within(screen.getByRole('table', { name: 'Campaign reports' })).findByRole('link', { name: 'Later one' }),
    ).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Load more campaigns' })).not.toBeInTheDocument();
    await user.click(screen.getByRole('link', { name: 'Autumn sale' }));
    await waitFor(() => expect(router.state.location.pathname).toBe('/reports/campaigns/cp_1'));
  });

  it('says when no campaign has started', async () => {
    renderConsole('/reports', { 'GET /campaigns': { body: { items: [campaignOf({ status: 'draft', startedAt: undefined })] } } });
    expect(await screen.findByText('No campaign has started yet')).toBeInTheDocument();
    expect(screen.getByText(/1 campaign is a draft or scheduled/)).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'Customer base health' })).toHaveAttribute('href', '/reports/base');
  });
});
