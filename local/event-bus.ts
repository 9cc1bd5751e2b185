/**
 * Local EventBridge: answers the real SDK's PutEvents call on the Herald bus and delivers each
 * event to the wiring table's rules whose source and detail type match (the pattern CDK builds:
 * `{ source: [rule.source], detailType: [rule.detailType] }`). Delivery is asynchronous and at
 * least once: a target that throws is retried with exponential backoff, then its event goes to
 * the rule's dead-letter list. `put` takes events in process (the local SES's simulator events)
 * through the same checks and matching. GET / shows rules, pending deliveries and dead letters as JSON.
 * With `statePath`, pending deliveries and dead letters are saved there (every second while they
 * change, and on close) and reloaded on start, so a restart of `npm start` loses no event.
 */
import { randomUUID } from 'node:crypto';
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { EventBridgeEvent } from 'aws-lambda';
import type { EventRule } from '../functions/wiring.ts';
import { close, listen, readBody, send } from './http-util.ts';

type BusEvent = EventBridgeEvent<string, Record<string, unknown>>;

interface Delivery {
  rule: string;
  event: BusEvent;
  attempts: number;
  dueAt: number;
}

export interface EventDeadLetter {
  event: BusEvent;
  attempts: number;
  error: string;
  failedAt: string;
}

export interface WiredRule {
  rule: Pick<EventRule, 'name' | 'source' | 'detailType'>;
  invoke: (event: BusEvent) => Promise<unknown>;
}

