/** Lists: the table, creating one (checked with CreateList, sent with an Idempotency-Key), a list's members. */
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { contact, list, renderConsole } from './render.tsx';

describe('lists pages', () => {
  it('creates a list with an idempotency key and opens it', async () => {
    const user = userEvent.setup();
    const { calls, router } = renderConsole('/lists', {
      'GET /lists': { body: { items: [list()] } },
      'POST /lists': ({ body }) => ({ status: 201, body: list({ listId: 'ls_2', ...(body as object) }) }),
      'GET /lists/ls_2': { body: list({ listId: 'ls_2', name: 'Newsletter', memberCount: 0 }) },
      'GET /lists/ls_2/members': { body: { items: [] } },
    });
    expect(await screen.findByRole('link', { name: 'VIP' })).toBeInTheDocument();
    await user.click(screen.getAllByRole('button', { name: 'Create a list' })[0]!);
    const dialog = await screen.findByRole('dialog', { name: 'Create a list' });
    await user.click(within(dialog).getByRole('button', { name: 'Create' }));
    expect(await within(dialog).findByText('must not be empty')).toBeInTheDocument();
    await user.type(within(dialog).getByLabelText(/Name/), 'Newsletter');
    await user.click(within(dialog).getByRole('button', { name: 'Create' }));
    await waitFor(() => expect(router.state.location.pathname).toBe('/lists/ls_2'));
    const post = calls.find((c) => c.method === 'POST');
    expect(post?.body).toEqual({ name: 'Newsletter' });
    expect(post?.headers['idempotency-key']).toMatch(/^[0-9a-f-]{36}$/);
    expect(await screen.findByText('No members yet')).toBeInTheDocument();
  });

  it('adds a contact found by email to a list and removes selected members', async () => {
    const user = userEvent.setup();
    const { calls } = renderConsole('/lists/ls_1', {
      'GET /lists/ls_1': { body: list() },
      'GET /lists/ls_1/members': { body: { items: [contact()] } },
      'GET /contacts': {
        body: { items: [contact({ contactId: 'ct_9', email: 'grace@example.com', firstName: 'Grace', lastName: 'Hopper' })] },
      },
      'POST /lists/ls_1/members': { body: { changed: 1, unchanged: 0, notFound: [] } },
      'POST /lists/ls_1/members/remove': { body: { changed: 1, unchanged: 0, notFound: [] } },
    });
    await user.type(await screen.findByLabelText(/Find a contact/), 'grace');
    await user.click(await screen.findByRole('button', { name: 'Add Grace Hopper' }));
    await waitFor(() =>
      expect(calls.find((c) => c.url.pathname === '/lists/ls_1/members' && c.method === 'POST')?.body).toEqual({ contactIds: ['ct_9'] }),
    );

    await user.click(screen.getByRole('checkbox', { name: 'Select Ada Lovelace' }));
    await user.click(screen.getByRole('button', { name: 'Remove selected (1)' }));
    await waitFor(() => expect(calls.find((c) => c.url.pathname.endsWith('/members/remove'))?.body).toEqual({ contactIds: ['ct_1'] }));
  });
});
