/** The local EventBridge bus through the real SDK client, and the event publisher adapter. */
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { EventBridgeEvent } from 'aws-lambda';
import { afterEach, describe, expect, it } from 'vitest';
import { startEventBus, type LocalEventBus, type WiredRule } from '../../local/event-bus.ts';
import { createEventPublisher } from '../../shared/aws/event-bus.ts';

type Event = EventBridgeEvent<string, Record<string, unknown>>;
const credentials = { accessKeyId: 'local', secretAccessKey: 'local' };
const client = (bus: LocalEventBus) => new EventBridgeClient({ endpoint: bus.endpoint, region: 'us-east-1', credentials });
const purchase = { name: 'on-purchase', source: 'herald.shop', detailType: 'Purchase Completed' };
const refund = { name: 'on-refund', source: 'herald.shop', detailType: 'Refund Issued' };
const recording = (rule: WiredRule['rule'], received: Event[]): WiredRule => ({ rule, invoke: async (event) => void received.push(event) });

let bus: LocalEventBus | undefined;
afterEach(async () => {
  await bus?.close();
  bus = undefined;
});

describe('local event bus', () => {
  it('delivers an event, with the shape Lambda receives, to the matching rules only', async () => {
    const purchases: Event[] = [];
    const refunds: Event[] = [];
    bus = await startEventBus({ busName: 'herald-test', rules: [recording(purchase, purchases), recording(refund, refunds)] });
    const out = await client(bus).send(
      new PutEventsCommand({
        Entries: [
          {
            EventBusName: 'herald-test',
            Source: 'herald.shop',
            DetailType: 'Purchase Completed',
            Detail: JSON.stringify({ contactId: 'c1', amount: 42 }),
            Time: new Date('2026-03-01T10:00:00Z'),
          },
        ],
      }),
    );
    expect(out.FailedEntryCount).toBe(0);
    const eventId = out.Entries?.[0]?.EventId;
    expect(eventId).toMatch(/^[0-9a-f-]{36}$/);
    await bus.drain();
    expect(refunds).toEqual([]);
    expect(purchases).toEqual([
      {
        version: '0',
        id: eventId,
        'detail-type': 'Purchase Completed',
        source: 'herald.shop',
        account: '000000000000',
        time: '2026-03-01T10:00:00Z',
        region: expect.any(String),
        resources: [],
        detail: { contactId: 'c1', amount: 42 },
      },
    ]);

    // another source, or the default bus (which has none of Herald's rules): accepted, delivered nowhere
    const other = await client(bus).send(
      new PutEventsCommand({
        Entries: [
          { EventBusName: 'herald-test', Source: 'other.shop', DetailType: 'Purchase Completed', Detail: '{}' },
          { Source: 'herald.shop', DetailType: 'Purchase Completed', Detail: '{}' },
        ],
      }),
    );
    expect(other.FailedEntryCount).toBe(0);
    await bus.drain();
    expect(purchases).toHaveLength(1);
  });

  it('answers PutEvents before the target runs', async () => {
    let release!: () => void;
    const started: Event[] = [];
    bus = await startEventBus({
      rules: [
        {
          rule: purchase,
          invoke: (event) => {
            started.push(event);
            return new Promise<void>((resolve) => {
              release = resolve;
            });
          },
        },
      ],
    });
    await client(bus).send(
      new PutEventsCommand({
        Entries: [{ EventBusName: bus.busName, Source: purchase.source, DetailType: purchase.detailType, Detail: '{}' }],
      }),
    );
    while (started.length === 0) await new Promise((resolve) => setTimeout(resolve, 5));
    release();
    await bus.drain();
  });

  it('retries a target that throws with backoff, then dead-letters the event after maxAttempts', async () => {
    const attempts: number[] = [];
    bus = await startEventBus({
      retryBaseMs: 5,
      maxAttempts: 4,
      rules: [
        {
          rule: purchase,
          invoke: async () => {
            attempts.push(Date.now());
            throw new Error('target down');
          },
        },
      ],
    });
    await client(bus).send(
      new PutEventsCommand({
        Entries: [{ EventBusName: bus.busName, Source: purchase.source, DetailType: purchase.detailType, Detail: '{"n":1}' }],
      }),
    );
    await bus.drain();
    expect(attempts).toHaveLength(4);
    expect(attempts[3]! - attempts[0]!).toBeGreaterThanOrEqual(5 + 10 + 20); // 5, 10, 20 ms backoffs
    expect(bus.deadLetters('on-purchase')).toMatchObject([{ event: { detail: { n: 1 } }, attempts: 4, error: 'target down' }]);
    const status = (await (await fetch(bus.endpoint)).json()) as { pending: number; rules: { name: string; deadLetters: unknown[] }[] };
    expect(status.pending).toBe(0);
    expect(status.rules.find((r) => r.name === 'on-purchase')?.deadLetters).toHaveLength(1);
  });

  it('reports bad entries one by one and accepts the good ones of the same call', async () => {
    const received: Event[] = [];
    bus = await startEventBus({ rules: [recording(purchase, received)] });
    const good = { EventBusName: bus.busName, Source: purchase.source, DetailType: purchase.detailType, Detail: '{"ok":true}' };
    const out = await client(bus).send(
      new PutEventsCommand({
        Entries: [
          good,
          { ...good, DetailType: undefined },
          { ...good, Detail: 'not json' },
          { ...good, Detail: '[1,2]' },
          { ...good, EventBusName: 'nope' },
        ],
      }),
    );
    expect(out.FailedEntryCount).toBe(4);
    expect(out.Entries?.[0]?.EventId).toBeTruthy();
    expect(out.Entries?.slice(1).map((e) => e.ErrorCode)).toEqual([
      'InvalidArgument',
      'MalformedDetail',
      'MalformedDetail',
      'ResourceNotFoundException',
    ]);
    expect(out.Entries?.[1]?.ErrorMessage).toMatch(/DetailType/);
    await bus.drain();
    expect(received.map((e) => e.detail)).toEqual([{ ok: true }]);

    await expect(client(bus).send(new PutEventsCommand({ Entries: Array.from({ length: 11 }, () => good) }))).rejects.toThrow(
      /between 1 and 10/,
    );
    await expect(
      client(bus).send(new PutEventsCommand({ Entries: [{ ...good, Detail: JSON.stringify({ big: 'x'.repeat(256 * 1024) }) }] })),
    ).rejects.toThrow(/over the limit/);
  });

  it('keeps pending deliveries and dead letters across a restart when given a state file', async () => {
    const statePath = join(mkdtempSync(join(tmpdir(), 'herald-events-')), 'events.json');
    const put = (target: LocalEventBus, detail: object) =>
      client(target).send(
        new PutEventsCommand({
          Entries: [
            { EventBusName: target.busName, Source: purchase.source, DetailType: purchase.detailType, Detail: JSON.stringify(detail) },
          ],
        }),
      );

    // 1. a poison event dead-letters
    bus = await startEventBus({
      statePath,
      retryBaseMs: 1,
      maxAttempts: 2,
      rules: [
        {
          rule: purchase,
          invoke: async () => {
            throw new Error('down');
          },
        },
      ],
    });
    await put(bus, { n: 'poison' });
    await bus.drain();
    await bus.close();

    // 2. an event fails once and waits a long backoff when the bus stops
    let attempts = 0;
    bus = await startEventBus({
      statePath,
      retryBaseMs: 60_000,
      rules: [
        {
          rule: purchase,
          invoke: async () => {
            attempts++;
            throw new Error('down');
          },
        },
      ],
    });
    await put(bus, { n: 'work' });
    while (attempts === 0) await new Promise((resolve) => setTimeout(resolve, 5));
    await bus.close();

    // 3. after the restart it is delivered at once, and the dead letter is still there
    const received: Event[] = [];
    bus = await startEventBus({ statePath, rules: [recording(purchase, received)] });
    await bus.drain();
    expect(received.map((e) => e.detail)).toEqual([{ n: 'work' }]);
    expect(bus.deadLetters('on-purchase')).toMatchObject([{ event: { detail: { n: 'poison' } }, attempts: 2 }]);
  });
});

describe('EventBridge publisher adapter → local event bus', () => {
  it('publishes in calls of 10 and throws naming a refused entry', async () => {
    const received: Event[] = [];
    bus = await startEventBus({ busName: 'herald-test', rules: [recording(purchase, received)] });
    const publisher = createEventPublisher({ EVENT_BUS_NAME: 'herald-test' }, client(bus));
    const events = Array.from({ length: 23 }, (_, i) => ({ source: purchase.source, detailType: purchase.detailType, detail: { i } }));
    const { eventIds } = await publisher.publish(events);
    expect(new Set(eventIds).size).toBe(23);
    await bus.drain();
    expect(received.map((e) => e.detail.i).sort((a, b) => Number(a) - Number(b))).toEqual(events.map((e) => e.detail.i));

    await expect(publisher.publish([{ source: '', detailType: 'X', detail: {} }])).rejects.toThrow(/InvalidArgument.*Source/);
    await expect(createEventPublisher({ EVENT_BUS_NAME: 'elsewhere' }, client(bus)).publish(events.slice(0, 1))).rejects.toThrow(
      /ResourceNotFoundException/,
    );
    await expect(createEventPublisher({}, client(bus)).publish(events)).rejects.toThrow(/EVENT_BUS_NAME/);
  });
});
