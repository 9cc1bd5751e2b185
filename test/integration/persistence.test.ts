/** npm start keeps data on disk: a restart loses nothing. */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { startPlatform } from '../../local/platform.ts';

describe('local platform on disk', () => {
  it('finds a contact written before a restart', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'herald-data-'));
    const headers = { authorization: 'Bearer tkn', 'content-type': 'application/json' };

    const first = await startPlatform({ token: 'tkn', dataDir });
    const created = await fetch(`${first.apiUrl}/contacts`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ email: 'kept@example.com' }),
    });
    const { contactId } = (await created.json()) as { contactId: string };
    await first.stop();

    // Same port: this process's SDK client (like a warm Lambda's) keeps the endpoint it started with.
    const second = await startPlatform({ token: 'tkn', dataDir, ports: { dynamodb: Number(new URL(first.dynamoEndpoint).port) } });
    const res = await fetch(`${second.apiUrl}/contacts/${contactId}`, { headers });
    await second.stop();
    expect(res.status).toBe(200);
    expect(((await res.json()) as { email: string }).email).toBe('kept@example.com');
  });
});
