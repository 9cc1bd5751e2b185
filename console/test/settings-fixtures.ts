/** Answers of the settings APIs for the settings page tests. */
const NOW = '2026-11-20T10:00:00.000Z';

export const topic = (overrides: Record<string, unknown> = {}) => ({
  name: 'offers',
  displayName: 'Offers and sales',
  description: 'Discounts, a few times a month',
  defaultStatus: 'unsubscribed' as const,
  ...overrides,
});

export const sending = (overrides: Record<string, unknown> = {}) => ({
  email: { from: 'offers@shop.example', fromName: 'Demo Shop' },
  sms: { originationIdentity: '+15550100' },
  quietHours: { start: '21:00', end: '08:00' },
  topics: [topic()],
  ...overrides,
});

export const boundaries = (overrides: Record<string, unknown> = {}) => ({
  computedAt: NOW,
  customers: 32,
  recency: [1767969341, 1775918141, 1782657341, 1790001341],
  frequency: [1, 2, 4, 5],
  monetary: [98, 182, 337, 494],
  tierA: 494,
  tierB: 289,
  tierARevenueShare: 0.4533,
  ...overrides,
});

export const valueModel = (overrides: Record<string, unknown> = {}) => ({
  settings: { lifecycle: { atRiskAfterDays: 90, lapsedAfterDays: 365, loyalMinOrders: 4, loyalWithinDays: 365 } },
  boundaries: boundaries(),
  ...overrides,
});

export const webhook = (overrides: Record<string, unknown> = {}) => ({
  webhookId: 'wh_1',
  url: 'https://hooks.example.com/herald',
  events: ['message.bounced', 'message.delivered'],
  description: 'CRM',
  enabled: true,
  maskedSecret: 'whsec_…Q2x9',
  createdAt: NOW,
  updatedAt: NOW,
  version: 1,
  ...overrides,
});

export const deadLetter = (overrides: Record<string, unknown> = {}) => ({
  webhookId: 'wh_1',
  eventId: 'evt_1',
  eventType: 'message.delivered',
  event: { id: 'evt_1', type: 'message.delivered', occurredAt: NOW, workspaceId: 'default', data: {} },
  attempts: 9,
  lastStatus: 503,
  failedAt: NOW,
  ...overrides,
});

export const suppression = (overrides: Record<string, unknown> = {}) => ({
  channel: 'email',
  address: 'bounce@example.com',
  reason: 'hard_bounce',
  source: 'ses:cp_1',
  at: NOW,
  ...overrides,
});
