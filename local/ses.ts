/**
 * Local SES: aws-ses-v2-local (the SESv2 API, a mailbox page at / and its JSON at GET /store) on a
 * loopback port of its own, behind a small proxy that is the endpoint Herald's clients use. The
 * proxy adds what campaign senders need and the emulator lacks:
 * - GetAccount (GET /v2/email/account) with a configurable MaxSendRate and SentLast24Hours;
 * - throttling as SES does it when the sending rate is exceeded (429 TooManyRequestsException),
 *   per fixed one-second window, when `throttlePerSecond` is set;
 * - injected failures (500 InternalFailure, nothing stored): a share of calls (`failureRate`) or
 *   chosen ones (`fault`);
 * - the mailbox simulator (success@, bounce@, complaint@, suppressionlist@, ooto@
 *   simulator.amazonses.com, also with a +label): the Send/Delivery/Bounce/Complaint events SES
 *   would publish to EventBridge through the configuration set go to `publish`;
 * - the message tags (EmailTags), which the emulator drops: GET /tags/<messageId> answers
 *   `{ messageId, configurationSet, tags: { Name: Value } }` (404 for a message sent with neither
 *   a configuration set nor tags, or unknown), and GET /messages (?since=<epoch seconds> as
 *   /store) answers the emulator's `{ emails }` with `configurationSet` and `tags` on each. The
 *   custom headers (Content.Simple.Headers) are in /store already, as `headers: [{ name, value }]`
 *   on each email. POST /clear-store empties both.
 * Only SendEmail (POST /v2/email/outbound-emails) is throttled, failed or counted; everything else
 * (the page at /, /store, /clear-store, /get-emlContent, the rest of the API) streams through as is.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import {
  Agent,
  createServer,
  type IncomingHttpHeaders,
  type IncomingMessage,
  type OutgoingHttpHeaders,
  request,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo } from 'node:net';
import sesModule from 'aws-ses-v2-local';
import { close, listen, readBody, send } from './http-util.ts';

// CommonJS default export: under ESM it may arrive wrapped once more.
const sesLocal = ((sesModule as unknown as { default?: typeof sesModule }).default ?? sesModule) as unknown as (config: {
  host: string;
  port: number;
}) => Promise<import('node:http').Server>;

/**
 * `throttle`: a 429 TooManyRequestsException; `error`: a 500 InternalFailure (nothing stored);
 * `drop`: the message is accepted and stored, then the connection is cut before the answer, as
 * when a sender dies after SES accepted its message.
 */
export type SesFault = 'throttle' | 'error' | 'drop' | undefined;

/** What the local SES does; all of it can be changed while it runs (`configure`). */
export interface SesBehaviour {
  /** GetAccount's SendQuota.MaxSendRate (default 200). */
  maxSendRate: number;
  /** GetAccount's SendQuota.Max24HourSend (default 1,000,000). */
  max24HourSend: number;
  /** SendEmail calls allowed per one-second window before 429s; undefined: no throttling. */
  throttlePerSecond: number | undefined;
  /** Share (0..1) of SendEmail calls that fail with a 500 and store nothing (default 0). */
  failureRate: number;
  /** Decides a SendEmail call's fate before the rules above (`to`: its ToAddresses). */
  fault: ((input: { to: string[] }) => SesFault) | undefined;
}

/** SendEmail calls, each SDK attempt counted: accepted + throttled + failed + refused by the emulator (400). */
export interface SesStats {
  sendCalls: number;
  accepted: number;
  throttled: number;
  failed: number;
}

export interface SesMail {
  timestamp: string;
  source: string;
  sourceArn: string;
  sendingAccountId: string;
  messageId: string;
  destination: string[];
  headersTruncated: false;
  headers: { name: string; value: string }[];
  commonHeaders: { from: string[]; replyTo?: string[]; to: string[]; cc?: string[]; messageId: string; subject: string };
  tags: Record<string, string[]>;
}

/** The `detail` of an SES event on EventBridge: the record SES publishes through a configuration set. */
export interface SesEventDetail {
  eventType: 'Send' | 'Delivery' | 'Bounce' | 'Complaint';
  mail: SesMail;
  send?: Record<string, never>;
  delivery?: { timestamp: string; processingTimeMillis: number; recipients: string[]; smtpResponse: string; reportingMTA: string };
  bounce?: {
    bounceType: 'Permanent';
    bounceSubType: 'General' | 'OnAccountSuppressionList';
    bouncedRecipients: { emailAddress: string; action: 'failed'; status: string; diagnosticCode: string }[];
    timestamp: string;
    feedbackId: string;
    reportingMTA: string;
  };
  complaint?: {
    complainedRecipients: { emailAddress: string }[];
    timestamp: string;
    feedbackId: string;
    complaintFeedbackType: 'abuse';
    userAgent: string;
    arrivalDate: string;
  };
}

