/** A contact's page: profile, consent history, value, messages; erase asks first; export downloads. */
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { contact, exported, list, renderConsole, value } from './render.tsx';

const answers = () => ({
  'GET /contacts/ct_1': { body: { ...contact(), value } },
  'GET /contacts/ct_1/export': { body: exported() },
  'GET /lists': { body: { items: [list()] } },
  'DELETE /contacts/ct_1': { status: 204 },
  'GET /contacts': { body: { items: [] } },
});

describe('contact page', () => {
  it('shows the profile, consent history, value model, lists and messages', async () => {
    const user = userEvent.setup();
    renderConsole('/contacts/ct_1', answers());
    expect(await screen.findByRole('heading', { name: 'Ada Lovelace' })).toBeInTheDocument();
    expect(screen.getByText('gold')).toBeInTheDocument();

    await user.click(screen.getByRole('tab', { name: 'Consent' }));
    const history = await screen.findByRole('table', { name: 'Consent history' });
    expect(within(history).getByText('unknown → subscribed')).toBeInTheDocument();

    await user.click(screen.getByRole('tab', { name: 'Value' }));
    expect(screen.getByText('5 · 3 · 4')).toBeInTheDocument();
    expect(screen.getByText('120.50')).toBeInTheDocument();

    await user.click(screen.getByRole('tab', { name: 'Lists' }));
    expect(await screen.findByRole('link', { name: 'VIP' })).toHaveAttribute('href', '/lists/ls_1');

    await user.click(screen.getByRole('tab', { name: 'Messages' }));
    const messages = await screen.findByRole('table', { name: 'Messages received' });
    expect(within(messages).getByText(/delivered .* · opened/)).toBeInTheDocument();
  });

  it('erases only after the word is typed', async () => {
    const user = userEvent.setup();
    const { calls, router } = renderConsole('/contacts/ct_1', answers());
    await user.click(await screen.findByRole('button', { name: 'Erase' }));
    const dialog = await screen.findByRole('dialog', { name: 'Erase this contact?' });
    const confirm = within(dialog).getByRole('button', { name: 'Erase' });
    expect(confirm).toBeDisabled();
    await user.type(within(dialog).getByLabelText('Type erase to confirm'), 'erase');
    await user.click(confirm);
    await waitFor(() => expect(calls.some((c) => c.method === 'DELETE' && c.url.pathname === '/contacts/ct_1')).toBe(true));
    await waitFor(() => expect(router.state.location.pathname).toBe('/contacts'));
  });

  it('downloads the export as JSON', async () => {
    const user = userEvent.setup();
    const created: Blob[] = [];
    URL.createObjectURL = vi.fn((blob: Blob) => {
      created.push(blob);
      return 'blob:export';
    });
    URL.revokeObjectURL = vi.fn();
    const click = vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(() => undefined);
    renderConsole('/contacts/ct_1', answers());
    await user.click(await screen.findByRole('button', { name: 'Export (JSON)' }));
    await waitFor(() => expect(click).toHaveBeenCalled());
    expect(JSON.parse(await created[0]!.text()).contact.contactId).toBe('ct_1');
    click.mockRestore();
  });
});
