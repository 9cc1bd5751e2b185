/** Sign-in: the guard, a refused token with the API's message, a good token, the link's fragment. */
import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { createLocalAuth } from '../src/auth/local.ts';
import { contact, renderConsole } from './render.tsx';

describe('sign-in', () => {
  it('sends a signed-out visitor to the sign-in page, and back after a good token', async () => {
    // Arrange
    const user = userEvent.setup();
    const { calls } = renderConsole(
      '/contacts',
      {
        'GET /contacts': ({ url }) =>
          url.searchParams.get('limit') === '1' && calls.at(-1)?.headers.authorization === 'Bearer wrong'
            ? { status: 401, body: { error: { message: 'missing or invalid bearer token' } } }
            : { body: { items: [contact()] } },
      },
      { signedIn: false },
    );
    // Act: a wrong token first
    await user.type(await screen.findByLabelText(/Bearer token/), 'wrong');
    await user.click(screen.getByRole('button', { name: 'Sign in' }));
    // Assess: the API's own message, and still signed out
    expect(await screen.findByText(/The API refused this token: missing or invalid bearer token/)).toBeInTheDocument();
    expect(sessionStorage.getItem('herald.token')).toBeNull();

    await user.clear(screen.getByLabelText(/Bearer token/));
    await user.type(screen.getByLabelText(/Bearer token/), 'right');
    await user.click(screen.getByRole('button', { name: 'Sign in' }));
    expect(await screen.findByRole('heading', { name: 'Contacts' })).toBeInTheDocument();
    expect(sessionStorage.getItem('herald.token')).toBe('right');
  });

  it('takes the token from the link fragment and removes it from the address', async () => {
    // Arrange
    window.history.replaceState(null, '', '/contacts?x=1#token=abc123');
    // Act
    const auth = createLocalAuth(window);
    // Assess
    expect(await auth.token()).toBe('abc123');
    expect(window.location.hash).toBe('');
    expect(window.location.pathname + window.location.search).toBe('/contacts?x=1');
  });

  it('signs out when the API refuses the kept token, and says why', async () => {
    // Arrange / Act
    renderConsole('/contacts', { 'GET /contacts': { status: 401, body: { error: { message: 'missing or invalid bearer token' } } } });
    // Assess
    expect(await screen.findByRole('heading', { name: 'Sign in to Herald' })).toBeInTheDocument();
    await waitFor(() => expect(screen.getByText(/The API refused the token/)).toBeInTheDocument());
  });
});
