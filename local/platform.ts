/**
 * The whole platform on loopback, built from the wiring table: DynamoDB (dynalite), SES
 * (aws-ses-v2-local behind local/ses.ts's proxy: quotas, throttling, faults, and the mailbox
 * simulator's events put on the local bus), an SMS sink, local SQS with workers, a local
 * EventBridge bus delivering to the event rules, the HTTP gateway and the scheduler.
 * `npm start` and the integration tests both use this; handlers are the same modules Lambda runs.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { newSecret } from '../shared/domain/tracking.ts';
import { join, resolve } from 'node:path';
import type { Context } from 'aws-lambda';
import { eventRules, queueConsumers, routes, schedules, type Schedule } from '../functions/wiring.ts';
import { queueNames, queueUrlEnv } from '../shared/api/messages.ts';
import { startConsoleServer } from './console.ts';
import { startDynamo } from './dynamo.ts';
import { startEventBus, type EventDeadLetter } from './event-bus.ts';
import { lambdaContext, startGateway, type HttpFunction } from './gateway.ts';
import { startQueues } from './queues.ts';
import { type SesBehaviour, type SesStats, startSes } from './ses.ts';
import { startSmsSink, type SentText, type SmsReply } from './sms-sink.ts';
import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { moveClockAhead } from '../shared/runtime/provide.ts';

export const PROJECT_ROOT = resolve(fileURLToPath(new URL('.', import.meta.url)), '..');

export interface PlatformOptions {
  token: string;
  /**
   * Folder for local state (dynalite's LevelDB in `dynamodb/`, queues in `queues.json`, the event
   * bus's pending deliveries in `events.json`); in memory when absent.
   */
  dataDir?: string;
  /** Fixed ports; each defaults to a free one. */
  ports?: Partial<Record<'api' | 'dynamodb' | 'ses' | 'sms' | 'sqs' | 'events', number>>;
  tenantId?: string;
  tableName?: string;
  /** Run schedules on their timers (npm start); tests call runSchedule instead. */
  timers?: boolean;
  /** Base delay of local queue and event-bus retries (doubles per attempt). */
  retryBaseMs?: number;
  /** Name of the local event bus (EVENT_BUS_NAME); default herald-local. */
  eventBusName?: string;
  /** How long a campaign sender's claim counts as in flight (CLAIM_IN_FLIGHT_MS; default 120 s). */
  claimInFlightMs?: number;
  /** Seconds between webhook delivery attempts (WEBHOOK_RETRY_SECONDS; default 10 s … 6 h, 9 attempts); tests shorten it. */
  webhookRetrySeconds?: readonly number[];
  /**
   * Serve the built console (console/dist, or `dir`) on its own port, and let its origin call the
   * API (CORS). `npm start` builds it first when stale (local/console.ts); tests do the same.
   */
  console?: { port?: number; dir?: string };
  /** The local SES's sending quota, throttling and injected failures (local/ses.ts); `platform.ses` changes them later. */
  ses?: { maxSendRate?: number; throttlePerSecond?: number; failureRate?: number };
}

export interface Platform {
  apiUrl: string;
  /** The console's URL, when `console` was asked for. */
  consoleUrl?: string;
  openApiUrl: string;
  mailboxUrl: string;
  smsOutboxUrl: string;
  /** The local SES's behaviour and its SendEmail counts (local/ses.ts). */
  ses: {
    configure(options: Partial<SesBehaviour>): void;
    stats(): SesStats;
    resetStats(): void;
  };
  queuesUrl: string;
  /** The local EventBridge endpoint (AWS_ENDPOINT_URL_EVENTBRIDGE); GET shows rules and dead letters. */
  eventBusUrl: string;
  dynamoEndpoint: string;
  token: string;
  tableName: string;
  texts: SentText[];
  deadLetters(queue: string): { messageId: string; body: string }[];
  /** Dead-lettered events of an event rule (by its name in the wiring table). */
  eventDeadLetters(rule: string): EventDeadLetter[];
  /** Waits until the queues and the event bus are idle (events may feed queues and back). */
  drainQueues(timeoutMs?: number): Promise<void>;
  drainEvents(timeoutMs?: number): Promise<void>;
  runSchedule(name: string): Promise<unknown>;
  /** Moves every handler's clock ahead (delays of days, tested without waiting); queue delays stay in real time. */
  advanceClock(ms: number): void;
  stop(): Promise<void>;
}

