/**
 * `npm start`: the whole platform on loopback with data kept under .herald/, a bearer token that
 * survives restarts, demo data on first start, and a clean stop on Ctrl-C.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ensureConsoleBuilt } from './console.ts';
import { PROJECT_ROOT, startPlatform } from './platform.ts';
import { seedDemoData } from './seed.ts';

const stateDir = process.env.HERALD_DATA_DIR ?? join(PROJECT_ROOT, '.herald');
const stateFile = join(stateDir, 'local.json');
const basePort = Number(process.env.HERALD_PORT ?? 4010);

mkdirSync(stateDir, { recursive: true });
const saved = existsSync(stateFile) ? (JSON.parse(readFileSync(stateFile, 'utf8')) as { token?: string }) : {};
const token = saved.token ?? randomBytes(24).toString('base64url');

process.env.LOG_LEVEL ??= 'WARN';
try {
  ensureConsoleBuilt(PROJECT_ROOT, (line) => console.log(line));
} catch (error) {
  console.error(`${(error as Error).message}; the API starts without the console.`);
}
const platform = await startPlatform({
  token,
  dataDir: stateDir,
  ports: { api: basePort, ses: basePort + 1, sms: basePort + 2, sqs: basePort + 3, dynamodb: basePort + 4, events: basePort + 5 },
  console: { port: basePort + 6 },
  timers: true,
}).catch((error: NodeJS.ErrnoException) => {
  if (error.code === 'EADDRINUSE') {
    console.error(
      `Port ${error.message.match(/:(\d+)/)?.[1] ?? basePort} is in use: is Herald already running? Choose other ports with HERALD_PORT=5010 npm start.`,
    );
  } else if (/lock/i.test(String(error.message))) {
    console.error(`The data folder ${stateDir} is in use by another Herald process.`);
  } else {
    console.error('Herald failed to start:', error);
  }
  process.exit(1);
});
writeFileSync(stateFile, JSON.stringify({ token, apiUrl: platform.apiUrl }, null, 2));
const seeded = await seedDemoData('default');

console.log(`
Herald is running (data in ${stateDir})${seeded ? `; seeded ${seeded} demo contacts, 2 lists, their purchases, a segment, templates, a campaign draft and 5 built-in trigger drafts (cross-sell, welcome, win-back, NPS, referral)` : ''}

  Console      ${platform.consoleUrl}
  Sign in      ${platform.consoleUrl}/#token=${token}
  API          ${platform.apiUrl}
  OpenAPI      ${platform.openApiUrl}
  Mailbox      ${platform.mailboxUrl}
  SMS outbox   ${platform.smsOutboxUrl}
  Queues       ${platform.queuesUrl}
  DynamoDB     ${platform.dynamoEndpoint}
  Event bus    ${platform.eventBusUrl}

  Bearer token ${token}

  Try: curl -H "Authorization: Bearer ${token}" ${platform.apiUrl}/contacts?limit=5
  Import: npm run import -- contacts.csv
Press Ctrl-C to stop.`);

let stopping = false;
const stop = async () => {
  if (stopping) return;
  stopping = true;
  console.log('\nStopping Herald…');
  await platform.stop();
  process.exit(0);
};
process.on('SIGINT', () => void stop());
process.on('SIGTERM', () => void stop());
