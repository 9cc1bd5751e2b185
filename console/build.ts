/**
 * Builds console/dist when it is missing or older than its sources: for `npm start`
 * (local/console.ts), the browser tests, `npm run bench:console` and `cdk synth` (the Console
 * stack deploys these files: infra/stacks/console-stack.ts). A build takes a few seconds; a fresh
 * one costs a stat per source file.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

function newestMtime(path: string): number {
  if (!existsSync(path)) return 0;
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return Math.max(0, ...readdirSync(path).map((name) => newestMtime(join(path, name))));
}

/** What the built files depend on: the console's sources and config, and the shared code it bundles. */
export function consoleSources(root: string): string[] {
  return [
    'console/src',
    'console/index.html',
    'console/public',
    'console/vite.config.ts',
    'console/package.json',
    'shared/api',
    'shared/domain',
    'functions/wiring.ts',
    'package-lock.json',
  ].map((p) => join(root, p));
}

/** Whether console/dist is missing or older than a source. */
export function consoleBuildStale(root: string): boolean {
  const built = join(root, 'console/dist/index.html');
  if (!existsSync(built)) return true;
  return Math.max(...consoleSources(root).map(newestMtime)) > statSync(built).mtimeMs;
}

/** Builds the console with Vite (a child process: Vite stays out of the platform's memory) when stale. */
export function ensureConsoleBuilt(root: string, log: (line: string) => void = () => undefined): void {
  if (!consoleBuildStale(root)) return;
  log('Building the console (console/dist)…');
  const vite = join(root, 'node_modules/vite/bin/vite.js');
  const result = spawnSync(process.execPath, [vite, 'build', '--logLevel', 'warn', join(root, 'console')], {
    cwd: join(root, 'console'),
    // A production build whoever asks (vitest sets NODE_ENV=test, which would bundle React's development build).
    env: { ...process.env, NODE_ENV: 'production' },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  if (result.status !== 0) throw new Error(`the console build failed (exit ${result.status}); run npm run build to see why`);
}

/**
 * The Content-Security-Policy of the console's pages, locally (local/console.ts) and on AWS
 * (infra/constructs/console-hosting.ts), with the API's origins in connect-src. Scripts only from
 * the console's origin (no inline script, no eval), no framing, forms only to itself; images also
 * from https: because a template's preview (a sandboxed srcdoc iframe, which inherits this policy)
 * shows the email's own images.
 */
export function consoleCsp(connectSources: string[]): string {
  return [
    "default-src 'self'",
    `connect-src 'self' ${connectSources.join(' ')}`,
    "img-src 'self' data: https:",
    "style-src 'self' 'unsafe-inline'",
    "frame-ancestors 'none'",
    "base-uri 'none'",
    "form-action 'self'",
  ].join('; ');
}