/**
 * The secret that signs tracked links and unsubscribe tokens: kept in the data folder, so links in
 * mail sent before a restart still work; a fresh one per run in memory.
 */
function trackingSecret(dataDir: string | undefined): string {
  if (!dataDir) return newSecret();
  const path = join(dataDir, 'tracking-secret');
  if (!existsSync(path)) {
    mkdirSync(dataDir, { recursive: true });
    writeFileSync(path, newSecret(), { mode: 0o600 });
  }
  return readFileSync(path, 'utf8').trim();
}

async function load<T>(entry: string): Promise<T> {
  const module = (await import(pathToFileURL(resolve(PROJECT_ROOT, entry)).href)) as { handler: T };
  return module.handler;
}

export async function startPlatform(options: PlatformOptions): Promise<Platform> {
  // Lambda runs Node.js 22; this laptop may run 20, which the SDK warns about on every client.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const tableName = options.tableName ?? 'herald-local';
  const ports = options.ports ?? {};
  const dynamo = await startDynamo({ port: ports.dynamodb, path: options.dataDir && join(options.dataDir, 'dynamodb'), tableName });
  // A phone's reply goes on the inbound-sms queue, as End User Messaging's SNS topic puts it there on AWS.
  let replies: ((reply: SmsReply) => Promise<void>) | undefined;
  let received: ((notification: object) => Promise<void>) | undefined;
  let smsEvents: ((event: object) => Promise<void>) | undefined;
  const sms = await startSmsSink({
    port: ports.sms,
    onReply: (reply) => replies?.(reply) ?? Promise.resolve(),
    onEvent: (event) => smsEvents?.(event) ?? Promise.resolve(),
  });
  const consumers = queueConsumers.map((consumer) => {
    type Fn = (event: unknown, context: Context) => Promise<unknown>;
    let handler: Fn | undefined;
    return {
      consumer,
      invoke: async (event: unknown) => {
        handler ??= await load<Fn>(consumer.entry);
        return (await handler(event, lambdaContext(consumer.queue))) as never;
      },
    };
  });
  const queues = await startQueues({
    port: ports.sqs,
    consumers,
    retryBaseMs: options.retryBaseMs,
    statePath: options.dataDir && join(options.dataDir, 'queues.json'),
  });
  const sqs = new SQSClient({
    endpoint: queues.endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  replies = async (reply) => {
    await sqs.send(new SendMessageCommand({ QueueUrl: queues.urlOf('inbound-sms'), MessageBody: JSON.stringify(reply) }));
  };
  smsEvents = async (event) => {
    await sqs.send(new SendMessageCommand({ QueueUrl: queues.urlOf('sms-events'), MessageBody: JSON.stringify(event) }));
  };
  received = async (notification) => {
    await sqs.send(new SendMessageCommand({ QueueUrl: queues.urlOf('inbound-email'), MessageBody: JSON.stringify(notification) }));
  };
  const events = await startEventBus({
    port: ports.events,
    busName: options.eventBusName ?? 'herald-local',
    rules: eventRules.map((rule) => {
      type Fn = (event: unknown, context: Context) => Promise<unknown>;
      let handler: Fn | undefined;
      return {
        rule,
        invoke: async (event: unknown) => {
          handler ??= await load<Fn>(rule.entry);
          return handler(event, lambdaContext(rule.name));
        },
      };
    }),
    retryBaseMs: options.retryBaseMs,
    statePath: options.dataDir && join(options.dataDir, 'events.json'),
  });
  // The mailbox simulator's events go on the bus, where rules on source aws.ses receive them.
  const ses = await startSes({
    port: ports.ses,
    ...options.ses,
    publish: async (sesEvents) => {
      for (const result of events.put(sesEvents))
        if ('ErrorCode' in result) console.error(`local SES event refused by the bus: ${result.ErrorCode} ${result.ErrorMessage}`);
    },
    receive: (notification) => received?.(notification) ?? Promise.resolve(),
  });

  // The same variables CDK sets on each function, pointing the real SDK clients at the emulators.
  Object.assign(process.env, {
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'local',
    AWS_SECRET_ACCESS_KEY: 'local',
    AWS_ENDPOINT_URL_DYNAMODB: dynamo.endpoint,
    AWS_ENDPOINT_URL_SESV2: ses.endpoint,
    AWS_ENDPOINT_URL_PINPOINT_SMS_VOICE_V2: sms.endpoint,
    AWS_ENDPOINT_URL_SQS: queues.endpoint,
    AWS_ENDPOINT_URL_EVENTBRIDGE: events.endpoint,
    EVENT_BUS_NAME: events.busName,
    ...(options.claimInFlightMs ? { CLAIM_IN_FLIGHT_MS: String(options.claimInFlightMs) } : {}),
    ...(options.webhookRetrySeconds ? { WEBHOOK_RETRY_SECONDS: options.webhookRetrySeconds.join(',') } : {}),
    // Receivers on this machine (http://localhost) are fine here; on AWS only https:// is.
    WEBHOOK_ALLOW_LOCAL_HTTP: 'true',
    TRACKING_SECRET: trackingSecret(options.dataDir),
    // As on AWS: campaign email goes through a configuration set, so SES (here the simulator addresses) reports on it.
    EMAIL_CONFIGURATION_SET: 'herald-local',
    SMS_CONFIGURATION_SET: 'herald-local',
    TABLE_NAME: tableName,
    DEFAULT_TENANT: options.tenantId ?? 'default',
    ...Object.fromEntries(queueNames.map((queue) => [queueUrlEnv(queue), queues.urlOf(queue)])),
    POWERTOOLS_DEV: 'true',
  });

  // The console first: the gateway needs its origin (CORS); the console asks for the API's URL only when served.
  let apiUrl = '';
  const consoleServer = options.console
    ? await startConsoleServer({
        port: options.console.port,
        dir: options.console.dir ?? join(PROJECT_ROOT, 'console/dist'),
        apiUrl: () => apiUrl,
      })
    : undefined;
  const wiredRoutes = await Promise.all(routes.map(async (route) => ({ route, handler: await load<HttpFunction>(route.entry) })));
  const gateway = await startGateway({
    port: ports.api,
    routes: wiredRoutes,
    token: options.token,
    tenantId: options.tenantId ?? 'default',
    corsOrigins: consoleServer?.origins,
  });
  apiUrl = gateway.url;
  // The links messages carry point at this gateway (the senders read it when first loaded).
  process.env.PUBLIC_URL = gateway.url;

  const runSchedule = async (name: string) => {
    const schedule = schedules.find((s) => s.name === name);
    if (!schedule) throw new Error(`no schedule named ${name}`);
    const handler = await load<(event: unknown, context: Context) => Promise<unknown>>(schedule.entry);
    return handler({ source: 'aws.scheduler', 'detail-type': 'Scheduled Event', detail: {} }, lambdaContext(name));
  };
  const timers = options.timers
    ? schedules.map((s: Schedule) =>
        setInterval(
          () => void runSchedule(s.name).catch((e: unknown) => console.error(`schedule ${s.name} failed`, e)),
          s.everyMinutes * 60_000,
        ),
      )
    : [];

  return {
    apiUrl: gateway.url,
    consoleUrl: consoleServer?.url,
    openApiUrl: `${gateway.url}/openapi.json`,
    mailboxUrl: ses.endpoint,
    smsOutboxUrl: sms.endpoint,
    ses: { configure: (changes) => ses.configure(changes), stats: () => ses.stats(), resetStats: () => ses.resetStats() },
    queuesUrl: queues.endpoint,
    eventBusUrl: events.endpoint,
    dynamoEndpoint: dynamo.endpoint,
    token: options.token,
    tableName,
    texts: sms.texts,
    deadLetters: (queue) => queues.deadLetters(queue),
    eventDeadLetters: (rule) => events.deadLetters(rule),
    async drainQueues(timeoutMs = 10_000) {
      const deadline = Date.now() + timeoutMs;
      for (let pass = 0; pass < 2; pass++) {
        await events.drain(Math.max(0, deadline - Date.now()));
        await queues.drain(Math.max(0, deadline - Date.now()));
      }
    },
    drainEvents: (timeoutMs) => events.drain(timeoutMs),
    advanceClock: (ms) => moveClockAhead(ms),
    runSchedule,
    async stop() {
      for (const t of timers) clearInterval(t);
      await gateway.close();
      await consoleServer?.close();
      await events.close(); // before the queues: a rule's target may still be sending to one
      await queues.close();
      await Promise.all([sms.close(), ses.close()]); // last: workers may be sending until the queues close
      await dynamo.close();
    },
  };
}
