/**
 * Webhooks: subscribe (checked with CreateWebhook, an Idempotency-Key, the secret shown once), a
 * test delivery's status and latency, edits that send only what changed, rotation, dead letters
 * (redrive, drop) and deletion after a confirmation.
 */
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { renderConsole } from './render.tsx';
import { deadLetter, webhook } from './settings-fixtures.ts';

const SECRET = 'whsec_YbW0b0m4o2m1c2Jm9bqk0m1aV9Q3q0GJ4sZ2n8mQ2x9';

describe('webhooks pages', () => {
  it('adds a webhook for every event, shows its secret once, then opens its page', async () => {
    const user = userEvent.setup();
    const { calls, router } = renderConsole('/settings/webhooks', {
      'GET /webhooks': { body: { items: [webhook()] } },
      'POST /webhooks': ({ body }) => ({ status: 201, body: { ...webhook({ webhookId: 'wh_2', ...(body as object) }), secret: SECRET } }),
      'GET /webhooks/wh_2': { body: webhook({ webhookId: 'wh_2', events: ['*'] }) },
      'GET /webhooks/wh_2/dead-letters': { body: { items: [] } },
    });
    expect(await screen.findByRole('link', { name: 'https://hooks.example.com/herald' })).toBeInTheDocument();
    expect(screen.getByRole('cell', { name: 'message.bounced, message.delivered' })).toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: 'Add a webhook' }));
    const dialog = await screen.findByRole('dialog', { name: 'Add a webhook' });
    const url = within(dialog).getByLabelText(/Endpoint URL/);
    await user.clear(url);
    await user.type(url, 'http://hooks.example.com/in');
    await user.click(within(dialog).getByLabelText('All events, including types added later'));
    expect(within(dialog).getByLabelText('message.opened')).toBeDisabled();
    await user.click(within(dialog).getByRole('button', { name: 'Add webhook' }));
    expect(await within(dialog).findByText(/must be an https:\/\/ URL/)).toBeInTheDocument();
    expect(calls.filter((c) => c.method === 'POST')).toHaveLength(0);

    await user.clear(url);
    await user.type(url, 'https://hooks.example.com/in');
    await user.click(within(dialog).getByRole('button', { name: 'Add webhook' }));
    const secret = await screen.findByRole('dialog', { name: 'Webhook added' });
    expect(within(secret).getByLabelText('Signing secret')).toHaveValue(SECRET);
    const post = calls.find((c) => c.method === 'POST');
    expect(post?.body).toEqual({ url: 'https://hooks.example.com/in', events: ['*'], enabled: true });
    expect(post?.headers['idempotency-key']).toMatch(/^[0-9a-f-]{36}$/);
    await user.click(within(secret).getByRole('button', { name: 'I have stored it' }));
    await waitFor(() => expect(router.state.location.pathname).toBe('/settings/webhooks/wh_2'));
    expect(await screen.findByText('No dead letters')).toBeInTheDocument();
    expect(screen.queryByText(SECRET)).not.toBeInTheDocument();
  });

  it("sends a test and shows the receiver's status and latency, or what went wrong", async () => {
    const user = userEvent.setup();
    let tests = 0;
    renderConsole('/settings/webhooks/wh_1', {
      'GET /webhooks/wh_1': { body: webhook() },
      'GET /webhooks/wh_1/dead-letters': { body: { items: [] } },
      'POST /webhooks/wh_1/test': () =>
        ++tests === 1
          ? { body: { eventId: 'evt_t1', delivered: true, status: 204, latencyMs: 42 } }
          : { body: { eventId: 'evt_t2', delivered: false, latencyMs: 10000, error: 'timed out after 10000 ms' } },
    });
    await user.click(await screen.findByRole('button', { name: 'Send a test' }));
    expect(await screen.findByText(/The endpoint answered 204 in 42 ms/)).toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: 'Send a test' }));
    expect(await screen.findByText(/No answer: timed out after 10000 ms \(10000 ms\)/)).toBeInTheDocument();
    expect(screen.getByText('Test not delivered')).toBeInTheDocument();
  });

  it('saves only what changed, and rotates the secret keeping the old one for the chosen time', async () => {
    const user = userEvent.setup();
    const { calls } = renderConsole('/settings/webhooks/wh_1', {
      'GET /webhooks/wh_1': { body: webhook() },
      'GET /webhooks/wh_1/dead-letters': { body: { items: [] } },
      'PATCH /webhooks/wh_1': ({ body }) => ({ body: webhook(body as Record<string, unknown>) }),
      'POST /webhooks/wh_1/rotate-secret': { body: { ...webhook(), secret: SECRET } },
    });
    const save = await screen.findByRole('button', { name: 'Save changes' });
    expect(save).toBeDisabled();
    await user.click(screen.getByRole('switch', { name: /^Enabled/ }));
    await user.click(screen.getByRole('checkbox', { name: /message\.opened/ }));
    await user.click(save);
    await waitFor(() =>
      expect(calls.find((c) => c.method === 'PATCH')?.body).toEqual({
        events: ['message.bounced', 'message.delivered', 'message.opened'],
        enabled: false,
      }),
    );

    await user.click(screen.getByRole('button', { name: 'Rotate the secret' }));
    const rotate = await screen.findByRole('dialog', { name: 'Rotate the signing secret?' });
    await user.selectOptions(within(rotate).getByLabelText('Keep signing with the old secret too'), 'Revoke it now');
    await user.click(within(rotate).getByRole('button', { name: 'Rotate' }));
    const shown = await screen.findByRole('dialog', { name: 'New signing secret' });
    expect(within(shown).getByLabelText('Signing secret')).toHaveValue(SECRET);
    expect(calls.find((c) => c.url.pathname.endsWith('/rotate-secret'))?.url.searchParams.get('keepPreviousSeconds')).toBe('0');
  });

  it("redrives a dead letter, shows the API's refusal, drops one after a confirmation", async () => {
    const user = userEvent.setup();
    let redrives = 0;
    const { calls } = renderConsole('/settings/webhooks/wh_1', {
      'GET /webhooks/wh_1': { body: webhook() },
      'GET /webhooks/wh_1/dead-letters': {
        body: { items: [deadLetter(), deadLetter({ eventId: 'evt_2', lastStatus: undefined, lastError: 'fetch failed: ECONNREFUSED' })] },
      },
      'POST /webhooks/wh_1/dead-letters/evt_1/redrive': () =>
        ++redrives === 1
          ? { status: 202, body: { eventId: 'evt_1', queued: true } }
          : { status: 409, body: { error: { message: 'The webhook is disabled: enable it first' } } },
      'DELETE /webhooks/wh_1/dead-letters/evt_2': { status: 204 },
    });
    const table = await screen.findByRole('table', { name: 'Dead letters' });
    expect(within(table).getByText('status 503')).toBeInTheDocument();
    expect(within(table).getByText('fetch failed: ECONNREFUSED')).toBeInTheDocument();
    await user.click(within(table).getByRole('button', { name: 'Redrive message.delivered evt_1' }));
    expect(await screen.findByText(/Event evt_1 queued again/)).toBeInTheDocument();
    await user.click(within(table).getByRole('button', { name: 'Redrive message.delivered evt_1' }));
    expect(await screen.findByText('The webhook is disabled: enable it first')).toBeInTheDocument();

    await user.click(within(table).getByRole('button', { name: 'Drop message.delivered evt_2' }));
    const confirm = await screen.findByRole('dialog', { name: 'Drop this dead letter?' });
    await user.click(within(confirm).getByRole('button', { name: 'Drop' }));
    await waitFor(() =>
      expect(calls.some((c) => c.method === 'DELETE' && c.url.pathname === '/webhooks/wh_1/dead-letters/evt_2')).toBe(true),
    );
  });

  it('deletes the webhook after a confirmation and returns to the list', async () => {
    const user = userEvent.setup();
    const { calls, router } = renderConsole('/settings/webhooks/wh_1', {
      'GET /webhooks/wh_1': { body: webhook() },
      'GET /webhooks/wh_1/dead-letters': { body: { items: [] } },
      'DELETE /webhooks/wh_1': { status: 204 },
      'GET /webhooks': { body: { items: [] } },
    });
    await user.click(await screen.findByRole('button', { name: 'Delete' }));
    const confirm = await screen.findByRole('dialog', { name: 'Delete this webhook?' });
    expect(calls.some((c) => c.method === 'DELETE')).toBe(false);
    await user.click(within(confirm).getByRole('button', { name: 'Delete webhook' }));
    await waitFor(() => expect(router.state.location.pathname).toBe('/settings/webhooks'));
    expect(calls.some((c) => c.method === 'DELETE' && c.url.pathname === '/webhooks/wh_1')).toBe(true);
    expect(await screen.findByText('No webhooks yet')).toBeInTheDocument();
  });
});