export interface SesEvent {
  source: 'aws.ses';
  detailType: 'Email Sent' | 'Email Delivered' | 'Email Bounced' | 'Email Complaint Received';
  detail: SesEventDetail;
  /** The configuration set's ARN, as on SES's events. */
  resources: string[];
}

export interface LocalSes {
  /** The proxy: the SESv2 endpoint and the mailbox page. */
  endpoint: string;
  configure(options: Partial<SesBehaviour>): void;
  stats(): SesStats;
  resetStats(): void;
  close(): Promise<void>;
}

export interface SesOptions extends Partial<SesBehaviour> {
  /** The proxy's port (the emulator takes a free one); default a free one. */
  port?: number;
  /** Receives the simulator's events, one call per SendEmail; errors are logged. */
  publish?: (events: SesEvent[]) => Promise<void>;
  /**
   * Mail "received" (SES inbound): `POST /inbound` with `{ to, subject, from? }` plays a mail client
   * sending the List-Unsubscribe mailto:; the notification goes here as SES's SNS action sends it.
   */
  receive?: (notification: {
    notificationType: 'Received';
    mail: { destination: string[]; source: string; commonHeaders: { subject: string } };
  }) => Promise<void>;
}

interface SendEmailInput {
  FromEmailAddress?: string;
  Destination?: { ToAddresses?: string[]; CcAddresses?: string[]; BccAddresses?: string[] };
  ReplyToAddresses?: string[];
  ConfigurationSetName?: string;
  EmailTags?: { Name: string; Value: string }[];
  Content?: {
    Simple?: {
      Subject?: { Data?: string };
      Body?: { Html?: { Data?: string }; Text?: { Data?: string } };
      Headers?: { Name: string; Value: string }[];
    };
  };
}

const ACCOUNT = '000000000000';
const SEND_PATH = '/v2/email/outbound-emails';
const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'transfer-encoding', 'upgrade', 'proxy-connection', 'te', 'trailer']);
const SIMULATOR = /^(success|bounce|complaint|suppressionlist|ooto)(\+[^@]*)?@simulator\.amazonses\.com$/i;
type Outcome = 'success' | 'bounce' | 'complaint' | 'suppressionlist' | 'ooto';

/** `Name <a@b>` or `a@b` → `a@b`. */
const addressOf = (s: string) => (/<([^>]+)>/.exec(s)?.[1] ?? s).trim();
const outcomeOf = (address: string) => SIMULATOR.exec(addressOf(address))?.[1]?.toLowerCase() as Outcome | undefined;
const feedbackId = () => `${randomBytes(8).toString('hex')}-${randomUUID()}-000000`;

const withoutHopByHop = (headers: IncomingHttpHeaders): OutgoingHttpHeaders =>
  Object.fromEntries(Object.entries(headers).filter(([name]) => !HOP_BY_HOP.has(name.toLowerCase())));

/** An error as SES v2 (restJson1) answers it: the SDK names its error after x-amzn-ErrorType. */
function awsError(res: ServerResponse, status: number, type: string, message: string) {
  const text = JSON.stringify({ message });
  res.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(text),
    'x-amzn-errortype': type,
    'x-amzn-requestid': randomUUID(),
  });
  res.end(text);
}

