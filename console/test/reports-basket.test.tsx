/** Basket rules: sorted by lift first, sortable by each column (aria-sort), filtered by item; product rules' note; mining on demand. */
import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { renderConsole } from './render.tsx';
import { basketRulesFixture } from './reports-fixtures.ts';

const rules = (table: HTMLElement) =>
  within(table)
    .getAllByRole('row')
    .slice(1)
    .map((r) => (r.querySelector('td') as HTMLElement).textContent);

describe('basket rules page', () => {
  it('sorts and filters the category rules and says why there are no product rules', async () => {
    const user = userEvent.setup();
    renderConsole('/reports/basket-rules', { 'GET /reports/basket-rules': { body: basketRulesFixture() } });
    const table = await screen.findByRole('table', { name: 'Basket rules between categories' });
    expect(rules(table)).toEqual(['shoes ⇒ then socks', 'bags + shoes ⇒ then jackets', 'socks ⇒ then shoes']);
    expect(within(table).getByRole('columnheader', { name: /Lift/ })).toHaveAttribute('aria-sort', 'descending');
    const first = within(table).getAllByRole('row')[1] as HTMLElement;
    expect(first).toHaveTextContent('30.0%75.0%1.9012');

    await user.click(within(table).getByRole('button', { name: /Support/ }));
    expect(within(table).getByRole('columnheader', { name: /Support/ })).toHaveAttribute('aria-sort', 'descending');
    expect(within(table).getByRole('columnheader', { name: /Lift/ })).toHaveAttribute('aria-sort', 'none');
    expect(rules(table)).toEqual(['socks ⇒ then shoes', 'shoes ⇒ then socks', 'bags + shoes ⇒ then jackets']);
    await user.click(within(table).getByRole('button', { name: /Support/ }));
    expect(within(table).getByRole('columnheader', { name: /Support/ })).toHaveAttribute('aria-sort', 'ascending');
    expect(rules(table)).toEqual(['bags + shoes ⇒ then jackets', 'shoes ⇒ then socks', 'socks ⇒ then shoes']);

    await user.type(screen.getByLabelText('Filter by item'), 'jack');
    expect(rules(screen.getByRole('table', { name: 'Basket rules between categories' }))).toEqual(['bags + shoes ⇒ then jackets']);
    expect(screen.getByText('1 of 3 rules, from 40 baskets')).toBeInTheDocument();

    await user.click(screen.getByRole('radio', { name: 'Products (none yet)' }));
    expect(await screen.findByText('product rules need 1,000 customers who bought products; there are 40')).toBeInTheDocument();
  });

  it('mines the rules on demand before the first run, then shows them', async () => {
    const user = userEvent.setup();
    let mined = false;
    const { calls } = renderConsole('/reports/basket-rules', {
      'GET /reports/basket-rules': () =>
        mined
          ? { body: basketRulesFixture() }
          : {
              status: 404,
              body: {
                error: {
                  message: 'basket rules: not mined yet (POST /settings/value-model/recompute, or wait for the hourly run) not found',
                },
              },
            },
      'POST /settings/value-model/recompute': () => {
        mined = true;
        return { status: 202, body: { status: 'queued' } };
      },
    });
    expect(await screen.findByText('No rules mined yet')).toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: 'Mine the rules now' }));
    expect(await screen.findByRole('table', { name: 'Basket rules between categories' }, { timeout: 8000 })).toBeInTheDocument();
    expect(calls.filter((c) => c.method === 'POST')).toHaveLength(1);
  });
});
