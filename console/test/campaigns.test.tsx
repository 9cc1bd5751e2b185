/**
 * Campaign pages: the list with live counts, the wizard (the API's schema on each step, the review's
 * numbers from segment previews, POST with an Idempotency-Key, PATCH, replacing a draft whose schedule
 * is removed, the API's field errors on the step that owns them), a campaign's actions behind
 * confirmations (a 409 shown in the dialog), live progress by polling, and the recipients filter.
 */
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { apiError, campaign, counts, references, size, trigger, variantCounts } from './campaigns-data.ts';
import { renderConsole } from './render.tsx';

/** Segment previews: the audience, those reachable by email, those also subscribed to `offers`. */
const previews = ({ body }: { body: unknown }) => {
  const rule = JSON.stringify((body as { rule: unknown }).rule);
  if (rule.includes('topics.offers')) return { body: size(10) };
  if (rule.includes('reachable')) return { body: size(13) };
  return { body: size(15, { email: 13, sms: 2 }) };
};

type User = ReturnType<typeof userEvent.setup>;
/** Picks a value of a select by its label (the `index`th select of that name). */
const choose = (user: User, label: string, value: string, index = 0) =>
  user.selectOptions(screen.getAllByRole('combobox', { name: label })[index]!, value);
/** Ticks an option in a group of checkboxes (segments, lists). */
const tick = (user: User, group: string, option: string) =>
  user.click(within(screen.getByRole('group', { name: group })).getByRole('checkbox', { name: option }));

describe('campaigns list', () => {
  it('shows one-off campaigns newest first, with the live counts of a launched one', async () => {
    renderConsole('/campaigns', {
      'GET /campaigns': {
        body: {
          items: [
            campaign({ campaignId: 'cp_old', name: 'Old one' }),
            trigger(),
            campaign({ campaignId: 'cp_new', name: 'New one', status: 'sending' }),
          ],
        },
      },
      'GET /campaigns/cp_new': {
        body: {
          ...campaign({ campaignId: 'cp_new', name: 'New one', status: 'sending' }),
          counts: counts({ audience: 5, holdout: 1, variants: { A: variantCounts({ queued: 4, sent: 3 }) }, audienceResolved: true }),
        },
      },
    });
    const table = await screen.findByRole('table', { name: 'Campaigns' });
    const rows = within(table).getAllByRole('row').slice(1);
    expect(rows.map((r) => within(r).getAllByRole('cell')[0]?.textContent)).toEqual(['New one', 'Old one']);
    expect(await within(table).findByText('3 sent · 4 of 5 done')).toBeInTheDocument();
    expect(within(rows[1]!).getByText('Not launched')).toBeInTheDocument();
  });
});

