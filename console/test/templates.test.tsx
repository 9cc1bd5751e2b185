/**
 * Templates: the list and creating one, the editor (only what changed is sent; a Liquid error
 * lands on its field with a way to its line; a version saved meanwhile stops the save), the
 * preview for a contact picked by email (email HTML in a sandboxed iframe, SMS with encoding
 * and segments; a render error on its field), test sends with each recipient's outcome, delete.
 */
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { type Answer, contact, renderConsole } from './render.tsx';

// jsdom has no document.fonts, which Mantine's autosizing Textarea listens to.
if (!('fonts' in document)) Object.defineProperty(document, 'fonts', { value: new EventTarget() });

const NOW = '2026-11-20T10:00:00.000Z';
const HTML = '<h1>Hi {{ contact.firstName }}</h1>\n<p>Shoes are 20% off.</p>';
const template = (overrides: Record<string, unknown> = {}) => ({
  templateId: 'tp_1',
  name: 'Shoe offer',
  channel: 'email',
  email: { subject: '{{ contact.firstName }}, 20% off', html: HTML },
  createdAt: NOW,
  updatedAt: NOW,
  version: 1,
  ...overrides,
});
const sms = template({
  templateId: 'tp_2',
  name: 'Flash SMS',
  channel: 'sms',
  email: undefined,
  sms: { body: 'Hi {{ contact.firstName }} €' },
});
const grace = contact({ contactId: 'ct_2', firstName: 'Grace', lastName: 'Hopper', email: 'grace@example.com' });

const emailPreview = ({ body }: { body: unknown }) => {
  const id = (body as { contactId: string }).contactId;
  const name = id === 'ct_2' ? 'Grace' : 'Ada';
  return {
    body: {
      channel: 'email',
      templateId: 'tp_1',
      contactId: id,
      subject: `${name}, 20% off`,
      html: `<h1>Hi ${name}</h1><script>parent.alert(1)</script>`,
      text: `Hi ${name}`,
    },
  };
};

const base = (extra: Record<string, Answer> = {}): Record<string, Answer> => ({
  'GET /templates/tp_1': { body: template() },
  'GET /contacts?limit=1': { body: { items: [contact()] } },
  'GET /contacts': ({ url }) => ({ body: { items: url.searchParams.get('email') === 'gra' ? [grace] : [contact()] } }),
  'POST /templates/tp_1/preview': emailPreview,
  ...extra,
});

const patches = (calls: { method: string; body: unknown }[]) => calls.filter((c) => c.method === 'PATCH').map((c) => c.body);
const previewCalls = (calls: { method: string; url: URL; body: unknown }[]) =>
  calls.filter((c) => c.method === 'POST' && c.url.pathname.endsWith('/preview'));

describe('templates list', () => {
  it('lists templates and creates one with starter content, an Idempotency-Key, then opens it', async () => {
    const user = userEvent.setup();
    const { calls, router } = renderConsole('/templates', {
      'GET /templates': { body: { items: [template(), sms] } },
      'POST /templates': ({ body }) => ({ status: 201, body: template({ templateId: 'tp_9', ...(body as object) }) }),
      'GET /templates/tp_9': {
        body: template({ templateId: 'tp_9', name: 'Welcome', channel: 'sms', email: undefined, sms: { body: 'x' } }),
      },
      'GET /contacts': { body: { items: [] } },
    });
    expect(await screen.findByRole('link', { name: 'Shoe offer' })).toHaveAttribute('href', '/templates/tp_1');
    expect(screen.getByText('Hi {{ contact.firstName }} €')).toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: 'New template' }));
    const dialog = await screen.findByRole('dialog', { name: 'New template' });
    await user.click(within(dialog).getByRole('button', { name: 'Create' }));
    expect(await within(dialog).findByText('must not be empty')).toBeInTheDocument();
    await user.type(within(dialog).getByLabelText(/Name/), 'Welcome');
    await user.click(within(dialog).getByLabelText('SMS'));
    await user.click(within(dialog).getByRole('button', { name: 'Create' }));
    await waitFor(() => expect(router.state.location.pathname).toBe('/templates/tp_9'));
    const post = calls.find((c) => c.method === 'POST');
    expect(post?.body).toMatchObject({ name: 'Welcome', channel: 'sms', sms: { body: expect.stringContaining('{{ contact.firstName') } });
    expect(post?.body).not.toHaveProperty('email');
    expect(post?.headers['idempotency-key']).toMatch(/^[0-9a-f-]{36}$/);
  });
});

