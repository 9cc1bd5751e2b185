/**
 * Trigger pages: the list (each trigger in words, its firings, on and off behind a confirmation),
 * a trigger's page (firings dropped by reason), and the editor (the whole trigger block in the
 * PATCH, no channel for a launched trigger, the API schema's message on the filter it names, the
 * API's answer on its field, a new stage trigger).
 */
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { apiError, campaign, counts, references, trigger, variantCounts } from './campaigns-data.ts';
import { renderConsole } from './render.tsx';

const firings = (overrides: Record<string, unknown> = {}) => ({
  started: 7,
  fired: 3,
  dropped: { cooldown: 1, purchased_since: 1 },
  waiting: 2,
  ...overrides,
});

describe('triggers list', () => {
  it('shows each trigger in words with its firings, and turns one off after confirming', async () => {
    const user = userEvent.setup();
    const on = trigger({ status: 'sending', launchedAt: '2026-11-20T10:00:00.000Z' });
    const { calls } = renderConsole('/triggers', {
      'GET /campaigns': {
        body: {
          items: [
            campaign(),
            on,
            trigger({
              campaignId: 'cp_t2',
              name: 'Win-back',
              trigger: {
                on: { stage: 'lapsed', where: [], first: false },
                delay: 'PT0S',
                cancelIfPurchased: false,
                cooldown: 'P180D',
                recommendations: 0,
              },
            }),
          ],
        },
      },
      'GET /campaigns/cp_t1': { body: { ...on, counts: counts({ firings: firings() }) } },
      'GET /segments': references['GET /segments'],
      'POST /campaigns/cp_t1/pause': { body: trigger({ status: 'paused' }) },
      'POST /campaigns/cp_t2/launch': { status: 202, body: trigger({ campaignId: 'cp_t2', status: 'sending' }) },
    });
    const table = await screen.findByRole('table', { name: 'Triggers' });
    expect(within(table).queryByText('Shoe week')).toBeNull();
    expect(within(table).getByText("A contact's first purchase: sends the message after 1 hour.")).toBeInTheDocument();
    expect(
      within(table).getByText('A contact becomes lapsed: sends the message at once. At most one message every 180 days per contact.'),
    ).toBeInTheDocument();
    expect(await within(table).findByText('7 started · 3 fired · 2 waiting · 2 dropped')).toBeInTheDocument();

    await user.click(within(table).getByRole('button', { name: 'Turn off Welcome after the first purchase' }));
    const dialog = await screen.findByRole('dialog', { name: 'Turn this trigger off?' });
    expect(dialog).toHaveTextContent('2 waiting now');
    await user.click(within(dialog).getByRole('button', { name: 'Turn off' }));
    await waitFor(() => expect(calls.some((c) => c.method === 'POST' && c.url.pathname === '/campaigns/cp_t1/pause')).toBe(true));

    await user.click(within(table).getByRole('button', { name: 'Turn on Win-back' }));
    const again = await screen.findByRole('dialog', { name: 'Turn this trigger on?' });
    expect(again).toHaveTextContent('The contact base is read once to schedule the stage checks.');
    await user.click(within(again).getByRole('button', { name: 'Turn on' }));
    await waitFor(() => expect(calls.some((c) => c.method === 'POST' && c.url.pathname === '/campaigns/cp_t2/launch')).toBe(true));
    expect(calls.some((c) => c.url.pathname.endsWith('/resume'))).toBe(false);
  });
});

describe('a trigger', () => {
  it('shows its pending firings, dropped by reason, and its messages', async () => {
    renderConsole('/triggers/cp_t1', {
      ...references,
      'GET /campaigns/cp_t1': {
        body: {
          ...trigger({ status: 'paused' }),
          counts: counts({ audience: 3, holdout: 1, firings: firings(), variants: { A: variantCounts({ queued: 2, sent: 2 }) } }),
        },
      },
      'GET /campaigns/cp_t1/recipients': { body: { items: [] } },
    });
    const firingsSection = await screen.findByRole('region', { name: 'Pending firings' });
    expect(firingsSection).toHaveTextContent('Waiting2started, not yet due');
    expect(within(firingsSection).getByText('Within the cooldown: 1')).toBeInTheDocument();
    expect(within(firingsSection).getByText('Purchased since: 1')).toBeInTheDocument();
    expect(firingsSection).toHaveTextContent('waiting firings that come due are dropped');
    expect(screen.getByText('2 of 2 assigned to a variant (100%)')).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Turn on…' })).toBeInTheDocument();
  });
});

