/** Topics: add (checked with the Topic schema), edit in place, delete after a confirmation; each PUT carries the rest of the settings. */
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { renderConsole } from './render.tsx';
import { sending, topic } from './settings-fixtures.ts';

const putOf = (calls: { method: string; body: unknown }[]) => calls.find((c) => c.method === 'PUT')?.body as ReturnType<typeof sending>;

describe('topics page', () => {
  it('adds an opt-out topic with a translation, after refusing a bad name and a bad language code', async () => {
    const user = userEvent.setup();
    const { calls } = renderConsole('/settings/topics', {
      'GET /settings/sending': { body: sending() },
      'PUT /settings/sending': ({ body }) => ({ body }),
    });
    expect(await screen.findByRole('cell', { name: 'offers' })).toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: 'Add a topic' }));
    const dialog = await screen.findByRole('dialog', { name: 'Add a topic' });
    await user.type(within(dialog).getByLabelText(/^Name/), '1st news');
    await user.type(within(dialog).getByLabelText(/^Display name/), 'Product news');
    await user.click(within(dialog).getByLabelText(/^Opt-out/));
    await user.click(within(dialog).getByRole('button', { name: 'Add a translation' }));
    await user.type(within(dialog).getByLabelText('Language of translation 1'), 'German');
    await user.type(within(dialog).getByLabelText('Display name in translation 1'), 'Neuigkeiten');
    await user.click(within(dialog).getByRole('button', { name: 'Add topic' }));
    expect(await within(dialog).findByText(/topic names are 1-64 letters/)).toBeInTheDocument();
    expect(within(dialog).getByText('a language code such as de')).toBeInTheDocument();
    expect(calls.filter((c) => c.method === 'PUT')).toHaveLength(0);

    const name = within(dialog).getByLabelText(/^Name/);
    await user.clear(name);
    await user.type(name, 'product_news');
    const language = within(dialog).getByLabelText('Language of translation 1');
    await user.clear(language);
    await user.type(language, 'de');
    await user.click(within(dialog).getByRole('button', { name: 'Add topic' }));
    await waitFor(() => expect(putOf(calls)).toBeDefined());
    expect(putOf(calls)).toEqual({
      ...sending(),
      topics: [
        topic(),
        { name: 'product_news', displayName: 'Product news', defaultStatus: 'subscribed', labels: { de: { displayName: 'Neuigkeiten' } } },
      ],
    });
    await waitFor(() => expect(screen.queryByRole('dialog')).not.toBeInTheDocument());
  });

  it("refuses a second topic with a taken name, and shows the API's issue on the field of the topic it names", async () => {
    const user = userEvent.setup();
    renderConsole('/settings/topics', {
      'GET /settings/sending': { body: sending() },
      'PUT /settings/sending': {
        status: 400,
        body: {
          error: {
            message: 'body.topics.1.description: too long',
            details: { issues: [{ field: 'body.topics.1.description', message: 'too long' }] },
          },
        },
      },
    });
    await user.click(await screen.findByRole('button', { name: 'Add a topic' }));
    const dialog = await screen.findByRole('dialog', { name: 'Add a topic' });
    await user.type(within(dialog).getByLabelText(/^Name/), 'offers');
    await user.type(within(dialog).getByLabelText(/^Display name/), 'Again');
    await user.click(within(dialog).getByRole('button', { name: 'Add topic' }));
    expect(await within(dialog).findByText('another topic has this name')).toBeInTheDocument();

    const name = within(dialog).getByLabelText(/^Name/);
    await user.clear(name);
    await user.type(name, 'news');
    await user.type(within(dialog).getByLabelText(/^Description/), 'Long');
    await user.click(within(dialog).getByRole('button', { name: 'Add topic' }));
    expect(await within(dialog).findByText('too long')).toBeInTheDocument();
    expect(within(dialog).getByLabelText(/^Description/)).toHaveAttribute('aria-invalid', 'true');
  });

  it('edits a topic in place (its name fixed) and deletes another after a confirmation', async () => {
    const user = userEvent.setup();
    const news = topic({ name: 'news', displayName: 'News', defaultStatus: 'subscribed' });
    const { calls } = renderConsole('/settings/topics', {
      'GET /settings/sending': { body: sending({ topics: [topic(), news] }) },
      'PUT /settings/sending': ({ body }) => ({ body }),
    });
    await user.click(await screen.findByRole('button', { name: 'Edit Offers and sales' }));
    const dialog = await screen.findByRole('dialog', { name: 'Edit Offers and sales' });
    expect(within(dialog).getByLabelText(/^Name/)).toHaveAttribute('readonly');
    await user.click(within(dialog).getByLabelText(/^Opt-out/));
    await user.click(within(dialog).getByRole('button', { name: 'Save topic' }));
    await waitFor(() => expect(putOf(calls)).toBeDefined());
    expect(putOf(calls).topics).toEqual([{ ...topic(), defaultStatus: 'subscribed' }, news]);
    await waitFor(() => expect(screen.queryByRole('dialog')).not.toBeInTheDocument());

    await user.click(screen.getByRole('button', { name: 'Delete News' }));
    const confirm = await screen.findByRole('dialog', { name: /Delete the topic News/ });
    await user.click(within(confirm).getByRole('button', { name: 'Delete topic' }));
    await waitFor(() => expect(calls.filter((c) => c.method === 'PUT')).toHaveLength(2));
    expect((calls.filter((c) => c.method === 'PUT')[1]?.body as ReturnType<typeof sending> | undefined)?.topics).toEqual([topic()]);
  });

  it('says when there are no topics yet', async () => {
    renderConsole('/settings/topics', { 'GET /settings/sending': { body: sending({ topics: undefined }) } });
    expect(await screen.findByText('No topics yet')).toBeInTheDocument();
  });
});
