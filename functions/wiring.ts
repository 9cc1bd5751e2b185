/**
 * The one wiring table. Every route, queue consumer, schedule and event rule is declared here,
 * once; infra/ turns it into AWS resources and local/ into an HTTP gateway, workers and timers.
 * Plain data: no AWS or handler code is imported.
 */
import type { OperationId } from '../shared/api/contract.ts';
import type { QueueName } from '../shared/api/messages.ts';

export type HttpMethod = 'GET' | 'HEAD' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
export type Access = 'none' | 'public' | 'read' | 'write';

export interface Route {
  method: HttpMethod;
  /** API Gateway path syntax: /contacts/{contactId} */
  path: string;
  operation: OperationId;
  /** Handler module, relative to the project root; it exports `handler`. */
  entry: string;
  /**
   * Who may call it and what it may do to the table. 'none': public, no token, no table access;
   * 'public': no bearer token, read-write table access, the request proves itself (a signed token in
   * the path: tracked links, unsubscribe, preferences);
   * 'read' (default for GET): the token, read-only table access; 'write' (default otherwise).
   */
  access?: Access;
  /** Queues the function sends to (its grant and env var follow from this). */
  sends?: QueueName[];
  /** Channels it delivers messages on itself (its SES / SMS grants follow from this). */
  delivers?: ('email' | 'sms')[];
  /** The route stack it deploys in; by default named after the first path segment. */
  group?: string;
}

export interface QueueConsumer {
  entry: string;
  batchSize: number;
  /** Most concurrent invocations (Lambda maximum concurrency for SQS; local worker count). */
  concurrency: number;
  /** Receives before a message goes to the dead-letter queue. */
  maxReceives: number;
  visibilityTimeoutSeconds: number;
  sends?: QueueName[];
  /** Channels it delivers messages on (its SES / SMS grants follow from this). */
  delivers?: ('email' | 'sms')[];
  /** Checks recipient-side tokens (read access to the tracking secret). */
  tokens?: boolean;
}

export interface Schedule {
  name: string;
  entry: string;
  everyMinutes: number;
  sends?: QueueName[];
}

export interface EventRule {
  name: string;
  source: string;
  detailType: string;
  entry: string;
  sends?: QueueName[];
  /** The bus the rule listens on: Herald's own (default), or the account's default bus, where SES puts its events. */
  bus?: 'herald' | 'default';
}

const http = (resource: string, file: string) => `functions/http/${resource}/${file}.ts`;

