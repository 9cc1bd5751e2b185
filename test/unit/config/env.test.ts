import { describe, expect, it } from 'vitest';
import { HttpEnv, TableEnv, loadEnv } from '../../../shared/config/env.ts';
import { createSqsQueue } from '../../../shared/aws/queue.ts';

describe('loadEnv', () => {
  it('fails at start naming every missing or bad variable', () => {
    expect(() => loadEnv(TableEnv.extend(HttpEnv.shape), { TABLE_NAME: 'ab', DEFAULT_TENANT: 'Bad Tenant!' })).toThrow(
      /TABLE_NAME.*DEFAULT_TENANT/,
    );
  });

  it('applies defaults', () => {
    expect(loadEnv(HttpEnv, {}).DEFAULT_TENANT).toBe('default');
  });

  it('names the queue variable a function lacks when it sends to a queue it is not wired to', async () => {
    const queue = createSqsQueue({});
    await expect(queue.send('list-cleanup', { tenantId: 'acme', listId: 'ls_1' })).rejects.toThrow(/LIST_CLEANUP_QUEUE_URL is not set/);
  });

  it('refuses to send a message that does not match its queue schema', async () => {
    const queue = createSqsQueue({ LIST_CLEANUP_QUEUE_URL: 'http://127.0.0.1:1/q' });
    await expect(queue.send('list-cleanup', { tenantId: 'Not A Tenant', listId: 'ls_1' })).rejects.toThrow(/tenantId/);
  });
});