export interface LocalEventBus {
  endpoint: string;
  busName: string;
  /**
   * Puts events on this bus in process, as PutEvents would (same checks, matching and delivery);
   * one result per entry, in order. For the events AWS services publish themselves (on AWS, SES
   * puts on the account's default bus and infra routes them; here they land on this bus).
   */
  put(entries: BusEntry[]): PutEventsResultEntry[];
  deadLetters(rule: string): EventDeadLetter[];
  /** Resolves once no delivery is pending or in flight. */
  drain(timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

export interface BusEntry {
  source: string;
  detailType: string;
  detail: object;
  resources?: string[];
  time?: Date;
}

export type PutEventsResultEntry = { EventId: string } | { ErrorCode: string; ErrorMessage: string };

interface PutEventsEntry {
  Source?: string;
  DetailType?: string;
  Detail?: string;
  Time?: number | string;
  Resources?: string[];
  EventBusName?: string;
}

const ACCOUNT = '000000000000';
const MAX_REQUEST_BYTES = 256 * 1024;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** maxAttempts: deliveries per event and rule before it is dead-lettered; retryBaseMs: first backoff, doubling. */
export async function startEventBus(options: {
  port?: number;
  rules: WiredRule[];
  busName?: string;
  maxAttempts?: number;
  retryBaseMs?: number;
  statePath?: string;
}): Promise<LocalEventBus> {
  const busName = options.busName ?? 'herald-local';
  const maxAttempts = options.maxAttempts ?? 3;
  const retryBaseMs = options.retryBaseMs ?? 250;
  const region = process.env.AWS_REGION ?? 'us-east-1';
  const rules = new Map(options.rules.map((wired) => [wired.rule.name, wired]));
  const pending: Delivery[] = [];
  const dead = new Map<string, EventDeadLetter[]>(options.rules.map((wired) => [wired.rule.name, []]));
  const inFlight = new Set<Promise<void>>();
  let stopped = false;
  if (options.statePath && existsSync(options.statePath)) {
    const saved = JSON.parse(readFileSync(options.statePath, 'utf8')) as { pending: Delivery[]; dead: Record<string, EventDeadLetter[]> };
    pending.push(...saved.pending.filter((d) => rules.has(d.rule)).map((d) => ({ ...d, dueAt: Date.now() })));
    for (const [rule, letters] of Object.entries(saved.dead)) dead.get(rule)?.push(...letters);
  }
  let savedState = '';
  const save = () => {
    if (!options.statePath) return;
    const state = JSON.stringify({ pending, dead: Object.fromEntries(dead) });
    if (state === savedState) return;
    writeFileSync(`${options.statePath}.tmp`, state);
    renameSync(`${options.statePath}.tmp`, options.statePath);
    savedState = state;
  };
  const saver = options.statePath ? setInterval(save, 1000) : undefined;

  /** One entry → its event id and deliveries, or the per-entry error AWS would report. */
  const accept = (entry: PutEventsEntry): PutEventsResultEntry => {
    const bus = entry.EventBusName?.split('/').pop() ?? 'default';
    if (bus !== busName && bus !== 'default')
      return { ErrorCode: 'ResourceNotFoundException', ErrorMessage: `Event bus ${entry.EventBusName} does not exist.` };
    for (const field of ['Source', 'DetailType', 'Detail'] as const) {
      if (!entry[field])
        return { ErrorCode: 'InvalidArgument', ErrorMessage: `Parameter ${field} is not valid. Reason: ${field} is a required argument.` };
    }
    let detail: unknown;
    try {
      detail = JSON.parse(entry.Detail as string);
    } catch {
      /* malformed */
    }
    if (!detail || typeof detail !== 'object' || Array.isArray(detail))
      return { ErrorCode: 'MalformedDetail', ErrorMessage: 'Detail is malformed.' };
    const time = entry.Time === undefined ? new Date() : new Date(typeof entry.Time === 'number' ? entry.Time * 1000 : entry.Time);
    const event: BusEvent = {
      version: '0',
      id: randomUUID(),
      'detail-type': entry.DetailType as string,
      source: entry.Source as string,
      account: ACCOUNT,
      time: time.toISOString().replace(/\.\d{3}Z$/, 'Z'),
      region,
      resources: entry.Resources ?? [],
      detail: detail as Record<string, unknown>,
    };
    if (bus === busName) {
      // the default bus carries none of Herald's rules
      for (const { rule } of rules.values()) {
        if (rule.source === event.source && rule.detailType === event['detail-type'])
          pending.push({ rule: rule.name, event, attempts: 0, dueAt: Date.now() });
      }
    }
    return { EventId: event.id };
  };

  const server = createServer(async (req, res) => {
    const json = 'application/x-amz-json-1.1';
    try {
      if (req.method === 'GET') {
        return send(res, 200, {
          busName,
          rules: [...rules.values()].map(({ rule }) => ({
            ...rule,
            pending: pending.filter((d) => d.rule === rule.name).length,
            deadLetters: dead.get(rule.name),
          })),
          pending: pending.length,
        });
      }
      const target = String(req.headers['x-amz-target'] ?? '');
      const body = (await readBody(req)).toString('utf8');
      if (target !== 'AWSEvents.PutEvents')
        return send(res, 400, { __type: 'UnknownOperationException', message: `not emulated: ${target}` }, json);
      const entries = (JSON.parse(body || '{}') as { Entries?: PutEventsEntry[] }).Entries ?? [];
      if (entries.length < 1 || entries.length > 10) {
        return send(
          res,
          400,
          {
            __type: 'ValidationException',
            message: `1 validation error detected: Value at 'entries' failed to satisfy constraint: Member must have length between 1 and 10`,
          },
          json,
        );
      }
      const size = entries.reduce(
        (n, e) =>
          n +
          (e.Time === undefined ? 0 : 14) +
          [e.Source, e.DetailType, e.Detail, ...(e.Resources ?? [])].reduce((m, s) => m + Buffer.byteLength(s ?? ''), 0),
        0,
      );
      if (size > MAX_REQUEST_BYTES)
        return send(
          res,
          400,
          { __type: 'ValidationException', message: 'Total size of the entries in the request is over the limit.' },
          json,
        );
      const results = entries.map(accept);
      send(res, 200, { FailedEntryCount: results.filter((r) => 'ErrorCode' in r).length, Entries: results }, json);
    } catch (error) {
      send(res, 400, { __type: 'ValidationException', message: (error as Error).message }, json);
    }
  });
  const port = await listen(server, options.port ?? 0);

  /** Runs one delivery; settles it as done, due again after a backoff, or dead-lettered. */
  const deliver = async (d: Delivery) => {
    d.attempts++;
    try {
      await (rules.get(d.rule) as WiredRule).invoke(d.event);
      pending.splice(pending.indexOf(d), 1);
    } catch (error) {
      if (d.attempts >= maxAttempts) {
        pending.splice(pending.indexOf(d), 1);
        dead.get(d.rule)?.push({
          event: d.event,
          attempts: d.attempts,
          error: String((error as Error)?.message ?? error),
          failedAt: new Date().toISOString(),
        });
      } else {
        d.dueAt = Date.now() + retryBaseMs * 2 ** (d.attempts - 1);
      }
    }
  };
  const pump = (async () => {
    while (!stopped) {
      const now = Date.now();
      for (const d of pending.filter((p) => p.dueAt <= now)) {
        d.dueAt = Infinity; // in flight
        const run = deliver(d).finally(() => inFlight.delete(run));
        inFlight.add(run);
      }
      await sleep(10);
    }
  })();

  return {
    endpoint: `http://127.0.0.1:${port}`,
    busName,
    put: (entries) =>
      entries.map((e) =>
        accept({
          EventBusName: busName,
          Source: e.source,
          DetailType: e.detailType,
          Detail: JSON.stringify(e.detail),
          Resources: e.resources,
          Time: e.time?.toISOString(),
        }),
      ),
    deadLetters: (rule) => dead.get(rule) ?? [],
    async drain(timeoutMs = 10_000) {
      const deadline = Date.now() + timeoutMs;
      while (pending.length > 0 || inFlight.size > 0) {
        if (Date.now() > deadline) throw new Error('event bus did not drain in time');
        await sleep(20);
      }
    },
    async close() {
      stopped = true;
      await pump;
      await Promise.all(inFlight);
      clearInterval(saver);
      save();
      await close(server);
    },
  };
}