export const routes: Route[] = [
  { method: 'GET', path: '/openapi.json', operation: 'getOpenApi', entry: http('meta', 'get-openapi'), access: 'none' },
  { method: 'POST', path: '/contacts', operation: 'upsertContact', entry: http('contacts', 'upsert-contact') },
  { method: 'GET', path: '/contacts', operation: 'listContacts', entry: http('contacts', 'list-contacts') },
  { method: 'GET', path: '/contacts/{contactId}', operation: 'getContact', entry: http('contacts', 'get-contact') },
  { method: 'PATCH', path: '/contacts/{contactId}', operation: 'updateContact', entry: http('contacts', 'update-contact') },
  { method: 'DELETE', path: '/contacts/{contactId}', operation: 'eraseContact', entry: http('contacts', 'erase-contact') },
  { method: 'GET', path: '/contacts/{contactId}/export', operation: 'exportContact', entry: http('contacts', 'export-contact') },
  { method: 'POST', path: '/lists', operation: 'createList', entry: http('lists', 'create-list') },
  { method: 'GET', path: '/lists', operation: 'listLists', entry: http('lists', 'list-lists') },
  { method: 'GET', path: '/lists/{listId}', operation: 'getList', entry: http('lists', 'get-list') },
  { method: 'PATCH', path: '/lists/{listId}', operation: 'updateList', entry: http('lists', 'update-list') },
  { method: 'DELETE', path: '/lists/{listId}', operation: 'deleteList', entry: http('lists', 'delete-list'), sends: ['list-cleanup'] },
  { method: 'POST', path: '/lists/{listId}/members', operation: 'addListMembers', entry: http('lists', 'add-members') },
  { method: 'POST', path: '/lists/{listId}/members/remove', operation: 'removeListMembers', entry: http('lists', 'remove-members') },
  { method: 'GET', path: '/lists/{listId}/members', operation: 'listListMembers', entry: http('lists', 'list-members') },
  { method: 'POST', path: '/imports', operation: 'createImport', entry: http('imports', 'create-import') },
  { method: 'GET', path: '/imports/{importId}', operation: 'getImport', entry: http('imports', 'get-import') },
  { method: 'POST', path: '/imports/{importId}/batches', operation: 'ingestImportBatch', entry: http('imports', 'ingest-batch') },
  { method: 'POST', path: '/imports/{importId}/complete', operation: 'completeImport', entry: http('imports', 'complete-import') },
  { method: 'GET', path: '/imports/{importId}/errors', operation: 'listImportErrors', entry: http('imports', 'list-errors') },
  {
    method: 'POST',
    path: '/events',
    operation: 'ingestEvents',
    entry: http('events', 'ingest-events'),
    sends: ['trigger-due', 'webhook-deliveries'],
  },
  { method: 'POST', path: '/segments', operation: 'createSegment', entry: http('segments', 'create-segment') },
  { method: 'GET', path: '/segments', operation: 'listSegments', entry: http('segments', 'list-segments') },
  { method: 'GET', path: '/segments/{segmentId}', operation: 'getSegment', entry: http('segments', 'get-segment') },
  { method: 'PATCH', path: '/segments/{segmentId}', operation: 'updateSegment', entry: http('segments', 'update-segment') },
  { method: 'DELETE', path: '/segments/{segmentId}', operation: 'deleteSegment', entry: http('segments', 'delete-segment') },
  { method: 'POST', path: '/segments/preview', operation: 'previewSegment', entry: http('segments', 'preview-segment'), access: 'read' },
  { method: 'GET', path: '/segments/{segmentId}/members', operation: 'listSegmentMembers', entry: http('segments', 'list-members') },
  {
    method: 'POST',
    path: '/segments/{segmentId}/counts',
    operation: 'startSegmentCount',
    entry: http('segments', 'start-count'),
    sends: ['segment-count'],
  },
  {
    method: 'GET',
    path: '/segments/{segmentId}/counts/{countId}',
    operation: 'getSegmentCount',
    entry: http('segments', 'get-count'),
    sends: ['segment-count'],
  },
  { method: 'POST', path: '/templates', operation: 'createTemplate', entry: http('templates', 'create-template') },
  { method: 'GET', path: '/templates', operation: 'listTemplates', entry: http('templates', 'list-templates') },
  { method: 'GET', path: '/templates/{templateId}', operation: 'getTemplate', entry: http('templates', 'get-template') },
  { method: 'PATCH', path: '/templates/{templateId}', operation: 'updateTemplate', entry: http('templates', 'update-template') },
  { method: 'DELETE', path: '/templates/{templateId}', operation: 'deleteTemplate', entry: http('templates', 'delete-template') },
  {
    method: 'POST',
    path: '/templates/{templateId}/test',
    operation: 'testSendTemplate',
    entry: http('templates', 'test-send'),
    access: 'read',
    delivers: ['email', 'sms'],
  },
  // Preview renders and writes nothing: read access.
  {
    method: 'POST',
    path: '/templates/{templateId}/preview',
    operation: 'previewTemplate',
    entry: http('templates', 'preview-template'),
    access: 'read',
  },
  { method: 'POST', path: '/campaigns', operation: 'createCampaign', entry: http('campaigns', 'create-campaign') },
  { method: 'GET', path: '/campaigns', operation: 'listCampaigns', entry: http('campaigns', 'list-campaigns') },
  { method: 'GET', path: '/campaigns/{campaignId}', operation: 'getCampaign', entry: http('campaigns', 'get-campaign') },
  { method: 'PATCH', path: '/campaigns/{campaignId}', operation: 'updateCampaign', entry: http('campaigns', 'update-campaign') },
  { method: 'DELETE', path: '/campaigns/{campaignId}', operation: 'deleteCampaign', entry: http('campaigns', 'delete-campaign') },
  {
    method: 'POST',
    path: '/campaigns/{campaignId}/launch',
    operation: 'launchCampaign',
    entry: http('campaigns', 'launch-campaign'),
    sends: ['campaign-audience', 'trigger-scan'],
  },
  { method: 'POST', path: '/campaigns/{campaignId}/pause', operation: 'pauseCampaign', entry: http('campaigns', 'pause-campaign') },
  {
    method: 'POST',
    path: '/campaigns/{campaignId}/resume',
    operation: 'resumeCampaign',
    entry: http('campaigns', 'resume-campaign'),
    sends: ['campaign-control', 'trigger-scan'],
  },
  {
    method: 'POST',
    path: '/campaigns/{campaignId}/cancel',
    operation: 'cancelCampaign',
    entry: http('campaigns', 'cancel-campaign'),
    sends: ['campaign-control'],
  },
  { method: 'GET', path: '/campaigns/{campaignId}/recipients', operation: 'listRecipients', entry: http('campaigns', 'list-recipients') },
  { method: 'GET', path: '/suppressions', operation: 'listSuppressions', entry: http('suppressions', 'list-suppressions') },
  { method: 'POST', path: '/suppressions', operation: 'addSuppression', entry: http('suppressions', 'add-suppression') },
  {
    method: 'DELETE',
    path: '/suppressions/{channel}/{address}',
    operation: 'removeSuppression',
    entry: http('suppressions', 'remove-suppression'),
  },
  { method: 'POST', path: '/webhooks', operation: 'createWebhook', entry: http('webhooks', 'create-webhook') },
  { method: 'GET', path: '/webhooks', operation: 'listWebhooks', entry: http('webhooks', 'list-webhooks') },
  { method: 'GET', path: '/webhooks/{webhookId}', operation: 'getWebhook', entry: http('webhooks', 'get-webhook') },
  { method: 'PATCH', path: '/webhooks/{webhookId}', operation: 'updateWebhook', entry: http('webhooks', 'update-webhook') },
  { method: 'DELETE', path: '/webhooks/{webhookId}', operation: 'deleteWebhook', entry: http('webhooks', 'delete-webhook') },
  {
    method: 'POST',
    path: '/webhooks/{webhookId}/rotate-secret',
    operation: 'rotateWebhookSecret',
    entry: http('webhooks', 'rotate-secret'),
  },
  // A test delivery reads the subscription and calls the receiver; it writes nothing.
  { method: 'POST', path: '/webhooks/{webhookId}/test', operation: 'testWebhook', entry: http('webhooks', 'test-webhook'), access: 'read' },
  {
    method: 'GET',
    path: '/webhooks/{webhookId}/dead-letters',
    operation: 'listWebhookDeadLetters',
    entry: http('webhooks', 'list-dead-letters'),
  },
  {
    method: 'POST',
    path: '/webhooks/{webhookId}/dead-letters/{eventId}/redrive',
    operation: 'redriveWebhookDeadLetter',
    entry: http('webhooks', 'redrive-dead-letter'),
    sends: ['webhook-deliveries'],
  },
  {
    method: 'DELETE',
    path: '/webhooks/{webhookId}/dead-letters/{eventId}',
    operation: 'deleteWebhookDeadLetter',
    entry: http('webhooks', 'delete-dead-letter'),
  },
  // The recipient side: public, each request proves itself with a signed token.
  {
    method: 'GET',
    path: '/r/{token}',
    operation: 'followLink',
    entry: http('recipients', 'follow-link'),
    access: 'public',
    group: 'Recipients',
    sends: ['webhook-deliveries'],
  },
  {
    method: 'HEAD',
    path: '/r/{token}',
    operation: 'followLinkHead',
    entry: http('recipients', 'follow-link-head'),
    access: 'public',
    group: 'Recipients',
  },
  {
    method: 'GET',
    path: '/s/{code}',
    operation: 'followShortLink',
    entry: http('recipients', 'follow-short-link'),
    access: 'public',
    group: 'Recipients',
    sends: ['webhook-deliveries'],
  },
  {
    method: 'GET',
    path: '/o/{token}',
    operation: 'openPixel',
    entry: http('recipients', 'open-pixel'),
    access: 'public',
    group: 'Recipients',
    sends: ['webhook-deliveries'],
  },
  {
    method: 'GET',
    path: '/u/{token}',
    operation: 'unsubscribeForm',
    entry: http('recipients', 'unsubscribe-form'),
    access: 'public',
    group: 'Recipients',
  },
  {
    method: 'POST',
    path: '/u/{token}',
    operation: 'unsubscribe',
    entry: http('recipients', 'unsubscribe'),
    access: 'public',
    group: 'Recipients',
    sends: ['webhook-deliveries'],
  },
  {
    method: 'GET',
    path: '/p/{token}',
    operation: 'preferencesForm',
    entry: http('recipients', 'preferences-form'),
    access: 'public',
    group: 'Recipients',
  },
  {
    method: 'POST',
    path: '/p/{token}',
    operation: 'savePreferences',
    entry: http('recipients', 'preferences'),
    access: 'public',
    group: 'Recipients',
  },
  {
    method: 'GET',
    path: '/n/{token}',
    operation: 'answerNpsLink',
    entry: http('recipients', 'nps-form'),
    access: 'public',
    group: 'Recipients',
    sends: ['webhook-deliveries', 'trigger-due'],
  },
  {
    method: 'POST',
    path: '/n/{token}',
    operation: 'answerNps',
    entry: http('recipients', 'nps'),
    access: 'public',
    group: 'Recipients',
    sends: ['webhook-deliveries', 'trigger-due'],
  },
  { method: 'GET', path: '/settings/sending', operation: 'getSendingSettings', entry: http('settings', 'get-sending') },
  { method: 'PUT', path: '/settings/sending', operation: 'updateSendingSettings', entry: http('settings', 'update-sending') },
  { method: 'GET', path: '/settings/value-model', operation: 'getValueModel', entry: http('settings', 'get-value-model') },
  { method: 'PUT', path: '/settings/value-model', operation: 'updateValueModel', entry: http('settings', 'update-value-model') },
  {
    method: 'POST',
    path: '/settings/value-model/recompute',
    operation: 'recomputeValueModel',
    entry: http('settings', 'recompute-value-model'),
    sends: ['value-model'],
  },
  { method: 'POST', path: '/reports/run', operation: 'runEvaluation', entry: http('reports', 'run-evaluation'), sends: ['evaluation'] },
  { method: 'GET', path: '/reports/runs/{runId}', operation: 'getEvaluationRun', entry: http('reports', 'get-evaluation-run') },
  { method: 'GET', path: '/reports/campaigns/{campaignId}', operation: 'getCampaignReport', entry: http('reports', 'get-campaign-report') },
  { method: 'GET', path: '/reports/base', operation: 'getBaseReport', entry: http('reports', 'get-base-report') },
  { method: 'GET', path: '/reports/basket-rules', operation: 'getBasketRules', entry: http('reports', 'get-basket-rules') },
];

