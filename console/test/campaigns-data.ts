/** Test data for the campaign and trigger pages: API answers in the shapes the schemas parse. */
import { list } from './render.tsx';

export const NOW = '2026-11-20T10:00:00.000Z';

export const campaign = (overrides: Record<string, unknown> = {}) => ({
  campaignId: 'cp_1',
  name: 'Shoe week',
  channel: 'email',
  variants: [{ name: 'A', weight: 1, email: 'tp_1' }],
  audience: { segments: ['sg_1'], lists: [], excludeSegments: [], excludeLists: [] },
  holdout: { percent: 10 },
  attributionDays: 7,
  topic: 'offers',
  status: 'draft',
  createdAt: NOW,
  updatedAt: NOW,
  version: 1,
  ...overrides,
});

export const variantCounts = (overrides: Record<string, unknown> = {}) => ({
  queued: 0,
  sent: 0,
  failed: 0,
  unknown: 0,
  delivered: 0,
  bounced: 0,
  complained: 0,
  opened: 0,
  opens: 0,
  clicked: 0,
  clicks: 0,
  unsubscribed: 0,
  machineOpens: 0,
  machineClicks: 0,
  links: {},
  ...overrides,
});

export const counts = (overrides: Record<string, unknown> = {}) => ({
  audience: 0,
  holdout: 0,
  variants: {},
  skipped: {},
  failed: {},
  deferred: 0,
  cancelled: 0,
  audienceResolved: false,
  ...overrides,
});

export const trigger = (overrides: Record<string, unknown> = {}) =>
  campaign({
    campaignId: 'cp_t1',
    name: 'Welcome after the first purchase',
    audience: undefined,
    topic: undefined,
    variants: [{ name: 'A', weight: 1, email: 'tp_2' }],
    trigger: { on: { event: 'purchase', where: [], first: true }, delay: 'PT1H', cancelIfPurchased: false, recommendations: 0 },
    ...overrides,
  });

const template = (templateId: string, name: string, channel: 'email' | 'sms') => ({
  templateId,
  name,
  channel,
  ...(channel === 'email' ? { email: { subject: 'Hi', html: '<p>Hi</p>' } } : { sms: { body: 'Hi' } }),
  createdAt: NOW,
  updatedAt: NOW,
  version: 1,
});

/** What the wizard and the trigger editor read: segments, lists, templates, sending settings. */
export const references = {
  'GET /segments': {
    body: {
      items: [
        { segmentId: 'sg_1', name: 'Shoe buyers', rule: { purchased: { category: 'shoes' } }, createdAt: NOW, updatedAt: NOW },
        { segmentId: 'sg_2', name: 'Staff', rule: { field: 'attributes.staff', op: 'eq', value: true }, createdAt: NOW, updatedAt: NOW },
      ],
    },
  },
  'GET /lists': { body: { items: [list()] } },
  'GET /templates': {
    body: {
      items: [template('tp_1', 'Shoe offer', 'email'), template('tp_2', 'Welcome', 'email'), template('tp_3', 'Flash sale SMS', 'sms')],
    },
  },
  'GET /settings/sending': {
    body: {
      email: { from: 'offers@herald.local' },
      quietHours: { start: '21:00', end: '08:00' },
      frequencyCap: { messages: 3, withinDays: 7 },
      topics: [{ name: 'offers', displayName: 'Offers and sales', defaultStatus: 'unsubscribed' }],
    },
  },
};

export const size = (count: number, reachable = { email: count, sms: 0 }) => ({
  count,
  reachable,
  scanned: 48,
  complete: true,
  sample: [],
});

export const apiError = (status: number, message: string, issues: { field: string; message: string }[] = []) => ({
  status,
  body: { error: { message, ...(issues.length ? { details: { issues } } : {}) } },
});
