/** Editing: the API's own schema checks the change first; the API's answer lands on its field. */
import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { contact, renderConsole, value } from './render.tsx';

describe('contact edit page', () => {
  it('refuses a bad phone number with the API schema, before any request', async () => {
    const user = userEvent.setup();
    const { calls } = renderConsole('/contacts/ct_1/edit', { 'GET /contacts/ct_1': { body: { ...contact(), value } } });
    await user.type(await screen.findByLabelText(/^Phone/), '12');
    await user.click(screen.getByRole('button', { name: 'Save' }));
    expect(await screen.findByText('must be an E.164 phone number such as +447700900123')).toBeInTheDocument();
    expect(calls.filter((c) => c.method === 'PATCH')).toHaveLength(0);
  });

  it('sends only what changed, and shows a conflict from the API on the field', async () => {
    const user = userEvent.setup();
    const { calls } = renderConsole('/contacts/ct_1/edit', {
      'GET /contacts/ct_1': { body: { ...contact(), value } },
      'PATCH /contacts/ct_1': {
        status: 409,
        body: {
          error: {
            message: 'body.email: belongs to another contact',
            details: { issues: [{ field: 'body.email', message: 'belongs to another contact' }] },
          },
        },
      },
    });
    const email = await screen.findByLabelText('Email');
    await user.clear(email);
    await user.type(email, 'grace@example.com');
    await user.selectOptions(screen.getByLabelText('SMS consent'), 'subscribed');
    await user.click(screen.getByRole('button', { name: 'Save' }));
    await waitFor(() => expect(calls.some((c) => c.method === 'PATCH')).toBe(true));
    expect(calls.find((c) => c.method === 'PATCH')?.body).toEqual({
      email: 'grace@example.com',
      consent: { sms: { status: 'subscribed', source: 'console' } },
    });
    expect(await screen.findByText('belongs to another contact')).toBeInTheDocument();
  });
});
