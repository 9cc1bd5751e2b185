import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { allDeps } from '../../shared/runtime/deps.ts';
import { expireStaleImports } from '../../shared/services/imports.ts';
import { importCsvFile } from '../../scripts/lib/import-client.ts';
import { usePlatform } from '../helpers/platform.ts';

const t = usePlatform();
const dir = mkdtempSync(join(tmpdir(), 'herald-import-'));

function csvFile(name: string, lines: string[]): string {
  const file = join(dir, name);
  writeFileSync(file, lines.join('\r\n'));
  return file;
}

const GOOD_AND_BAD = [
  'email,phone,First Name,spend,email_consent,segment',
  'ada@example.com,+44 7700 900001,Ada,120.5,yes,"7) $1,000 +"', // row 2
  'not-an-email,,Bad,1,yes,x', //                                     row 3: bad email
  'grace@example.com,+1 555,Grace,2,yes,x', //                        row 4: bad phone
  'alan@example.com,,Alan,lots,no,x', //                              row 5: bad number
  'edsger@example.com,,Edsger,3', //                                  row 6: too few columns
  'barbara@example.com,,Barbara,,opt-out,"2) $100 - $200"', //       row 7
  'ADA@example.com,,Ada L.,,,', //                                    row 8: same contact as row 2
];