/** Every queue in the queue table (shared/api/messages.ts) has exactly one consumer here. */
export const queues: Record<QueueName, QueueConsumer> = {
  'list-cleanup': {
    entry: 'functions/queues/list-cleanup/purge-list.ts',
    batchSize: 5,
    concurrency: 2,
    maxReceives: 5,
    visibilityTimeoutSeconds: 60,
    sends: ['list-cleanup'],
  },
  'segment-count': {
    entry: 'functions/queues/segment-count/count-step.ts',
    batchSize: 1,
    concurrency: 4,
    maxReceives: 5,
    visibilityTimeoutSeconds: 120,
    sends: ['segment-count'],
  },
  'value-model': {
    entry: 'functions/queues/value-model/recompute-boundaries.ts',
    batchSize: 1,
    concurrency: 2,
    maxReceives: 3,
    visibilityTimeoutSeconds: 900,
  },
  // One evaluation run of one workspace: O(campaigns) counter reads, then one pass over the contacts.
  evaluation: {
    entry: 'functions/queues/evaluation/run-evaluation.ts',
    batchSize: 1,
    concurrency: 2,
    maxReceives: 3,
    visibilityTimeoutSeconds: 900,
  },
  // Fed on AWS by the inbound-email SNS topic (SES receipt rule), locally by POST /inbound on the mailbox.
  'inbound-email': {
    entry: 'functions/queues/inbound-email/handle-mail.ts',
    batchSize: 10,
    concurrency: 2,
    maxReceives: 5,
    visibilityTimeoutSeconds: 60,
    tokens: true,
    sends: ['webhook-deliveries'],
  },
  // Fed on AWS by the SMS configuration set's SNS event destination, locally by the SMS outbox.
  'sms-events': {
    entry: 'functions/queues/sms-events/record-receipt.ts',
    batchSize: 10,
    concurrency: 2,
    maxReceives: 5,
    visibilityTimeoutSeconds: 60,
    sends: ['webhook-deliveries'],
  },
  // Fed on AWS by the inbound-SMS SNS topic (raw delivery), locally by the SMS outbox's "reply".
  'inbound-sms': {
    entry: 'functions/queues/inbound-sms/handle-reply.ts',
    batchSize: 10,
    concurrency: 2,
    maxReceives: 5,
    visibilityTimeoutSeconds: 60,
    sends: ['webhook-deliveries', 'trigger-due'],
  },
  'campaign-audience': {
    entry: 'functions/queues/campaign-audience/resolve-audience.ts',
    batchSize: 1,
    concurrency: 4,
    maxReceives: 5,
    visibilityTimeoutSeconds: 120,
    sends: ['campaign-audience', 'campaign-email', 'campaign-sms', 'campaign-control'],
  },
  // The senders: batches of 10 paced by the shared token bucket; a redelivery never sends twice.
  'campaign-email': {
    entry: 'functions/queues/campaign-email/send-email.ts',
    batchSize: 10,
    concurrency: 8,
    maxReceives: 5,
    visibilityTimeoutSeconds: 120,
    sends: ['campaign-email', 'campaign-control', 'campaign-audience', 'webhook-deliveries'],
    delivers: ['email'],
  },
  'campaign-sms': {
    entry: 'functions/queues/campaign-sms/send-sms.ts',
    batchSize: 10,
    concurrency: 4,
    maxReceives: 5,
    visibilityTimeoutSeconds: 120,
    sends: ['campaign-sms', 'campaign-control', 'campaign-audience', 'webhook-deliveries'],
    delivers: ['sms'],
  },
  'campaign-control': {
    entry: 'functions/queues/campaign-control/control-step.ts',
    batchSize: 1,
    concurrency: 4,
    maxReceives: 5,
    visibilityTimeoutSeconds: 120,
    sends: ['campaign-control', 'campaign-email', 'campaign-sms', 'campaign-audience'],
  },
  // A stage or segment trigger launched or resumed: the customers on their way to the stage get their check; where everyone stands in the segment.
  'trigger-scan': {
    entry: 'functions/queues/trigger-scan/scan-at-launch.ts',
    batchSize: 1,
    concurrency: 4,
    maxReceives: 5,
    visibilityTimeoutSeconds: 120,
    sends: ['trigger-scan', 'trigger-due'],
  },
  // Triggers: a firing (or a lifecycle check) whose time has come; one send record each, to the senders.
  'trigger-due': {
    entry: 'functions/queues/trigger-due/run-due.ts',
    batchSize: 10,
    concurrency: 8,
    maxReceives: 5,
    visibilityTimeoutSeconds: 60,
    sends: ['trigger-due', 'campaign-email', 'campaign-sms', 'webhook-deliveries'],
  },
  // Outbound webhooks: one event to one subscription per message; retries and long waits re-queue themselves.
  'webhook-deliveries': {
    entry: 'functions/queues/webhook-deliveries/deliver-webhook.ts',
    batchSize: 10,
    concurrency: 4,
    maxReceives: 5,
    visibilityTimeoutSeconds: 120,
    sends: ['webhook-deliveries'],
  },
};

