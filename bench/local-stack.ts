/** Starts `npm start`'s entry point in a child process on its own ports and data folder, for benches. */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export function startChild(command: string, args: string[], env: NodeJS.ProcessEnv, ready: RegExp): Promise<ChildProcess> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (ready.test(output)) resolve(child);
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.on('exit', (code) => reject(new Error(`${command} exited ${code}: ${output}`)));
  });
}

export interface LocalStack {
  apiUrl: string;
  token: string;
  stop(): Promise<void>;
}

export async function startLocalStack(port: number): Promise<LocalStack> {
  const dir = mkdtempSync(join(tmpdir(), 'herald-bench-stack-'));
  const child = await startChild(
    process.execPath,
    ['--import', 'tsx', 'local/start.ts'],
    { HERALD_DATA_DIR: dir, HERALD_PORT: String(port), LOG_LEVEL: 'silent' },
    /Press Ctrl-C/,
  );
  const { token } = JSON.parse(readFileSync(join(dir, 'local.json'), 'utf8')) as { token: string };
  return {
    apiUrl: `http://127.0.0.1:${port}`,
    token,
    async stop() {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGINT');
      await exited;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