export async function startSes(options: SesOptions = {}): Promise<LocalSes> {
  const emulator = await sesLocal({ host: '127.0.0.1', port: 0 });
  const upstreamPort = (emulator.address() as AddressInfo).port;
  const agent = new Agent({ keepAlive: true });
  const behaviour: SesBehaviour = {
    maxSendRate: options.maxSendRate ?? 200,
    max24HourSend: options.max24HourSend ?? 1_000_000,
    throttlePerSecond: options.throttlePerSecond,
    failureRate: options.failureRate ?? 0,
    fault: options.fault,
  };
  const stats: SesStats = { sendCalls: 0, accepted: 0, throttled: 0, failed: 0 };
  const window = { second: 0, calls: 0 };
  const sentPerMinute = new Map<number, number>(); // SentLast24Hours, independent of resetStats
  const tagsByMessage = new Map<string, { configurationSet?: string; tags: Record<string, string> }>();

  /** One request to the emulator, the body buffered both ways (SendEmail and /messages). */
  const upstream = (method: string, path: string, headers: IncomingHttpHeaders, body?: Buffer) =>
    new Promise<{ status: number; headers: IncomingHttpHeaders; body: Buffer }>((resolve, reject) => {
      const outgoing: OutgoingHttpHeaders = { ...withoutHopByHop(headers), host: `127.0.0.1:${upstreamPort}` };
      if (body) outgoing['content-length'] = body.length;
      const req = request({ agent, host: '127.0.0.1', port: upstreamPort, method, path, headers: outgoing }, (res) => {
        readBody(res, Number.POSITIVE_INFINITY).then(
          (data) => resolve({ status: res.statusCode ?? 502, headers: res.headers, body: data }),
          reject,
        );
      });
      req.on('error', reject);
      req.end(body);
    });

  /** Streams a request to the emulator and its answer back. */
  const pipeThrough = (req: IncomingMessage, res: ServerResponse) => {
    const outgoing = request(
      {
        agent,
        host: '127.0.0.1',
        port: upstreamPort,
        method: req.method,
        path: req.url,
        headers: { ...withoutHopByHop(req.headers), host: `127.0.0.1:${upstreamPort}` },
      },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, withoutHopByHop(answer.headers));
        answer.pipe(res);
      },
    );
    outgoing.on('error', (error) => {
      if (!res.headersSent) send(res, 502, { message: `SES emulator unreachable: ${error.message}` });
      else res.destroy(error);
    });
    req.pipe(outgoing);
  };

  const sentLast24Hours = () => {
    const oldest = Math.floor(Date.now() / 60_000) - 24 * 60;
    let total = 0;
    for (const [minute, count] of sentPerMinute) {
      if (minute <= oldest) sentPerMinute.delete(minute);
      else total += count;
    }
    return total;
  };

  /** The call's fate before it reaches the emulator: the test hook, then the rate window, then chance. */
  const verdict = (input: SendEmailInput): SesFault => {
    const chosen = behaviour.fault?.({ to: input.Destination?.ToAddresses ?? [] });
    if (chosen) return chosen;
    if (behaviour.throttlePerSecond !== undefined) {
      const second = Math.floor(Date.now() / 1000);
      if (second !== window.second) Object.assign(window, { second, calls: 0 });
      if (window.calls >= behaviour.throttlePerSecond) return 'throttle';
      window.calls++;
    }
    return behaviour.failureRate > 0 && Math.random() < behaviour.failureRate ? 'error' : undefined;
  };

  const sendEmail = async (req: IncomingMessage, res: ServerResponse) => {
    stats.sendCalls++;
    const body = await readBody(req, 40 * 1024 * 1024); // SES's message size limit
    let input: SendEmailInput = {};
    try {
      input = JSON.parse(body.toString('utf8')) as SendEmailInput;
    } catch {
      /* the emulator answers a malformed body */
    }
    const fate = verdict(input);
    if (fate === 'throttle') {
      stats.throttled++;
      return awsError(res, 429, 'TooManyRequestsException', 'Maximum sending rate exceeded.');
    }
    if (fate === 'error') {
      stats.failed++;
      return awsError(res, 500, 'InternalFailure', 'The request processing has failed because of an unknown error, exception or failure.');
    }
    const sentAt = new Date();
    const answer = await upstream('POST', req.url ?? SEND_PATH, req.headers, body);
    // The answer goes last: by then the message's events are on the bus, so whoever waits for the
    // queues and the bus to drain after a send also waits for what SES reports about it.
    const respond = () => {
      if (fate === 'drop') res.socket?.destroy();
      else {
        res.writeHead(answer.status, { ...withoutHopByHop(answer.headers), 'content-length': answer.body.length });
        res.end(answer.body);
      }
    };
    if (answer.status !== 200) return respond();
    stats.accepted++;
    const minute = Math.floor(sentAt.getTime() / 60_000);
    sentPerMinute.set(minute, (sentPerMinute.get(minute) ?? 0) + 1);
    const messageId = (JSON.parse(answer.body.toString('utf8')) as { MessageId: string }).MessageId;
    if (input.ConfigurationSetName || input.EmailTags?.length) {
      tagsByMessage.set(messageId, {
        configurationSet: input.ConfigurationSetName,
        tags: Object.fromEntries((input.EmailTags ?? []).map((t) => [t.Name, t.Value])),
      });
    }
    const events = simulatorEvents(input, messageId, sentAt);
    if (events.length > 0 && options.publish) {
      await options.publish(events).catch((error: unknown) => console.error('local SES: publishing simulator events failed', error));
    }
    respond();
  };

  const server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0] as string;
    const handle = async () => {
      if (req.method === 'POST' && path === SEND_PATH) return sendEmail(req, res);
      if (req.method === 'GET' && path === '/v2/email/account') {
        return send(res, 200, {
          DedicatedIpAutoWarmupEnabled: false,
          EnforcementStatus: 'HEALTHY',
          ProductionAccessEnabled: true,
          SendingEnabled: true,
          SendQuota: { Max24HourSend: behaviour.max24HourSend, MaxSendRate: behaviour.maxSendRate, SentLast24Hours: sentLast24Hours() },
          SuppressionAttributes: { SuppressedReasons: ['BOUNCE', 'COMPLAINT'] },
        });
      }
      if (req.method === 'GET' && path.startsWith('/tags/')) {
        const messageId = decodeURIComponent(path.slice('/tags/'.length));
        const entry = tagsByMessage.get(messageId);
        return entry ? send(res, 200, { messageId, ...entry }) : send(res, 404, { message: `no message ${messageId}` });
      }
      if (req.method === 'GET' && path === '/messages') {
        const store = await upstream('GET', (req.url ?? '').replace('/messages', '/store'), {});
        if (store.status !== 200) return send(res, store.status, store.body.toString('utf8'));
        const { emails } = JSON.parse(store.body.toString('utf8')) as { emails: { messageId: string }[] };
        const withTags = emails.map((e) => {
          const extra = tagsByMessage.get(e.messageId);
          return { ...e, configurationSet: extra?.configurationSet ?? null, tags: extra?.tags ?? {} };
        });
        return send(res, 200, { emails: withTags });
      }
      if (req.method === 'POST' && path === '/inbound') {
        const chunks: Buffer[] = [];
        for await (const chunk of req) chunks.push(chunk as Buffer);
        const input = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as { to?: unknown; subject?: unknown; from?: unknown };
        if (typeof input.to !== 'string' || typeof input.subject !== 'string') return send(res, 400, { message: 'give to and subject' });
        const from = typeof input.from === 'string' ? input.from : 'reader@example.com';
        await options.receive?.({
          notificationType: 'Received',
          mail: { destination: [input.to], source: from, commonHeaders: { subject: input.subject } },
        });
        return send(res, 202, { received: true });
      }
      if (req.method === 'POST' && path === '/clear-store') tagsByMessage.clear();
      pipeThrough(req, res);
    };
    handle().catch((error: unknown) => {
      stats.failed++;
      if (!res.headersSent) send(res, 502, { message: `local SES proxy: ${(error as Error).message}` });
      else res.destroy();
    });
  });
  // Keep-alive sockets are never closed by these servers: a client writing on a pooled socket just
  // as the server's idle timer closes it gets ECONNRESET, which a sender must take as "may have
  // gone" (it never resends). Real SES closes idle connections too; the senders live with that.
  server.keepAliveTimeout = 0;
  emulator.keepAliveTimeout = 0;
  const port = await listen(server, options.port ?? 0);

  return {
    endpoint: `http://127.0.0.1:${port}`,
    configure(changes) {
      for (const [key, value] of Object.entries(changes)) (behaviour as unknown as Record<string, unknown>)[key] = value;
    },
    stats: () => ({ ...stats }),
    resetStats() {
      Object.assign(stats, { sendCalls: 0, accepted: 0, throttled: 0, failed: 0 });
    },
    async close() {
      await close(server);
      await close(emulator);
      agent.destroy();
    },
  };
}