describe('bulk import', () => {
  it('imports good rows, reports each bad row by number and column, and keeps going', async () => {
    // Arrange
    const file = csvFile('mixed.csv', GOOD_AND_BAD);
    // Act
    const summary = await importCsvFile({
      apiUrl: t.platform.apiUrl,
      token: t.platform.token,
      file,
      mapping: { 'First Name': 'firstName', spend: 'attributes.spend:number' },
      batchSize: 3,
    });
    // Assert
    expect(summary).toMatchObject({ rows: 7, failed: 4 });
    expect(summary.imported + summary.updated).toBe(3);
    const errors = await t.api('GET', `/imports/${summary.jobId}/errors`);
    expect(errors.body.items.map((e: { row: number; field: string }) => `${e.row}:${e.field}`)).toEqual([
      '3:email',
      '4:phone',
      '5:spend',
      '6:row',
    ]);
    const ada = (await t.api('GET', '/contacts?email=ada@')).body.items[0];
    expect(ada).toMatchObject({
      phone: '+447700900001',
      firstName: 'Ada L.',
      attributes: { spend: 120.5, segment: '7) $1,000 +' },
      consent: { email: { status: 'subscribed', source: `import:${summary.jobId}` } },
    });
    const barbara = (await t.api('GET', '/contacts?email=barbara@')).body.items[0];
    expect(barbara.consent.email.status).toBe('unsubscribed');
    const job = await t.api('GET', `/imports/${summary.jobId}`);
    expect(job.body).toMatchObject({ status: 'completed', rowsReceived: 7, failed: 4 });
  });

  it('changes nothing when the same file is imported again', async () => {
    const file = csvFile('twice.csv', ['email,plan', ...Array.from({ length: 40 }, (_, i) => `twice${i}@example.com,gold`)]);
    const first = await importCsvFile({ apiUrl: t.platform.apiUrl, token: t.platform.token, file, batchSize: 15 });
    const before = (await t.api('GET', '/contacts?email=twice1@')).body.items[0];
    const second = await importCsvFile({ apiUrl: t.platform.apiUrl, token: t.platform.token, file, batchSize: 15 });
    const after = (await t.api('GET', '/contacts?email=twice1@')).body.items[0];
    expect(first).toMatchObject({ rows: 40, imported: 40, unchanged: 0 });
    expect(second).toMatchObject({ rows: 40, imported: 0, updated: 0, unchanged: 40, failed: 0 });
    expect(after).toEqual(before);
  });

  it('counts a retried batch once, and refuses batches after completion', async () => {
    const job = (await t.api('POST', '/imports', { source: 'retry.csv' })).body;
    const batch = { firstRow: 2, records: [{ email: 'retry1@example.com' }, { email: 'oops' }] };
    const first = await t.api('POST', `/imports/${job.jobId}/batches`, batch);
    const retry = await t.api('POST', `/imports/${job.jobId}/batches`, batch);
    expect(first.body).toMatchObject({ imported: 1, failed: 1, duplicate: false });
    expect(retry.body).toMatchObject({ imported: 1, failed: 1, duplicate: true });
    const progress = await t.api('GET', `/imports/${job.jobId}`);
    expect(progress.body).toMatchObject({ status: 'receiving', rowsReceived: 2, imported: 1, failed: 1 });

    expect((await t.api('POST', `/imports/${job.jobId}/complete`)).body.status).toBe('completed');
    expect((await t.api('POST', `/imports/${job.jobId}/complete`)).body.status).toBe('completed');
    expect((await t.api('POST', `/imports/${job.jobId}/batches`, { ...batch, firstRow: 4 })).status).toBe(409);
  });

  it('loses nothing when two imports write the same new contacts at the same time', async () => {
    // Arrange: two jobs, same 60 new addresses, different fields
    const emails = Array.from({ length: 60 }, (_, i) => `race${i}.${Date.now()}@example.com`);
    const [a, b] = await Promise.all([t.api('POST', '/imports', {}), t.api('POST', '/imports', {})]);
    // Act
    const [ra, rb] = await Promise.all([
      t.api('POST', `/imports/${a.body.jobId}/batches`, { firstRow: 2, records: emails.map((email) => ({ email, firstName: 'Ada' })) }),
      t.api('POST', `/imports/${b.body.jobId}/batches`, { firstRow: 2, records: emails.map((email) => ({ email, plan: 'gold' })) }),
    ]);
    // Assert: every contact exists once and carries both imports' fields
    expect(ra.body.failed + rb.body.failed).toBe(0);
    for (const email of emails) {
      const found = (await t.api('GET', `/contacts?email=${encodeURIComponent(email)}`)).body.items;
      expect(found).toHaveLength(1);
      expect(found[0]).toMatchObject({ firstName: 'Ada', attributes: { plan: 'gold' } });
    }
  });

  it('reports progress from the bytes the client has read, never moving backwards', async () => {
    const job = (await t.api('POST', '/imports', { source: 'progress.csv', totalBytes: 1000 })).body;
    expect(job.progress).toBeUndefined();
    await t.api('POST', `/imports/${job.jobId}/batches`, { firstRow: 12, records: [{ email: 'p2@example.com' }], bytesRead: 800 });
    await t.api('POST', `/imports/${job.jobId}/batches`, { firstRow: 2, records: [{ email: 'p1@example.com' }], bytesRead: 400 });
    expect((await t.api('GET', `/imports/${job.jobId}`)).body).toMatchObject({ status: 'receiving', progress: 0.8, rowsReceived: 2 });
    expect((await t.api('POST', `/imports/${job.jobId}/complete`)).body.progress).toBe(1);
  });

  it('starts one job per Idempotency-Key', async () => {
    const post = (key: string) =>
      t.api<{ jobId: string }>('POST', '/imports', { source: 'retried.csv' }, { headers: { 'idempotency-key': key } });
    const first = await post('import-1');
    const again = await post('import-1');
    expect([first.status, again.status]).toEqual([201, 200]);
    expect(again.body.jobId).toBe(first.body.jobId);
  });

  it('validates job and batch requests', async () => {
    expect((await t.api('POST', '/imports', { mapping: { email: 'password' } })).body.error.details.issues[0].field).toBe(
      'body.mapping.email',
    );
    expect((await t.api('POST', '/imports/im_nope/batches', { firstRow: 2, records: [] })).status).toBe(404);
    const job = (await t.api('POST', '/imports', {})).body;
    expect((await t.api('POST', `/imports/${job.jobId}/batches`, { firstRow: 1, records: [] })).body.error.details.issues[0].field).toBe(
      'body.firstRow',
    );
  });

  it('abandons jobs that stopped receiving rows, from the scheduled function', async () => {
    const job = (await t.api('POST', '/imports', { source: 'stale.csv' })).body;
    // The scheduled handler itself runs with the real clock: nothing is stale yet.
    expect(await t.platform.runSchedule('expire-imports')).toEqual({ abandoned: 0 });
    const deps = { ...allDeps(), now: () => new Date(Date.now() + 2 * 60 * 60 * 1000) };
    expect(await expireStaleImports(deps, 60)).toBeGreaterThanOrEqual(1);
    expect((await t.api('GET', `/imports/${job.jobId}`)).body.status).toBe('abandoned');
  });
});