export const queueConsumers = Object.entries(queues).map(([queue, consumer]) => ({ queue: queue as QueueName, ...consumer }));

/** A route's access, with the default for its method. */
export const accessOf = (route: Route): Access => route.access ?? (route.method === 'GET' ? 'read' : 'write');

/** Every function the wiring declares: its entry and the queues it sends to. */
export const allFunctions = (): { entry: string; sends: QueueName[] }[] =>
  [...routes, ...queueConsumers, ...schedules, ...eventRules].map((f) => ({ entry: f.entry, sends: f.sends ?? [] }));

/** Which functions send to a queue (its producers). */
export const producersOf = (queue: QueueName) =>
  allFunctions()
    .filter((f) => f.sends.includes(queue))
    .map((f) => functionId(f.entry));

export const schedules: Schedule[] = [
  { name: 'expire-imports', entry: 'functions/schedules/expire-imports.ts', everyMinutes: 15 },
  { name: 'recompute-value-model', entry: 'functions/schedules/recompute-value-model.ts', everyMinutes: 60, sends: ['value-model'] },
  { name: 'evaluate', entry: 'functions/schedules/evaluate.ts', everyMinutes: 60, sends: ['evaluation'] },
  { name: 'start-due-campaigns', entry: 'functions/schedules/start-due-campaigns.ts', everyMinutes: 1, sends: ['campaign-audience'] },
  {
    name: 'sweep-triggers',
    entry: 'functions/schedules/sweep-triggers.ts',
    everyMinutes: 1,
    sends: ['trigger-due'],
  },
  {
    name: 'sweep-campaigns',
    entry: 'functions/schedules/sweep-campaigns.ts',
    everyMinutes: 1,
    sends: ['campaign-audience', 'campaign-control'],
  },
];

