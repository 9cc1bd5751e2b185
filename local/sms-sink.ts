/**
 * SMS sink: answers AWS End User Messaging SMS (pinpoint-sms-voice-v2) SendTextMessage calls
 * from the real SDK client, keeps the texts, and lists them on a page (GET /) and as JSON
 * (GET /messages).
 */
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import { close, escapeHtml, listen, readBody, send } from './http-util.ts';

export interface SentText {
  messageId: string;
  to: string;
  from?: string;
  body: string;
  messageType?: string;
  configurationSet?: string;
  at: string;
}

export interface LocalSms {
  endpoint: string;
  texts: SentText[];
  close(): Promise<void>;
}

/** A reply from a phone, as End User Messaging's two-way SMS publishes it. */
export interface SmsReply {
  originationNumber: string;
  destinationNumber: string;
  messageBody: string;
  inboundMessageId: string;
}

/**
 * `onReply`: where a reply goes (the platform puts it on the inbound-sms queue, as the SNS topic
 * does on AWS). `POST /reply` with `{ from, body, to? }` (JSON or a form) plays a phone replying;
 * `to` defaults to the number that last texted `from`.
 */
export async function startSmsSink(options: {
  port?: number;
  onReply?: (reply: SmsReply) => Promise<void>;
  /** A delivery receipt per text sent with a configuration set (as End User Messaging's event destination does), before the answer. */
  onEvent?: (event: {
    eventType: 'TEXT_DELIVERED';
    messageId: string;
    destinationPhoneNumber: string;
    context: Record<string, string>;
  }) => Promise<void>;
}): Promise<LocalSms> {
  const texts: SentText[] = [];
  const server = createServer(async (req, res) => {
    try {
      if (req.method === 'GET' && req.url === '/messages') return send(res, 200, { messages: texts });
      if (req.method === 'POST' && req.url === '/reply') {
        const raw = (await readBody(req)).toString('utf8');
        const input = (/^\s*\{/.test(raw) ? JSON.parse(raw) : Object.fromEntries(new URLSearchParams(raw))) as Record<string, unknown>;
        const from = typeof input.from === 'string' ? input.from : '';
        const body = typeof input.body === 'string' ? input.body : '';
        const to = typeof input.to === 'string' && input.to !== '' ? input.to : [...texts].reverse().find((t) => t.to === from)?.from;
        if (!/^\+[1-9]\d{6,14}$/.test(from) || !to) {
          return send(res, 400, { message: 'from must be an E.164 number that was texted (or give to), body the reply' });
        }
        const reply = { originationNumber: from, destinationNumber: to, messageBody: body, inboundMessageId: randomUUID() };
        await options.onReply?.(reply);
        return send(res, 202, reply);
      }
      if (req.method === 'GET') {
        const rows = [...texts]
          .reverse()
          .map(
            (t) =>
              `<tr><td>${escapeHtml(t.at)}</td><td>${escapeHtml(t.to)}</td><td>${escapeHtml(t.from ?? '')}</td><td>${escapeHtml(t.body)}</td></tr>`,
          )
          .join('');
        return send(
          res,
          200,
          `<!doctype html><meta charset="utf-8"><title>Herald SMS outbox</title><h1>SMS outbox (${texts.length})</h1><table border="1" cellpadding="4"><tr><th>sent</th><th>to</th><th>from</th><th>text</th></tr>${rows}</table>`,
          'text/html; charset=utf-8',
        );
      }
      const target = String(req.headers['x-amz-target'] ?? '');
      const input = JSON.parse((await readBody(req)).toString('utf8') || '{}') as Record<string, string | undefined>;
      if (target.endsWith('.SendTextMessage')) {
        if (!input.DestinationPhoneNumber || !/^\+[1-9]\d{6,14}$/.test(input.DestinationPhoneNumber)) {
          return send(
            res,
            400,
            { __type: 'ValidationException', message: 'DestinationPhoneNumber must be E.164' },
            'application/x-amz-json-1.0',
          );
        }
        const text: SentText = {
          messageId: randomUUID(),
          to: input.DestinationPhoneNumber,
          from: input.OriginationIdentity,
          body: input.MessageBody ?? '',
          messageType: input.MessageType,
          configurationSet: input.ConfigurationSetName,
          at: new Date().toISOString(),
        };
        texts.push(text);
        if (input.ConfigurationSetName) {
          const context = (input as unknown as { Context?: Record<string, string> }).Context ?? {};
          await options.onEvent?.({ eventType: 'TEXT_DELIVERED', messageId: text.messageId, destinationPhoneNumber: text.to, context });
        }
        return send(res, 200, { MessageId: text.messageId }, 'application/x-amz-json-1.0');
      }
      send(res, 400, { __type: 'UnknownOperationException', message: `not emulated: ${target}` }, 'application/x-amz-json-1.0');
    } catch (error) {
      send(res, 500, { __type: 'InternalServerException', message: String(error) }, 'application/x-amz-json-1.0');
    }
  });
  const port = await listen(server, options.port ?? 0);
  return { endpoint: `http://127.0.0.1:${port}`, texts, close: () => close(server) };
}
