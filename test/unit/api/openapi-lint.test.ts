/** The generated OpenAPI document passes Redocly CLI's recommended ruleset, with no warnings (offline). */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { renderOpenApi } from '../../../scripts/write-openapi.ts';

const redoclyCli = join(dirname(createRequire(import.meta.url).resolve('@redocly/cli/package.json')), 'bin/cli.js');

interface LintReport {
  totals: { errors: number; warnings: number };
  problems: Array<{ ruleId: string; severity: string; message: string; location: Array<{ pointer: string }> }>;
}

describe('OpenAPI lint', () => {
  const dir = mkdtempSync(join(tmpdir(), 'herald-openapi-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("passes Redocly's recommended rules with no errors and no warnings", async () => {
    const file = join(dir, 'openapi.json');
    writeFileSync(file, renderOpenApi());
    // Exits 1 when there are errors; the JSON report on stdout is what counts.
    const result = await promisify(execFile)(process.execPath, [redoclyCli, 'lint', '--extends=recommended', '--format=json', file], {
      env: { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true', NO_COLOR: '1' },
      maxBuffer: 16 * 1024 * 1024,
    }).catch((error: { stdout?: string; stderr?: string }) => ({ stdout: error.stdout ?? '', stderr: error.stderr ?? '' }));
    expect(result.stdout, result.stderr).toMatch(/^\s*\{/);
    const report = JSON.parse(result.stdout) as LintReport;
    // A tracked link's whole answer is its 302 (with a 404 page for a bad token): no 2XX to document.
    const redirects = new Set([
      '#/paths/~1r~1{token}/get/responses',
      '#/paths/~1r~1{token}/head/responses',
      '#/paths/~1s~1{code}/get/responses',
    ]);
    const expected = (p: LintReport['problems'][number]) =>
      p.ruleId === 'operation-2xx-response' && redirects.has(p.location[0]?.pointer ?? '');
    const problems = report.problems
      .filter((p) => !expected(p))
      .map((p) => `${p.severity} ${p.ruleId} at ${p.location[0]?.pointer}: ${p.message}`);
    expect(problems).toEqual([]);
    expect(report.totals).toMatchObject({ errors: 0, warnings: report.problems.filter(expected).length });
  });
});
