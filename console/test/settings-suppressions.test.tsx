/** The suppression list: per channel, paged; add (checked with AddSuppression); remove only after a confirmation. */
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { renderConsole } from './render.tsx';
import { suppression } from './settings-fixtures.ts';

describe('suppression list page', () => {
  it('pages through the email list and switches to SMS', async () => {
    const user = userEvent.setup();
    const { calls, router } = renderConsole('/settings/suppressions', {
      'GET /suppressions?channel=email&limit=50': { body: { items: [suppression()], cursor: 'c1' } },
      'GET /suppressions?channel=email&limit=50&cursor=c1': {
        body: { items: [suppression({ address: 'zoe@example.com', reason: 'manual', source: 'api' })] },
      },
      'GET /suppressions?channel=sms&limit=50': { body: { items: [] } },
    });
    const table = await screen.findByRole('table', { name: 'Suppressed email addresses' });
    expect(within(table).getByRole('row', { name: /bounce@example\.com/ })).toHaveTextContent('Hard bounce');
    await user.click(screen.getByRole('button', { name: 'Next page' }));
    expect(await screen.findByRole('cell', { name: 'zoe@example.com' })).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Next page' })).toBeDisabled();
    await user.click(screen.getByRole('button', { name: 'Previous page' }));
    expect(await screen.findByRole('cell', { name: 'bounce@example.com' })).toBeInTheDocument();

    await user.click(screen.getByRole('radio', { name: 'SMS' }));
    expect(await screen.findByText('No suppressed phone numbers')).toBeInTheDocument();
    expect(router.state.location.search).toBe('?channel=sms');
    expect(calls.at(-1)?.url.search).toBe('?channel=sms&limit=50');
  });

  it('refuses a bad phone number on its field before any request, then suppresses a good one', async () => {
    const user = userEvent.setup();
    const { calls } = renderConsole('/settings/suppressions?channel=sms', {
      'GET /suppressions': { body: { items: [] } },
      'POST /suppressions': () => ({
        status: 201,
        body: suppression({
          channel: 'sms',
          address: '+447700900123',
          reason: 'legal',
          source: 'court order',
          at: new Date().toISOString(),
        }),
      }),
    });
    const phone = await screen.findByLabelText(/^Phone number/);
    await user.type(phone, '07700 900123');
    await user.click(screen.getByRole('button', { name: 'Suppress' }));
    expect(await screen.findByText('must be an E.164 phone number such as +447700900123')).toBeInTheDocument();
    expect(calls.some((c) => c.method === 'POST')).toBe(false);

    await user.clear(phone);
    await user.type(phone, '+44 7700 900123');
    await user.selectOptions(screen.getByLabelText('Reason'), 'Legal hold');
    await user.type(screen.getByLabelText(/^Source/), 'court order');
    await user.click(screen.getByRole('button', { name: 'Suppress' }));
    await waitFor(() =>
      expect(calls.find((c) => c.method === 'POST')?.body).toEqual({
        channel: 'sms',
        address: '+44 7700 900123',
        reason: 'legal',
        source: 'court order',
      }),
    );
    expect(await screen.findByText('+447700900123 is suppressed.')).toBeInTheDocument();
    expect(phone).toHaveValue('');
  });

  it('removes an address only after a confirmation, with the address in the path', async () => {
    const user = userEvent.setup();
    const { calls } = renderConsole('/settings/suppressions?channel=sms', {
      'GET /suppressions': { body: { items: [suppression({ channel: 'sms', address: '+447700900123', reason: 'complaint' })] } },
      'DELETE /suppressions/sms/%2B447700900123': { status: 204 },
    });
    await user.click(await screen.findByRole('button', { name: 'Remove +447700900123' }));
    const confirm = await screen.findByRole('dialog', { name: /Take \+447700900123 off the suppression list/ });
    expect(confirm).toHaveTextContent('it was suppressed for: complaint');
    await user.click(within(confirm).getByRole('button', { name: 'Cancel' }));
    expect(calls.some((c) => c.method === 'DELETE')).toBe(false);

    await user.click(screen.getByRole('button', { name: 'Remove +447700900123' }));
    await user.click(within(await screen.findByRole('dialog')).getByRole('button', { name: 'Remove' }));
    await waitFor(() => expect(calls.find((c) => c.method === 'DELETE')?.url.pathname).toBe('/suppressions/sms/%2B447700900123'));
    expect(await screen.findByText('+447700900123 is off the suppression list.')).toBeInTheDocument();
  });
});
