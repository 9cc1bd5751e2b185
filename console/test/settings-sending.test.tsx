/**
 * Sending settings: each card saves its own part over a fresh read (PUT replaces the whole object),
 * the API's schema refuses a bad field before any request, and the API's answers land on the field
 * they name.
 */
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { renderConsole } from './render.tsx';
import { sending, topic } from './settings-fixtures.ts';

const puts = (calls: { method: string; url: URL; body: unknown }[]) => calls.filter((c) => c.method === 'PUT');

describe('sending settings page', () => {
  it('saves quiet hours over the settings as stored now, keeping what another page changed meanwhile', async () => {
    const user = userEvent.setup();
    let reads = 0;
    const { calls } = renderConsole('/settings/sending', {
      // The second read (the save's) has a topic that the first did not: it must survive the PUT.
      'GET /settings/sending': () => ({ body: ++reads === 1 ? sending() : sending({ topics: [topic(), topic({ name: 'news' })] }) }),
      'PUT /settings/sending': ({ body }) => ({ body }),
    });
    const quiet = await screen.findByRole('region', { name: 'Quiet hours' });
    const from = within(quiet).getByLabelText('From');
    await user.clear(from);
    await user.type(from, '22:30');
    await user.click(within(quiet).getByRole('button', { name: 'Save quiet hours' }));
    await waitFor(() => expect(puts(calls)).toHaveLength(1));
    expect(puts(calls)[0]?.body).toEqual({
      ...sending(),
      quietHours: { start: '22:30', end: '08:00' },
      topics: [topic(), topic({ name: 'news' })],
    });
    expect(await screen.findByText('Quiet hours saved.')).toBeInTheDocument();
  });

  it('refuses a bad reply-to address with the API schema, on its field, before any request', async () => {
    const user = userEvent.setup();
    const { calls } = renderConsole('/settings/sending', { 'GET /settings/sending': { body: sending() } });
    const email = await screen.findByRole('region', { name: 'Email sender' });
    await user.type(within(email).getByLabelText(/Reply-to address/), 'not-an-address');
    await user.click(within(email).getByRole('button', { name: 'Save email sender' }));
    expect(await within(email).findByText('must be an email address')).toBeInTheDocument();
    expect(within(email).getByLabelText(/Reply-to address/)).toHaveAttribute('aria-invalid', 'true');
    expect(puts(calls)).toHaveLength(0);
  });

  it("shows the API's conflict on the origination identity field", async () => {
    const user = userEvent.setup();
    renderConsole('/settings/sending', {
      'GET /settings/sending': { body: sending() },
      'PUT /settings/sending': {
        status: 409,
        body: { error: { message: "sms.originationIdentity: +15550199 is another workspace's origination identity" } },
      },
    });
    const sms = await screen.findByRole('region', { name: 'SMS origination' });
    const identity = within(sms).getByLabelText(/Origination identity/);
    await user.clear(identity);
    await user.type(identity, '+15550199');
    await user.click(within(sms).getByRole('button', { name: 'Save SMS origination' }));
    expect(await within(sms).findByText("+15550199 is another workspace's origination identity")).toBeInTheDocument();
    expect(identity).toHaveAttribute('aria-invalid', 'true');
  });

  it('turns the frequency cap on with its numbers, and off again by leaving it out of the PUT', async () => {
    const user = userEvent.setup();
    let stored = sending();
    const { calls } = renderConsole('/settings/sending', {
      'GET /settings/sending': () => ({ body: stored }),
      'PUT /settings/sending': ({ body }) => {
        stored = body as ReturnType<typeof sending>;
        return { body };
      },
    });
    const cap = await screen.findByRole('region', { name: 'Frequency cap' });
    await user.click(within(cap).getByLabelText('Cap how often a contact is messaged'));
    const messages = within(cap).getByLabelText('Messages');
    await user.clear(messages);
    await user.type(messages, '2');
    await user.click(within(cap).getByRole('button', { name: 'Save frequency cap' }));
    await waitFor(() => expect(puts(calls)).toHaveLength(1));
    expect(puts(calls)[0]?.body).toMatchObject({ frequencyCap: { messages: 2, withinDays: 7 } });

    await user.click(within(cap).getByLabelText('Cap how often a contact is messaged'));
    await user.click(within(cap).getByRole('button', { name: 'Save frequency cap' }));
    await waitFor(() => expect(puts(calls)).toHaveLength(2));
    expect(puts(calls)[1]?.body).not.toHaveProperty('frequencyCap');
    expect(puts(calls)[1]?.body).toMatchObject({ email: sending().email, quietHours: sending().quietHours });
  });

  it('shows the error state with the API message when the settings cannot be read', async () => {
    renderConsole('/settings/sending', { 'GET /settings/sending': { status: 403, body: { error: { message: 'not your workspace' } } } });
    expect(await screen.findByRole('alert')).toHaveTextContent('not your workspace');
  });
});