/**
 * The events SES publishes for a message to the mailbox simulator, in order: Send, then Delivery
 * (success, ooto, complaint and any other recipient), Bounce (bounce: General; suppressionlist:
 * OnAccountSuppressionList) and Complaint. None for a message to no simulator address.
 */
function simulatorEvents(input: SendEmailInput, messageId: string, sentAt: Date): SesEvent[] {
  // SES publishes sending events only through a configuration set with an event destination: a
  // message sent without ConfigurationSetName produces none, here as on AWS.
  const configurationSet = input.ConfigurationSetName;
  if (!configurationSet) return [];
  const { ToAddresses: to = [], CcAddresses: cc = [], BccAddresses: bcc = [] } = input.Destination ?? {};
  const recipients = [...to, ...cc, ...bcc];
  const outcomes = recipients.map((address) => ({ address: addressOf(address), outcome: outcomeOf(address) }));
  if (!outcomes.some((o) => o.outcome)) return [];

  const region = process.env.AWS_REGION ?? 'us-east-1';
  const source = input.FromEmailAddress ?? '';
  const fromDomain = addressOf(source).split('@')[1] ?? '';
  const simple = input.Content?.Simple;
  const subject = simple?.Subject?.Data ?? '';
  const contentType =
    simple?.Body?.Html?.Data && simple.Body.Text?.Data
      ? `multipart/alternative; boundary="----=_Part_${randomBytes(6).toString('hex')}"`
      : simple?.Body?.Html?.Data
        ? 'text/html; charset=UTF-8'
        : 'text/plain; charset=UTF-8';
  const replyTo = input.ReplyToAddresses ?? [];
  const headers = [
    { name: 'From', value: source },
    ...(replyTo.length ? [{ name: 'Reply-To', value: replyTo.join(', ') }] : []),
    { name: 'To', value: to.join(', ') },
    ...(cc.length ? [{ name: 'Cc', value: cc.join(', ') }] : []),
    { name: 'Subject', value: subject },
    { name: 'MIME-Version', value: '1.0' },
    { name: 'Content-Type', value: contentType },
    ...(simple?.Headers ?? []).map((h) => ({ name: h.Name, value: h.Value })),
  ];
  const mail: SesMail = {
    timestamp: sentAt.toISOString(),
    source,
    sourceArn: `arn:aws:ses:${region}:${ACCOUNT}:identity/${fromDomain}`,
    sendingAccountId: ACCOUNT,
    messageId,
    destination: recipients,
    headersTruncated: false,
    headers,
    commonHeaders: {
      from: [source],
      ...(replyTo.length ? { replyTo } : {}),
      to,
      ...(cc.length ? { cc } : {}),
      messageId,
      subject,
    },
    tags: {
      'ses:configuration-set': [configurationSet],
      'ses:source-ip': ['127.0.0.1'],
      'ses:from-domain': [fromDomain],
      'ses:caller-identity': ['local'],
      ...Object.fromEntries((input.EmailTags ?? []).map((t) => [t.Name, [t.Value]])),
    },
  };
  const resources = [`arn:aws:ses:${region}:${ACCOUNT}:configuration-set/${configurationSet}`];
  const now = new Date();
  const at = now.toISOString();
  const event = (detailType: SesEvent['detailType'], detail: Omit<SesEventDetail, 'mail'>): SesEvent => ({
    source: 'aws.ses',
    detailType,
    detail: { ...detail, mail },
    resources,
  });
  const having = (...wanted: (Outcome | undefined)[]) => outcomes.filter((o) => wanted.includes(o.outcome)).map((o) => o.address);

  const events = [event('Email Sent', { eventType: 'Send', send: {} })];
  const delivered = having('success', 'ooto', 'complaint', undefined);
  if (delivered.length > 0) {
    events.push(
      event('Email Delivered', {
        eventType: 'Delivery',
        delivery: {
          timestamp: at,
          processingTimeMillis: now.getTime() - sentAt.getTime(),
          recipients: delivered,
          smtpResponse: '250 2.6.0 Message received',
          reportingMTA: `a1-1.smtp-out.${region}.amazonses.com`,
        },
      }),
    );
  }
  const bounces: [Outcome, 'General' | 'OnAccountSuppressionList', string, string][] = [
    ['bounce', 'General', 'smtp; 550 5.1.1 user unknown', `dsn; a1-1.smtp-out.${region}.amazonses.com`],
    [
      'suppressionlist',
      'OnAccountSuppressionList',
      'Amazon SES did not send the message to this address because it is on the suppression list for your account.',
      'dns; amazonses.com',
    ],
  ];
  for (const [outcome, bounceSubType, diagnosticCode, reportingMTA] of bounces) {
    const bounced = having(outcome);
    if (bounced.length === 0) continue;
    events.push(
      event('Email Bounced', {
        eventType: 'Bounce',
        bounce: {
          bounceType: 'Permanent',
          bounceSubType,
          bouncedRecipients: bounced.map((emailAddress) => ({ emailAddress, action: 'failed', status: '5.1.1', diagnosticCode })),
          timestamp: at,
          feedbackId: feedbackId(),
          reportingMTA,
        },
      }),
    );
  }
  const complained = having('complaint');
  if (complained.length > 0) {
    events.push(
      event('Email Complaint Received', {
        eventType: 'Complaint',
        complaint: {
          complainedRecipients: complained.map((emailAddress) => ({ emailAddress })),
          timestamp: at,
          feedbackId: feedbackId(),
          complaintFeedbackType: 'abuse',
          userAgent: 'Amazon SES Mailbox Simulator',
          arrivalDate: at,
        },
      }),
    );
  }
  return events;
}
