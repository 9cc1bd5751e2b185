/**
 * Segments: the list, the rule builder and its JSON view (each follows the other; nothing the
 * schema accepts is lost), the debounced live size, saving (create with an Idempotency-Key; an
 * update sends only what changed and stops at a change made meanwhile), delete refused with the
 * API's 409 message, members paged, and the whole-base count polled to the end.
 */
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { type Answer, contact, list, renderConsole } from './render.tsx';

// jsdom has no document.fonts, which Mantine's autosizing Textarea listens to.
if (!('fonts' in document)) Object.defineProperty(document, 'fonts', { value: new EventTarget() });

const NOW = '2026-11-20T10:00:00.000Z';
const RULE = {
  and: [
    { purchased: { category: 'shoes', within: 'P365D' } },
    { field: 'lifecycle', op: 'in', value: ['new', 'active', 'loyal'] },
    { reachable: 'email' },
  ],
};
const segment = (overrides: Record<string, unknown> = {}) => ({
  segmentId: 'sg_1',
  name: 'Shoe buyers',
  description: 'Bought shoes',
  rule: RULE,
  createdAt: NOW,
  updatedAt: NOW,
  ...overrides,
});
const size = (count: number) => ({
  count,
  reachable: { email: count - 1, sms: 2 },
  scanned: 48,
  complete: true,
  sample: [contact()],
});

/** The answers every segment page needs: lists and segments for the pickers, topics, a preview. */
const base = (extra: Record<string, Answer> = {}): Record<string, Answer> => ({
  'GET /lists': { body: { items: [list()] } },
  'GET /segments': { body: { items: [segment()] } },
  'GET /settings/sending': { body: { topics: [{ name: 'newsletter', defaultStatus: 'subscribed' }] } },
  'POST /segments/preview': { body: size(5) },
  ...extra,
});

const previews = (calls: { method: string; url: URL; body: unknown }[]) =>
  calls.filter((c) => c.method === 'POST' && c.url.pathname === '/segments/preview').map((c) => (c.body as { rule: unknown }).rule);

const jsonView = () => screen.getByRole('textbox', { name: /^Rule as JSON/ }) as HTMLTextAreaElement;

describe('segments list', () => {
  it('lists segments with their rule in words, and leads to a new one', async () => {
    renderConsole('/segments', base());
    expect(await screen.findByRole('link', { name: 'Shoe buyers' })).toHaveAttribute('href', '/segments/sg_1');
    expect(screen.getByText(/bought shoes within P365D and Lifecycle stage is one of new, active, loyal/)).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'New segment' })).toHaveAttribute('href', '/segments/new');
  });

  it('says so when there are none', async () => {
    renderConsole('/segments', base({ 'GET /segments': { body: { items: [] } } }));
    expect(await screen.findByText('No segments yet')).toBeInTheDocument();
  });
});