/** The source Herald's bus rules match; a shop puts its events with it (docs/events.md). */
export const EVENT_SOURCE = 'herald.events';

/** EventBridge rules on the Herald bus: one per documented detail-type, all into the events service. */
export const eventRules: EventRule[] = [
  {
    name: 'purchase',
    source: EVENT_SOURCE,
    detailType: 'Purchase',
    entry: 'functions/events/purchase.ts',
    sends: ['trigger-due', 'webhook-deliveries'],
  },
  {
    name: 'refund',
    source: EVENT_SOURCE,
    detailType: 'Refund',
    entry: 'functions/events/refund.ts',
    sends: ['trigger-due', 'webhook-deliveries'],
  },
  {
    name: 'custom-event',
    source: EVENT_SOURCE,
    detailType: 'Custom Event',
    entry: 'functions/events/custom-event.ts',
    sends: ['trigger-due', 'webhook-deliveries'],
  },
  // SES events of campaign email (the configuration set's EventBridge destination): status and counters.
  ...(['Email Delivered', 'Email Bounced', 'Email Complaint Received'] as const).map((detailType) => ({
    name: `ses-${detailType.split(' ')[1]?.toLowerCase()}`,
    source: 'aws.ses',
    detailType,
    entry: 'functions/events/ses-feedback.ts',
    bus: 'default' as const,
    sends: ['webhook-deliveries' as const],
  })),
];

/** A stable function name from an entry path: functions/http/contacts/get-contact.ts → contacts-get-contact. */
export function functionId(entry: string): string {
  return entry
    .replace(/^functions\/(http\/|queues\/|schedules\/|events\/)?/, '')
    .replace(/\.ts$/, '')
    .replaceAll('/', '-');
}
