/** The folder rules of docs/architecture.md, checked on the source itself. */
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? files(path) : path.endsWith('.ts') ? [path] : [];
  });
}
const importsOf = (file: string) => [...readFileSync(file, 'utf8').matchAll(/from '([^']+)'/g)].map((m) => m[1] as string);

describe('architecture', () => {
  it('keeps shared/domain free of AWS, middy and Lambda types', () => {
    for (const file of files('shared/domain')) {
      for (const spec of importsOf(file))
        expect(spec, file).not.toMatch(/^(@aws-sdk|@middy|aws-lambda|@aws-lambda-powertools)|\.\.\/(db|aws|runtime)\//);
    }
  });

  it('lets only shared/db and shared/aws touch the AWS SDK', () => {
    for (const file of [...files('shared'), ...files('functions')]) {
      if (/shared\/(db|aws)\//.test(file)) continue;
      for (const spec of importsOf(file)) expect(spec, file).not.toMatch(/^@aws-sdk\//);
    }
  });

  it('builds DynamoDB keys only in shared/db/keys.ts', () => {
    for (const file of [...files('shared'), ...files('functions')]) {
      if (file.endsWith('shared/db/keys.ts')) continue;
      expect(readFileSync(file, 'utf8'), file).not.toMatch(/['`](T#|[A-Z]+#)/);
    }
  });

  it('keeps handlers thin: no SDK, no try/catch, at most 25 lines', () => {
    for (const file of files('functions').filter((f) => !f.endsWith('wiring.ts'))) {
      const source = readFileSync(file, 'utf8');
      expect(source, file).not.toMatch(/try \{|@aws-sdk/);
      expect(source.split('\n').length, file).toBeLessThanOrEqual(25);
    }
  });
});