describe('template editor', () => {
  it('renders the preview for the first contact in a sandboxed iframe, then for a contact found by email', async () => {
    const user = userEvent.setup();
    const { calls } = renderConsole('/templates/tp_1', base());
    const frame = (await screen.findByTitle('Email preview for Ada Lovelace')) as HTMLIFrameElement;
    // sandbox="" : no scripts, no forms, no navigation, an opaque origin.
    expect(frame.getAttribute('sandbox')).toBe('');
    expect(frame.getAttribute('srcdoc')).toBe('<h1>Hi Ada</h1><script>parent.alert(1)</script>');
    expect(screen.getByText('Ada, 20% off')).toBeInTheDocument();
    await user.type(screen.getByLabelText(/Preview for another contact/), 'gra');
    await user.click(
      await within(await screen.findByRole('list', { name: 'Matching contacts' })).findByRole('button', { name: 'grace@example.com' }),
    );
    expect(await screen.findByTitle('Email preview for Grace Hopper')).toHaveAttribute(
      'srcdoc',
      '<h1>Hi Grace</h1><script>parent.alert(1)</script>',
    );
    expect(previewCalls(calls).map((c) => c.body)).toEqual([{ contactId: 'ct_1' }, { contactId: 'ct_2' }]);
  });

  it('shows an SMS with its encoding and segment count', async () => {
    renderConsole('/templates/tp_2', {
      'GET /templates/tp_2': { body: sms },
      'GET /contacts?limit=1': { body: { items: [contact()] } },
      'POST /templates/tp_2/preview': {
        body: { channel: 'sms', templateId: 'tp_2', contactId: 'ct_1', body: 'Hi Ada €', encoding: 'UCS-2', characters: 8, segments: 1 },
      },
    });
    expect(await screen.findByTestId('sms-preview')).toHaveTextContent('Hi Ada €');
    expect(screen.getByText('UCS-2')).toBeInTheDocument();
    expect(screen.getByText('8 characters · 1 segment')).toBeInTheDocument();
    expect(screen.getByLabelText(/^Message/)).toHaveValue('Hi {{ contact.firstName }} €');
  });

  it('puts a Liquid error on the field and line the API names, and saves only what changed', async () => {
    const user = userEvent.setup();
    const { calls } = renderConsole(
      '/templates/tp_1',
      base({
        'PATCH /templates/tp_1': ({ body }) => {
          const html = (body as { email?: { html: string } }).email?.html ?? '';
          if (html.includes('iff'))
            return {
              status: 400,
              body: {
                error: {
                  message: 'body.email.html: line 2: tag "iff" not found',
                  details: { issues: [{ field: 'body.email.html', message: 'line 2: tag "iff" not found' }] },
                },
              },
            };
          return { body: template({ ...(body as object), version: 2, updatedAt: '2026-11-21T10:00:00.000Z' }) };
        },
      }),
    );
    await screen.findByTitle('Email preview for Ada Lovelace');
    const html = screen.getByRole('textbox', { name: 'HTML' }) as HTMLTextAreaElement;
    fireEvent.change(html, { target: { value: '<h1>Hi</h1>\n<p>{% iff x %}</p>\n<p>end</p>' } });
    expect(screen.getByText(/The preview shows the saved version 1/)).toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: 'Save changes' }));
    expect(await screen.findByText('line 2: tag "iff" not found')).toBeInTheDocument();
    expect(html).toHaveAttribute('aria-invalid', 'true');
    await user.click(screen.getByRole('button', { name: 'Go to line 2' }));
    expect(document.activeElement).toBe(html);
    expect(html.value.slice(html.selectionStart, html.selectionEnd)).toBe('<p>{% iff x %}</p>');
    expect(patches(calls)).toEqual([
      { email: { subject: '{{ contact.firstName }}, 20% off', html: '<h1>Hi</h1>\n<p>{% iff x %}</p>\n<p>end</p>' } },
    ]);

    fireEvent.change(html, { target: { value: '<h1>Hi</h1>' } });
    await user.type(screen.getByLabelText('Preheader'), 'Soon gone');
    await user.click(screen.getByRole('button', { name: 'Save changes' }));
    expect(await screen.findByText(/version 2 · updated/)).toBeInTheDocument();
    expect(patches(calls)[1]).toEqual({
      email: { subject: '{{ contact.firstName }}, 20% off', html: '<h1>Hi</h1>', preheader: 'Soon gone' },
    });
    // The preview renders the new version.
    await waitFor(() => expect(previewCalls(calls).length).toBe(2));
    expect(screen.queryByText(/The preview shows the saved version/)).not.toBeInTheDocument();
  });

  it('stops a save over a version saved meanwhile, and can load that version', async () => {
    const user = userEvent.setup();
    let reads = 0;
    const { calls } = renderConsole(
      '/templates/tp_1',
      base({
        'GET /templates/tp_1': () => ({ body: reads++ === 0 ? template() : template({ version: 3, name: 'Their name' }) }),
      }),
    );
    const name = await screen.findByLabelText(/^Name/);
    await user.clear(name);
    await user.type(name, 'My name');
    await user.click(screen.getByRole('button', { name: 'Save changes' }));
    expect(await screen.findByText('Changed since you opened it')).toBeInTheDocument();
    expect(patches(calls)).toEqual([]);
    await user.click(screen.getByRole('button', { name: 'Load version 3' }));
    expect(screen.getByLabelText(/^Name/)).toHaveValue('Their name');
    expect(screen.getByText(/version 3 · updated/)).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Save changes' })).toBeDisabled();
  });

  it('puts a render error from the preview on the field it names', async () => {
    renderConsole(
      '/templates/tp_1',
      base({
        'POST /templates/tp_1/preview': {
          status: 400,
          body: {
            error: {
              message: 'template.email.subject: cannot be rendered for this contact: invalid date',
              details: { issues: [{ field: 'template.email.subject', message: 'cannot be rendered for this contact: invalid date' }] },
            },
          },
        },
      }),
    );
    expect(await screen.findByText('Could not render the template for this contact (400)')).toBeInTheDocument();
    expect(await screen.findByText('cannot be rendered for this contact: invalid date')).toBeInTheDocument();
    expect(screen.getByLabelText(/^Subject/)).toHaveAttribute('aria-invalid', 'true');
  });

  it('sends a test to the addresses given, for the preview contact, with each outcome', async () => {
    const user = userEvent.setup();
    const { calls } = renderConsole(
      '/templates/tp_1',
      base({
        'POST /templates/tp_1/test': {
          body: {
            sent: [
              { to: 'me@example.com', messageId: 'ses-1' },
              { to: 'bad@example.com', error: 'address is suppressed' },
            ],
          },
        },
      }),
    );
    await screen.findByTitle('Email preview for Ada Lovelace');
    await user.type(screen.getByRole('textbox', { name: /^To \(up to 5 email addresses\)/ }), 'me@example.com, bad@example.com');
    await user.click(screen.getByRole('button', { name: 'Send test' }));
    const results = await screen.findByRole('list', { name: 'Test send results' });
    expect(within(results).getByText('✓ Sent to me@example.com (message ses-1)')).toBeInTheDocument();
    expect(within(results).getByText('✗ bad@example.com: address is suppressed')).toBeInTheDocument();
    expect(calls.find((c) => c.url.pathname.endsWith('/test'))?.body).toEqual({
      to: ['me@example.com', 'bad@example.com'],
      contactId: 'ct_1',
    });
  });

  it("says why a test cannot go out, with the API's message", async () => {
    const user = userEvent.setup();
    renderConsole(
      '/templates/tp_1',
      base({
        'POST /templates/tp_1/test': {
          status: 400,
          body: {
            error: {
              message: 'settings.email.from: set the sender identity first (PUT /settings/sending)',
              details: { issues: [{ field: 'settings.email.from', message: 'set the sender identity first (PUT /settings/sending)' }] },
            },
          },
        },
      }),
    );
    await screen.findByTitle('Email preview for Ada Lovelace');
    await user.type(screen.getByRole('textbox', { name: /^To/ }), 'me@example.com');
    await user.click(screen.getByRole('checkbox', { name: /Render it for Ada Lovelace/ }));
    await user.click(screen.getByRole('button', { name: 'Send test' }));
    expect(await screen.findByText('settings.email.from: set the sender identity first (PUT /settings/sending)')).toBeInTheDocument();
    expect(screen.getByText('Could not send the test (400)')).toBeInTheDocument();
  });

  it('deletes the template after confirmation', async () => {
    const user = userEvent.setup();
    const { calls, router } = renderConsole(
      '/templates/tp_1',
      base({ 'DELETE /templates/tp_1': { status: 204 }, 'GET /templates': { body: { items: [] } } }),
    );
    await user.click(await screen.findByRole('button', { name: 'Delete' }));
    const dialog = await screen.findByRole('dialog', { name: 'Delete this template?' });
    await user.click(within(dialog).getByRole('button', { name: 'Delete' }));
    await waitFor(() => expect(router.state.location.pathname).toBe('/templates'));
    expect(calls.some((c) => c.method === 'DELETE' && c.url.pathname === '/templates/tp_1')).toBe(true);
  });
});
