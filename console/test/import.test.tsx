/** CSV import: mapping defaults from the API's resolveMapping, batches in order, progress polled, row errors. */
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { toBatches } from '../src/pages/imports/csv.ts';
import { renderConsole } from './render.tsx';

const NOW = '2026-11-20T10:00:00.000Z';
const CSV = 'email,First Name,spend\nada@example.com,Ada,12\nnot-an-email,Bob,x\n';

describe('CSV reading', () => {
  it('numbers rows as a spreadsheet does, rejects malformed records and ends at the file size', () => {
    const text = 'email,name\na@x.io,A\nb@x.io,B,extra\nc@x.io,C\nd@x.io,D\n';
    const batches = toBatches(text, 1000);
    // The rejected row 3 splits the batches, so c@x.io keeps its row, 4.
    expect(batches.map((b) => [b.firstRow, b.records.length])).toEqual([
      [2, 1],
      [4, 2],
    ]);
    expect(batches[0]?.rejects).toEqual([{ row: 3, reason: expect.stringMatching(/column/i) }]);
    expect(batches.at(-1)?.bytesRead).toBe(new TextEncoder().encode(text).byteLength);
    expect(toBatches(`email\n${'a@x.io\n'.repeat(5)}`, 2).map((b) => b.firstRow)).toEqual([2, 4, 6]);
  });
});

describe('import page', () => {
  it('maps columns, sends the batches, follows the job to completion and shows row errors', async () => {
    const user = userEvent.setup();
    let polls = 0;
    const job = (over: object) => ({
      jobId: 'im_1',
      status: 'receiving',
      mapping: {},
      consentSource: 'csv-import',
      rowsReceived: 0,
      imported: 0,
      updated: 0,
      unchanged: 0,
      failed: 0,
      totalBytes: CSV.length,
      createdAt: NOW,
      updatedAt: NOW,
      ...over,
    });
    const { calls } = renderConsole('/imports/new', {
      'POST /imports': { status: 201, body: job({}) },
      'POST /imports/im_1/batches': {
        body: { rowsReceived: 2, imported: 1, updated: 0, unchanged: 0, failed: 1, errors: [], duplicate: false },
      },
      'POST /imports/im_1/complete': { body: job({ status: 'completed', progress: 1 }) },
      'GET /imports/im_1': () => {
        polls++;
        return { body: job({ status: 'completed', progress: 1, rowsReceived: 2, imported: 1, failed: 1 }) };
      },
      'GET /imports/im_1/errors': { body: { items: [{ row: 3, field: 'email', reason: 'must be an email address' }] } },
    });
    await screen.findByLabelText('CSV file');
    const input = document.querySelector('input[type=file]') as HTMLInputElement;
    await user.upload(input, new File([CSV], 'people.csv', { type: 'text/csv' }));
    const mapping = await screen.findByRole('table', { name: 'Column mapping' });
    expect(within(mapping).getByLabelText('Import column email as')).toHaveValue('email');
    expect(within(mapping).getByLabelText('Import column First Name as')).toHaveValue('ignore');
    await user.selectOptions(within(mapping).getByLabelText('Import column spend as'), 'attributes.spend:number');
    await user.selectOptions(within(mapping).getByLabelText('Import column First Name as'), 'firstName');
    await user.click(screen.getByRole('button', { name: 'Import people.csv' }));

    expect(await screen.findByText('Import complete')).toBeInTheDocument();
    const create = calls.find((c) => c.method === 'POST' && c.url.pathname === '/imports');
    expect(create?.body).toMatchObject({
      source: 'people.csv',
      totalBytes: CSV.length,
      mapping: { email: 'email', 'First Name': 'firstName', spend: 'attributes.spend:number' },
    });
    expect(create?.headers['idempotency-key']).toBeTruthy();
    const batch = calls.find((c) => c.url.pathname === '/imports/im_1/batches');
    expect(batch?.body).toMatchObject({ firstRow: 2, bytesRead: CSV.length });
    expect((batch?.body as { records?: unknown[] } | undefined)?.records).toHaveLength(2);
    expect(calls.some((c) => c.url.pathname === '/imports/im_1/complete')).toBe(true);
    expect(screen.getByRole('progressbar')).toHaveAttribute('aria-valuenow', '100');
    expect(await screen.findByRole('cell', { name: 'must be an email address' })).toBeInTheDocument();
    await waitFor(() => expect(polls).toBeGreaterThan(0));
  });
});
