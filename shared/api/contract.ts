/**
 * The HTTP API contract: for every operation, its zod schemas for path, query, body and
 * response, one module per capability (shared/api/contract/), so a handler bundles only its
 * own capability's schemas. Handlers validate with these; the OpenAPI document is generated from
 * the whole.
 */
import { contactApi } from './contract/contacts.ts';
import { eventApi } from './contract/events.ts';
import { importApi } from './contract/imports.ts';
import { listApi } from './contract/lists.ts';
import { metaApi } from './contract/meta.ts';
import { segmentApi } from './contract/segments.ts';
import { settingsApi } from './contract/settings.ts';
import { templateApi } from './contract/templates.ts';
import { campaignApi } from './contract/campaigns.ts';
import { recipientApi } from './contract/recipients.ts';
import { suppressionApi } from './contract/suppressions.ts';
import { webhookApi } from './contract/webhooks.ts';
import { reportApi } from './contract/reports.ts';

export { ErrorBody, type Operation } from './contract/common.ts';

export const contract = {
  ...metaApi,
  ...contactApi,
  ...listApi,
  ...importApi,
  ...eventApi,
  ...segmentApi,
  ...settingsApi,
  ...templateApi,
  ...campaignApi,
  ...recipientApi,
  ...suppressionApi,
  ...webhookApi,
  ...reportApi,
};

export type OperationId = keyof typeof contract;