describe('segment editor', () => {
  it('shows a saved rule in the builder and the JSON view without changing it, and counts it', async () => {
    const { calls } = renderConsole('/segments/sg_1', base({ 'GET /segments/sg_1': { body: segment() } }));
    expect(await screen.findByRole('group', { name: 'Condition 1: Purchased' })).toBeInTheDocument();
    expect(screen.getByRole('group', { name: 'Condition 2: Contact field' })).toBeInTheDocument();
    expect(screen.getByRole('group', { name: 'Condition 3: Reachable' })).toBeInTheDocument();
    expect(JSON.parse(jsonView().value)).toEqual(RULE);
    expect(await screen.findByText('5 contacts')).toBeInTheDocument();
    expect(screen.getByText('email: 4 reachable')).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'Ada Lovelace' })).toHaveAttribute('href', '/contacts/ct_1');
    expect(previews(calls)).toEqual([RULE]);
    expect(screen.getByRole('button', { name: 'Save changes' })).toBeDisabled();
  });

  it('round-trips every kind of node, and keeps what it cannot draw as editable JSON', async () => {
    const user = userEvent.setup();
    const rule = {
      or: [
        { not: { field: 'attributes.vip', op: 'eq', value: true } },
        { field: 'orders', op: 'exists' },
        { field: 'createdAt', op: 'between', value: ['2026-01-01', '2026-02-01T00:00:00Z'] },
        { field: 'lastPurchaseAt', op: 'notWithinLast', value: 'P1Y2M' },
        { field: 'topics.newsletter', op: 'neq', value: 'unsubscribed' },
        { purchased: { sku: 'RUN-42', count: { gte: 2, lt: 5 } } },
        { neverPurchased: { category: 'socks' } },
        { event: { type: 'visit', within: 'P14D', count: { gte: 3 } } },
        { inList: 'ls_1' },
        { and: [{ inSegment: 'sg_1' }, { field: 'attributes.tag', op: 'in', value: ['a', 1] }] },
      ],
    };
    const { calls } = renderConsole('/segments/sg_2', base({ 'GET /segments/sg_2': { body: segment({ segmentId: 'sg_2', rule }) } }));
    const jsonNode = await screen.findByRole('group', { name: 'Condition 10.2: Condition as JSON' });
    expect(screen.getByRole('group', { name: 'Condition 1: Not (contacts that do not match this)' })).toBeInTheDocument();
    expect(screen.getByRole('group', { name: 'Condition 6: Purchased' })).toBeInTheDocument();
    expect(screen.getAllByRole('group', { name: /: Condition as JSON$/ })).toHaveLength(1);
    // The builder drew it all and changed nothing.
    await waitFor(() => expect(previews(calls)).toEqual([rule]));
    expect(JSON.parse(jsonView().value)).toEqual(rule);
    // Editing one node changes that node only; the JSON node's edit lands in the rule.
    const sku = within(screen.getByRole('group', { name: 'Condition 6: Purchased' })).getByLabelText('SKU');
    await user.clear(sku);
    await user.type(sku, 'RUN-43');
    const box = within(jsonNode).getByRole('textbox');
    fireEvent.change(box, { target: { value: '{"field": "attributes.tag", "op": "in", "value": ["a", 2]}' } });
    const expected = structuredClone(rule);
    expected.or[5] = { purchased: { sku: 'RUN-43', count: { gte: 2, lt: 5 } } };
    (expected.or[9] as { and: unknown[] }).and[1] = { field: 'attributes.tag', op: 'in', value: ['a', 2] };
    await waitFor(() => expect(JSON.parse(jsonView().value)).toEqual(expected));
    await waitFor(() => expect(previews(calls).at(-1)).toEqual(expected));
  });

  it('counts 400 ms after the last change, not on every keystroke', async () => {
    const user = userEvent.setup();
    const { calls } = renderConsole('/segments/new', base());
    await screen.findByText('5 contacts');
    await user.selectOptions(screen.getByLabelText('Kind of condition to add to The rule'), 'purchased');
    await user.click(screen.getByRole('button', { name: 'Add a condition to The rule' }));
    const node = await screen.findByRole('group', { name: 'Condition 2: Purchased' });
    // An empty category is refused by the schema: no count, and the message on the input.
    expect(await within(node).findByText(/must be a non-empty string/)).toBeInTheDocument();
    expect(screen.getByText('Fix the rule to see how many contacts match.')).toBeInTheDocument();
    await user.type(within(node).getByLabelText('Category'), 'shoes');
    const shoes = { and: [{ reachable: 'email' }, { purchased: { category: 'shoes', within: 'P90D' } }] };
    await waitFor(() => expect(previews(calls).at(-1)).toEqual(shoes));
    const withCategory = previews(calls).filter((r) => JSON.stringify(r).includes('category'));
    expect(withCategory.length).toBeLessThan(5);
    expect(JSON.parse(jsonView().value)).toEqual(shoes);
  });

  it('follows the JSON view: a rule typed there shows in the builder, errors on their node, bad JSON said so', async () => {
    const { calls } = renderConsole('/segments/new', base());
    await screen.findByText('5 contacts');
    fireEvent.change(jsonView(), { target: { value: '{"and": [{"field": "tier", "op": "eq", "value": "Z"}]' } });
    expect(await screen.findByText(/Not valid JSON/)).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Save segment' })).toBeInTheDocument();
    fireEvent.change(jsonView(), { target: { value: '{"and": [{"field": "tier", "op": "eq", "value": "Z"}]}' } });
    const node = await screen.findByRole('group', { name: 'Condition 1: Contact field' });
    expect(within(node).getByLabelText('Field')).toHaveValue('tier');
    expect(within(node).getByText('must be one of A, B, C')).toBeInTheDocument();
    expect(screen.getByText('rule.and.0.value')).toBeInTheDocument();
    const before = previews(calls).length;
    await userEvent.setup().selectOptions(within(node).getByLabelText('Value'), 'A');
    await waitFor(() => expect(previews(calls).at(-1)).toEqual({ and: [{ field: 'tier', op: 'eq', value: 'A' }] }));
    expect(previews(calls).length).toBe(before + 1);
  });

  it('edits a list of values one a line, as text or as numbers', async () => {
    const user = userEvent.setup();
    const rule = {
      and: [
        { field: 'email', op: 'in', value: ['a@example.com', 'b@example.com'] },
        { field: 'orders', op: 'nin', value: [1, 2] },
      ],
    };
    renderConsole('/segments/sg_3', base({ 'GET /segments/sg_3': { body: segment({ segmentId: 'sg_3', rule }) } }));
    const emails = within(await screen.findByRole('group', { name: 'Condition 1: Contact field' })).getByLabelText('Values (one a line)');
    expect(emails).toHaveValue('a@example.com\nb@example.com');
    await user.type(emails, '{Enter}c@example.com');
    const orders = within(screen.getByRole('group', { name: 'Condition 2: Contact field' })).getByLabelText('Values (numbers, one a line)');
    await user.type(orders, '{Enter}x');
    expect(await screen.findByText('must be numbers, one a line')).toBeInTheDocument();
    await user.type(orders, '{Backspace}3');
    await waitFor(() =>
      expect(JSON.parse(jsonView().value)).toEqual({
        and: [
          { field: 'email', op: 'in', value: ['a@example.com', 'b@example.com', 'c@example.com'] },
          { field: 'orders', op: 'nin', value: [1, 2, 3] },
        ],
      }),
    );
  });

  it("shows the API's objection to a rule on the node it names", async () => {
    renderConsole(
      '/segments/new',
      base({
        'POST /segments/preview': ({ body }) =>
          JSON.stringify(body).includes('sg_gone')
            ? {
                status: 400,
                body: {
                  error: {
                    message: 'body.rule.and.0.inSegment: names no segment (sg_gone)',
                    details: { issues: [{ field: 'body.rule.and.0.inSegment', message: 'names no segment (sg_gone)' }] },
                  },
                },
              }
            : { body: size(5) },
      }),
    );
    await screen.findByText('5 contacts');
    fireEvent.change(jsonView(), { target: { value: '{"and": [{"inSegment": "sg_gone"}]}' } });
    const node = await screen.findByRole('group', { name: 'Condition 1: In a segment' });
    expect(await within(node).findByText('names no segment (sg_gone)')).toBeInTheDocument();
    expect(within(node).getByLabelText('Segment')).toHaveValue('sg_gone');
  });

  it('creates a segment with an Idempotency-Key and opens it', async () => {
    const user = userEvent.setup();
    const { calls, router } = renderConsole(
      '/segments/new',
      base({
        'POST /segments': ({ body }) => ({ status: 201, body: segment({ segmentId: 'sg_9', ...(body as object) }) }),
        'GET /segments/sg_9': { body: segment({ segmentId: 'sg_9', name: 'SMS people', rule: { and: [{ reachable: 'sms' }] } }) },
      }),
    );
    await screen.findByText('5 contacts');
    await user.click(screen.getByRole('button', { name: 'Save segment' }));
    expect(await screen.findByText('must not be empty')).toBeInTheDocument();
    await user.type(screen.getByLabelText(/^Name/), 'SMS people');
    await user.selectOptions(screen.getByLabelText('Reachable by'), 'sms');
    await user.click(screen.getByRole('button', { name: 'Save segment' }));
    await waitFor(() => expect(router.state.location.pathname).toBe('/segments/sg_9'));
    const post = calls.find((c) => c.method === 'POST' && c.url.pathname === '/segments');
    expect(post?.body).toEqual({ name: 'SMS people', rule: { and: [{ reachable: 'sms' }] } });
    expect(post?.headers['idempotency-key']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('stops a save over a change made meanwhile, then saves only what changed when asked', async () => {
    const user = userEvent.setup();
    let reads = 0;
    const { calls } = renderConsole(
      '/segments/sg_1',
      base({
        'GET /segments/sg_1': () => ({ body: segment(reads++ === 0 ? {} : { updatedAt: '2026-11-21T09:00:00.000Z', name: 'Theirs' }) }),
        'PATCH /segments/sg_1': ({ body }) => ({ body: segment({ ...(body as object), updatedAt: '2026-11-22T09:00:00.000Z' }) }),
      }),
    );
    const node = await screen.findByRole('group', { name: 'Condition 1: Purchased' });
    await user.click(within(node).getByRole('button', { name: 'Add a count' }));
    await user.click(screen.getByRole('button', { name: 'Save changes' }));
    expect(await screen.findByText('Changed since you opened it')).toBeInTheDocument();
    expect(calls.filter((c) => c.method === 'PATCH')).toHaveLength(0);
    await user.click(screen.getByRole('button', { name: 'Save mine anyway' }));
    await waitFor(() => expect(calls.filter((c) => c.method === 'PATCH')).toHaveLength(1));
    const patch = calls.find((c) => c.method === 'PATCH');
    expect(patch?.body).toEqual({
      rule: { ...RULE, and: [{ purchased: { category: 'shoes', within: 'P365D', count: { gte: 2 } } }, ...RULE.and.slice(1)] },
    });
    await waitFor(() => expect(screen.getByRole('button', { name: 'Save changes' })).toBeDisabled());
  });

  it('asks before leaving with unsaved changes', async () => {
    const user = userEvent.setup();
    const { router } = renderConsole('/segments/sg_1', base({ 'GET /segments/sg_1': { body: segment() } }));
    const name = await screen.findByLabelText(/^Name/);
    await user.type(name, ' (new)');
    await user.click(screen.getByRole('link', { name: 'Lists' }));
    const dialog = await screen.findByRole('dialog', { name: 'Leave without saving?' });
    await user.click(within(dialog).getByRole('button', { name: 'Stay' }));
    expect(router.state.location.pathname).toBe('/segments/sg_1');
    expect(screen.getByLabelText(/^Name/)).toHaveValue('Shoe buyers (new)');
    await user.click(screen.getByRole('link', { name: 'Lists' }));
    await user.click(within(await screen.findByRole('dialog', { name: 'Leave without saving?' })).getByRole('button', { name: 'Leave' }));
    await waitFor(() => expect(router.state.location.pathname).toBe('/lists'));
  });

  it("refuses to delete a segment another refers to, with the API's message", async () => {
    const user = userEvent.setup();
    renderConsole(
      '/segments/sg_1',
      base({
        'GET /segments/sg_1': { body: segment() },
        'DELETE /segments/sg_1': {
          status: 409,
          body: { error: { message: 'segment sg_2 (Refers) refers to this segment; change it first' } },
        },
      }),
    );
    await user.click(await screen.findByRole('button', { name: 'Delete' }));
    const dialog = await screen.findByRole('dialog', { name: 'Delete this segment?' });
    await user.click(within(dialog).getByRole('button', { name: 'Delete' }));
    expect(await within(dialog).findByText('segment sg_2 (Refers) refers to this segment; change it first')).toBeInTheDocument();
    expect(within(dialog).getByText('Could not delete (409)')).toBeInTheDocument();
  });

  it('pages the members and counts the whole base until done', async () => {
    const user = userEvent.setup();
    let polls = 0;
    const count = (status: string, partsDone: number) => ({
      countId: 'cn_1',
      segmentId: 'sg_1',
      status,
      partsDone,
      parts: 16,
      count: 120,
      reachable: { email: 100, sms: 30 },
      scanned: 4000,
      complete: status === 'done',
      at: NOW,
    });
    const { calls } = renderConsole(
      '/segments/sg_1',
      base({
        'GET /segments/sg_1': { body: segment() },
        'GET /segments/sg_1/members': ({ url }) => ({
          body: url.searchParams.get('cursor')
            ? { items: [contact({ contactId: 'ct_2', firstName: 'Grace', lastName: 'Hopper', email: 'grace@example.com' })] }
            : { items: [contact()], cursor: 'c2' },
        }),
        'POST /segments/sg_1/counts': { status: 202, body: count('running', 0) },
        'GET /segments/sg_1/counts/cn_1': () => ({ body: ++polls < 2 ? count('running', 8) : count('done', 16) }),
      }),
    );
    await user.click(await screen.findByRole('tab', { name: 'Members' }));
    expect(await screen.findByRole('link', { name: 'Ada Lovelace' })).toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: 'Next page' }));
    expect(await screen.findByRole('link', { name: 'Grace Hopper' })).toBeInTheDocument();
    expect(calls.some((c) => c.url.searchParams.get('cursor') === 'c2')).toBe(true);
    await user.click(screen.getByRole('button', { name: 'Start a count' }));
    expect(await screen.findByText(/Running: 0 of 16 parts done/)).toBeInTheDocument();
    expect(await screen.findByText(/^Done · 120 contacts match/, {}, { timeout: 5000 })).toBeInTheDocument();
    expect(polls).toBeGreaterThanOrEqual(2);
  });
});
