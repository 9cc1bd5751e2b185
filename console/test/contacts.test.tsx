/** Contacts search: rows, the API's prefix search, the empty state, the API's error message. */
import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { contact, renderConsole } from './render.tsx';

describe('contacts page', () => {
  it('lists contacts and searches by email prefix through the API', async () => {
    // Arrange
    const user = userEvent.setup();
    const { calls } = renderConsole('/contacts', {
      'GET /contacts': ({ url }) =>
        url.searchParams.get('email') === 'grace'
          ? { body: { items: [contact({ contactId: 'ct_2', email: 'grace@example.com', firstName: 'Grace', lastName: 'Hopper' })] } }
          : { body: { items: [contact()], cursor: 'next' } },
    });
    // Act / Assess
    expect(await screen.findByRole('link', { name: 'Ada Lovelace' })).toHaveAttribute('href', '/contacts/ct_1');
    expect(screen.getByRole('button', { name: 'Next page' })).toBeEnabled();
    await user.type(screen.getByLabelText('Email starts with'), 'grace');
    expect(await screen.findByRole('link', { name: 'Grace Hopper' })).toBeInTheDocument();
    expect(calls.some((c) => c.url.searchParams.get('email') === 'grace')).toBe(true);
  });

  it('shows an empty state when nothing matches', async () => {
    const user = userEvent.setup();
    renderConsole('/contacts', { 'GET /contacts': ({ url }) => ({ body: { items: url.searchParams.has('email') ? [] : [contact()] } }) });
    await user.type(await screen.findByLabelText('Email starts with'), 'zz');
    expect(await screen.findByText(/No contact's email starts with “zz”/)).toBeInTheDocument();
  });

  it("shows the API's own error message, naming the field", async () => {
    renderConsole('/contacts', {
      'GET /contacts': {
        status: 400,
        body: {
          error: {
            message: 'query.limit: Too big: expected number to be <=500',
            details: { issues: [{ field: 'query.limit', message: 'Too big: expected number to be <=500' }] },
          },
        },
      },
    });
    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent('Could not load contacts (400)');
    expect(alert).toHaveTextContent('query.limit: Too big');
    await waitFor(() => expect(screen.getByRole('button', { name: 'Try again' })).toBeInTheDocument());
  });
});
