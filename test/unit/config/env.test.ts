import { describe, expect, it } from 'vitest';
import { FunctionEnv, loadEnv } from '../../../shared/config/env.ts';

describe('loadEnv', () => {
  it('fails at start naming every missing or bad variable', () => {
    expect(() => loadEnv(FunctionEnv, { TABLE_NAME: 'ab', DEFAULT_TENANT: 'Bad Tenant!' })).toThrow(
      /TABLE_NAME.*DEFAULT_TENANT.*LIST_CLEANUP_QUEUE_URL/,
    );
  });

  it('applies defaults', () => {
    expect(loadEnv(FunctionEnv, { TABLE_NAME: 'herald', LIST_CLEANUP_QUEUE_URL: 'http://q' }).DEFAULT_TENANT).toBe('default');
  });
});