describe('campaign wizard', () => {
  it('checks each step with the API schema, counts what would be sent, and saves a new draft', async () => {
    const user = userEvent.setup();
    const { calls, router } = renderConsole('/campaigns/new', {
      ...references,
      'POST /segments/preview': previews,
      'POST /campaigns': ({ body }) => ({ status: 201, body: campaign({ ...(body as object), campaignId: 'cp_new' }) }),
      'GET /campaigns/cp_new': { body: { ...campaign({ campaignId: 'cp_new', name: 'Spring sale' }), counts: counts() } },
    });

    // Step 1: nothing filled in; the API's own messages, without a request.
    await user.click(await screen.findByRole('button', { name: 'Next' }));
    expect(await screen.findByText('must not be empty')).toBeInTheDocument();
    expect(screen.getByText('name at least one segment or list')).toBeInTheDocument();
    expect(screen.getByRole('button', { name: /Audience/ })).toHaveTextContent('Needs a fix');
    await user.type(screen.getByLabelText(/Campaign name/), 'Spring sale');
    await tick(user, 'Segments', 'Shoe buyers');
    await user.click(screen.getByRole('button', { name: 'Next' }));

    // Step 2: channel, topic, holdout.
    expect(await screen.findByRole('heading', { name: 'Channel and holdout' })).toHaveFocus();
    await choose(user, 'Topic', 'offers');
    expect(screen.getByRole('option', { name: 'Offers and sales (offers, opt-in)' })).toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: 'Next' }));

    // Step 3: a variant needs its template.
    await user.click(await screen.findByRole('button', { name: 'Next' }));
    expect(await screen.findByText('a email template is needed for channel email')).toBeInTheDocument();
    await choose(user, 'Email template', 'tp_1');
    await user.click(screen.getByRole('button', { name: 'Add a variant' }));
    await choose(user, 'Email template', 'tp_2', 1);
    await user.click(screen.getByRole('button', { name: 'Next' }));
    await user.click(await screen.findByRole('button', { name: 'Next' }));
    await user.click(await screen.findByRole('button', { name: 'Next' }));

    // Review: the numbers, and what is an estimate.
    const sent = await screen.findByRole('row', { name: /Messages to send/ });
    expect(sent).toHaveTextContent('≈ 9');
    expect(screen.getByRole('row', { name: /Contacts in the audience/ })).toHaveTextContent('15');
    expect(screen.getByRole('row', { name: /Not reachable by email/ })).toHaveTextContent('− 2');
    expect(screen.getByRole('row', { name: /Not subscribed to the topic offers/ })).toHaveTextContent('− 3');
    expect(screen.getByRole('row', { name: /Holdout, 10% drawn at random \(an estimate\)/ })).toHaveTextContent('− ≈ 1');
    expect(screen.getByRole('row', { name: /Variant A/ })).toHaveTextContent('≈ 5');
    expect(screen.getByRole('row', { name: /Variant B/ })).toHaveTextContent('≈ 4');
    expect(screen.getByText(/at most 3 messages in 7 days/)).toBeInTheDocument();
    const rules = calls.filter((c) => c.url.pathname === '/segments/preview').map((c) => (c.body as { rule: unknown }).rule);
    expect(rules).toEqual(
      expect.arrayContaining([
        { inSegment: 'sg_1' },
        { and: [{ inSegment: 'sg_1' }, { reachable: 'email' }] },
        { and: [{ and: [{ inSegment: 'sg_1' }, { reachable: 'email' }] }, { field: 'topics.offers', op: 'eq', value: 'subscribed' }] },
      ]),
    );

    await user.click(screen.getByRole('button', { name: 'Save draft' }));
    await waitFor(() => expect(router.state.location.pathname).toBe('/campaigns/cp_new'));
    const post = calls.find((c) => c.method === 'POST' && c.url.pathname === '/campaigns');
    expect(post?.body).toEqual({
      name: 'Spring sale',
      channel: 'email',
      variants: [
        { name: 'A', weight: 1, email: 'tp_1' },
        { name: 'B', weight: 1, email: 'tp_2' },
      ],
      audience: { segments: ['sg_1'], lists: [], excludeSegments: [], excludeLists: [] },
      holdout: { percent: 10 },
      attributionDays: 7,
      goal: { event: 'purchase' },
      topic: 'offers',
    });
    expect(post?.headers['idempotency-key']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it("shows the API's field error on the step that owns the field", async () => {
    const user = userEvent.setup();
    const { calls } = renderConsole('/campaigns/cp_1/edit', {
      ...references,
      'POST /segments/preview': previews,
      'GET /campaigns/cp_1': { body: { ...campaign(), counts: counts() } },
      'PATCH /campaigns/cp_1': apiError(400, 'body.variants.0.email: names no template (tp_1)', [
        { field: 'body.variants.0.email', message: 'names no template (tp_1)' },
      ]),
    });
    await user.click(await screen.findByRole('button', { name: /Review/ }));
    await user.click(await screen.findByRole('button', { name: 'Save draft' }));
    expect(await screen.findByRole('heading', { name: 'Variants' })).toHaveFocus();
    expect(screen.getByText('names no template (tp_1)')).toBeInTheDocument();
    expect(screen.getByRole('button', { name: /Variants/ })).toHaveTextContent('Needs a fix');
    expect(calls.find((c) => c.method === 'PATCH')?.body).toMatchObject({ name: 'Shoe week', topic: 'offers', holdout: { percent: 10 } });
  });

  it('removes a topic with null in the PATCH', async () => {
    const user = userEvent.setup();
    const { calls, router } = renderConsole('/campaigns/cp_1/edit', {
      ...references,
      'POST /segments/preview': previews,
      'GET /campaigns/cp_1': { body: { ...campaign(), counts: counts() } },
      'PATCH /campaigns/cp_1': ({ body }) => ({ body: campaign({ ...(body as object), topic: undefined }) }),
    });
    await user.click(await screen.findByRole('button', { name: /Channel and holdout/ }));
    await choose(user, 'Topic', '');
    await user.click(screen.getByRole('button', { name: 'Save draft' }));
    await waitFor(() => expect(router.state.location.pathname).toBe('/campaigns/cp_1'));
    expect(calls.find((c) => c.method === 'PATCH')?.body).toMatchObject({ topic: null, name: 'Shoe week' });
  });

  it('replaces a draft whose schedule is removed (a PATCH cannot remove it)', async () => {
    const user = userEvent.setup();
    const { calls, router } = renderConsole('/campaigns/cp_1/edit', {
      ...references,
      'POST /segments/preview': previews,
      'GET /campaigns/cp_1': { body: { ...campaign({ schedule: { at: '2026-12-24T09:00:00Z', localTime: true } }), counts: counts() } },
      'POST /campaigns': ({ body }) => ({ status: 201, body: campaign({ ...(body as object), campaignId: 'cp_2' }) }),
      'DELETE /campaigns/cp_1': { status: 204 },
      'GET /campaigns/cp_2': { body: { ...campaign({ campaignId: 'cp_2' }), counts: counts() } },
    });
    await user.click(await screen.findByRole('button', { name: /Delivery/ }));
    expect(screen.getByLabelText("Send at (each recipient's local time)")).toHaveValue('2026-12-24T09:00');
    await user.click(screen.getByRole('radio', { name: 'At launch' }));
    await user.click(screen.getByRole('button', { name: /Review/ }));
    expect(await screen.findByText('Saving replaces this draft')).toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: 'Save as a new draft' }));
    await waitFor(() => expect(router.state.location.pathname).toBe('/campaigns/cp_2'));
    expect(
      calls.filter((c) => c.method !== 'GET' && c.url.pathname !== '/segments/preview').map((c) => `${c.method} ${c.url.pathname}`),
    ).toEqual(['POST /campaigns', 'DELETE /campaigns/cp_1']);
    const post = calls.find((c) => c.method === 'POST' && c.url.pathname === '/campaigns');
    expect(post?.body).toMatchObject({ name: 'Shoe week', topic: 'offers' });
    expect(post?.body).not.toHaveProperty('schedule');
  });
});