describe('trigger editor', () => {
  const live = () => ({ ...trigger({ status: 'sending' }), counts: counts() });

  it('sends the whole trigger block, without the channel of a launched trigger', async () => {
    const user = userEvent.setup();
    const { calls, router } = renderConsole('/triggers/cp_t1/edit', {
      ...references,
      'GET /campaigns/cp_t1': { body: live() },
      'PATCH /campaigns/cp_t1': ({ body }) => ({ body: trigger({ ...(body as object), status: 'sending' }) }),
    });
    expect(await screen.findByText(/Edits apply to firings that start from now on/)).toBeInTheDocument();
    expect(screen.getByRole('radio', { name: 'SMS' })).toBeDisabled();
    expect(screen.getByRole('textbox', { name: 'Holdout share (%)' })).toBeDisabled();
    expect(screen.getByRole('textbox', { name: 'Weight' })).toBeDisabled();
    const wait = screen.getByRole('textbox', { name: 'Wait' });
    await user.clear(wait);
    await user.type(wait, '0');
    await user.click(screen.getByRole('button', { name: 'Add a filter' }));
    await user.type(screen.getByRole('textbox', { name: 'Value' }), 'shoes');
    expect(screen.getByText(/A contact's first purchase where an item's category is shoes: sends the message at once/)).toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: 'Save changes' }));
    await waitFor(() => expect(router.state.location.pathname).toBe('/triggers/cp_t1'));
    expect(calls.find((c) => c.method === 'PATCH')?.body).toEqual({
      name: 'Welcome after the first purchase',
      variants: [{ name: 'A', weight: 1, email: 'tp_2' }],
      holdout: { percent: 10 },
      trigger: {
        on: { event: 'purchase', where: [{ field: 'items.category', op: 'eq', value: 'shoes' }], first: true },
        delay: 'PT0S',
        cancelIfPurchased: false,
        recommendations: 0,
      },
    });
  });

  it("shows the API schema's message on the filter it names, before any request", async () => {
    const user = userEvent.setup();
    const { calls } = renderConsole('/triggers/cp_t1/edit', { ...references, 'GET /campaigns/cp_t1': { body: live() } });
    await user.click(await screen.findByRole('button', { name: 'Add a filter' }));
    await user.selectOptions(screen.getByRole('combobox', { name: 'Condition' }), 'gt');
    await user.type(screen.getByRole('textbox', { name: 'Value' }), 'shoes');
    await user.click(screen.getByRole('button', { name: 'Save changes' }));
    const value = screen.getByRole('textbox', { name: 'Value' });
    expect(value).toHaveAccessibleDescription('op gt compares numbers: give a number');
    expect(calls.some((c) => c.method === 'PATCH')).toBe(false);
  });

  it("shows the API's refusal on the field it names", async () => {
    const user = userEvent.setup();
    renderConsole('/triggers/cp_t1/edit', {
      ...references,
      'GET /campaigns/cp_t1': {
        body: {
          ...trigger({
            trigger: { on: { segment: 'sg_1', where: [], first: false }, delay: 'P1D', cancelIfPurchased: false, recommendations: 0 },
          }),
          counts: counts(),
        },
      },
      'PATCH /campaigns/cp_t1': apiError(400, 'body.trigger.on.segment: names no segment (sg_1)', [
        { field: 'body.trigger.on.segment', message: 'names no segment (sg_1)' },
      ]),
    });
    expect(await screen.findByRole('radio', { name: 'A segment entered' })).toBeChecked();
    await user.click(screen.getByRole('button', { name: 'Save changes' }));
    expect(await screen.findByText('names no segment (sg_1)')).toBeInTheDocument();
    expect(screen.getByRole('combobox', { name: 'Segment' })).toHaveAccessibleDescription(/names no segment \(sg_1\)/);
  });

  it('creates a lapsed-customer trigger with a cooldown', async () => {
    const user = userEvent.setup();
    const { calls, router } = renderConsole('/triggers/new', {
      ...references,
      'POST /campaigns': ({ body }) => ({ status: 201, body: trigger({ ...(body as object), campaignId: 'cp_t9' }) }),
      'GET /campaigns/cp_t9': { body: { ...trigger({ campaignId: 'cp_t9' }), counts: counts() } },
    });
    await user.type(await screen.findByRole('textbox', { name: 'Name' }), 'Win them back');
    await user.click(screen.getByRole('radio', { name: 'A lifecycle stage entered' }));
    await user.selectOptions(screen.getByRole('combobox', { name: 'Stage' }), 'Lapsed');
    const wait = screen.getByRole('textbox', { name: 'Wait' });
    await user.clear(wait);
    await user.type(wait, '0');
    await user.click(screen.getByRole('checkbox', { name: /Cooldown/ }));
    const cooldown = screen.getByRole('textbox', { name: 'Cooldown' });
    await user.clear(cooldown);
    await user.type(cooldown, '180');
    await user.selectOptions(screen.getByRole('combobox', { name: 'Email template' }), 'Welcome');
    await user.click(screen.getByRole('button', { name: 'Save draft' }));
    await waitFor(() => expect(router.state.location.pathname).toBe('/triggers/cp_t9'));
    const post = calls.find((c) => c.method === 'POST');
    expect(post?.body).toEqual({
      name: 'Win them back',
      channel: 'email',
      variants: [{ name: 'A', weight: 1, email: 'tp_2' }],
      holdout: { percent: 10 },
      trigger: {
        on: { stage: 'lapsed', where: [], first: false },
        delay: 'PT0S',
        cancelIfPurchased: false,
        cooldown: 'P180D',
        recommendations: 0,
      },
    });
    expect(post?.headers['idempotency-key']).toMatch(/^[0-9a-f-]{36}$/);
  });
});