describe('a campaign', () => {
  it("asks before launching and shows the API's 409 in the dialog", async () => {
    const user = userEvent.setup();
    const { calls } = renderConsole('/campaigns/cp_1', {
      ...references,
      'POST /segments/preview': previews,
      'GET /campaigns/cp_1': { body: { ...campaign(), counts: counts() } },
      'POST /campaigns/cp_1/launch': apiError(409, 'cannot launch a campaign that is sending (allowed from: draft)'),
    });
    expect(await screen.findByRole('row', { name: /Messages to send/ })).toHaveTextContent('≈ 9');
    await user.click(screen.getByRole('button', { name: 'Launch…' }));
    const dialog = await screen.findByRole('dialog', { name: 'Launch this campaign?' });
    expect(within(dialog).getByText(/starts sending now/)).toBeInTheDocument();
    expect(calls.some((c) => c.url.pathname.endsWith('/launch'))).toBe(false);
    await user.click(within(dialog).getByRole('button', { name: 'Launch' }));
    expect(await within(dialog).findByText('cannot launch a campaign that is sending (allowed from: draft)')).toBeInTheDocument();
    expect(within(dialog).getByText('Could not launch (409)')).toBeInTheDocument();
  });

  it('follows the counts every 2 s while sending, and pauses after confirmation', async () => {
    const user = userEvent.setup();
    let reads = 0;
    const { calls } = renderConsole('/campaigns/cp_1', {
      ...references,
      'GET /campaigns/cp_1': () => {
        reads++;
        const sent = reads === 1 ? 1 : 3;
        return {
          body: {
            ...campaign({ status: 'sending', launchedAt: '2026-11-20T10:00:00.000Z' }),
            counts: counts({
              audience: 6,
              holdout: 1,
              variants: { A: variantCounts({ queued: 4, sent, delivered: sent - 1, opened: 1 }) },
              skipped: { topic_unsubscribed: 1 },
              audienceResolved: true,
            }),
          },
        };
      },
      'GET /campaigns/cp_1/recipients': { body: { items: [] } },
      'POST /campaigns/cp_1/pause': { body: campaign({ status: 'paused' }) },
    });
    expect(await screen.findByText('1 of 4 assigned to a variant (25%)')).toBeInTheDocument();
    expect(screen.getByRole('progressbar', { name: /^Done: 3 of 6 recipients/ })).toBeInTheDocument();
    expect(screen.getByText('Not subscribed to the topic: 1')).toBeInTheDocument();
    expect(await screen.findByText('3 of 4 assigned to a variant (75%)', {}, { timeout: 4000 })).toBeInTheDocument();
    expect(screen.getByText('2 of 3 sent (66.7%)')).toBeInTheDocument();

    await user.click(screen.getByRole('button', { name: 'Pause…' }));
    const dialog = await screen.findByRole('dialog', { name: 'Pause sending?' });
    await user.click(within(dialog).getByRole('button', { name: 'Pause' }));
    await waitFor(() => expect(calls.some((c) => c.method === 'POST' && c.url.pathname === '/campaigns/cp_1/pause')).toBe(true));
  });

  it("filters the recipients by status and links each to the contact's page", async () => {
    const user = userEvent.setup();
    const record = (contactId: string, status: string, extra: Record<string, unknown> = {}) => ({
      sendId: `cp_1.${contactId}`,
      campaignId: 'cp_1',
      contactId,
      status,
      channel: 'email',
      createdAt: '2026-11-20T10:00:00.000Z',
      updatedAt: '2026-11-20T10:00:00.000Z',
      ...extra,
    });
    const { calls } = renderConsole('/campaigns/cp_1', {
      ...references,
      'GET /campaigns/cp_1': { body: { ...campaign({ status: 'completed' }), counts: counts({ audience: 2, audienceResolved: true }) } },
      'GET /campaigns/cp_1/recipients': {
        body: { items: [record('ct_1', 'sent', { variant: 'A' }), record('ct_2', 'skipped', { reason: 'no_consent' })] },
      },
      'GET /campaigns/cp_1/recipients?limit=50&status=skipped': { body: { items: [record('ct_2', 'skipped', { reason: 'no_consent' })] } },
    });
    const table = await screen.findByRole('table', { name: 'Recipients' });
    expect(within(table).getByRole('link', { name: 'ct_1' })).toHaveAttribute('href', '/contacts/ct_1');
    await user.selectOptions(screen.getByRole('combobox', { name: 'Status' }), 'skipped');
    await waitFor(() => expect(within(table).queryByRole('link', { name: 'ct_1' })).toBeNull());
    expect(within(table).getByText('No consent or no address on the channel')).toBeInTheDocument();
    expect(calls.at(-1)?.url.searchParams.get('status')).toBe('skipped');
  });
});
