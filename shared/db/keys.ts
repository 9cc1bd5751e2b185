/**
 * Every DynamoDB key Herald writes is built here, and only here (docs/data-model.md lists the
 * access patterns by number). One table; `pk`/`sk` plus one overloaded index, GSI1.
 * The tenant (workspace) id leads every partition key.
 */
import type { IdentityKind } from '../domain/contact.ts';
import { ValidationFailed } from '../domain/errors.ts';

export interface Key {
  pk: string;
  sk: string;
}
export interface Gsi1Key {
  gsi1pk: string;
  gsi1sk: string;
}

type T = { tenantId: string };

const keysOfSends = ({ tenantId, campaignId, shard }: T & { campaignId: string; shard: number }) =>
  `T#${tenantId}#CAMPAIGN#${campaignId}#SENDS#${String(shard).padStart(2, '0')}`;

const contactPk = ({ tenantId, contactId }: T & { contactId: string }) => `T#${tenantId}#CONTACT#${contactId}`;

export const keys = {
  /** AP1 get contact; AP7 export and erase (query the whole partition). */
  contact: (k: T & { contactId: string }): Key => ({ pk: contactPk(k), sk: 'PROFILE' }),
  /** AP7 the partition that holds everything about one contact. */
  contactPartition: (k: T & { contactId: string }) => contactPk(k),
  /** AP2 find a contact by email, phone or external id; claimed with attribute_not_exists. */
  identity: ({ tenantId, kind, value }: T & { kind: IdentityKind; value: string }): Key => ({
    pk: `T#${tenantId}#IDENT#${kind}#${value}`,
    sk: 'IDENT',
  }),
  /**
   * Consent history, newest last, inside the contact's partition. `channel` is what the change is
   * about: `email`, `sms`, or `topic:<name>` for a workspace topic (consentSlot in domain/contact.ts).
   */
  consentEvent: (k: T & { contactId: string; at: string; channel: string }): Key => ({
    pk: contactPk(k),
    sk: `CONSENT#${k.at}#${k.channel}`,
  }),
  consentEventPrefix: 'CONSENT#',
  /** AP5 membership lives in the contact's partition, so erasing a contact finds it. */
  membership: (k: T & { contactId: string; listId: string }): Key => ({ pk: contactPk(k), sk: `LIST#${k.listId}` }),
  membershipPrefix: 'LIST#',
  /** AP4 get a list. */
  list: ({ tenantId, listId }: T & { listId: string }): Key => ({ pk: `T#${tenantId}#LIST#${listId}`, sk: 'LIST' }),
  /** AP9 import job and, in its partition, batch receipts and row errors. */
  importJob: ({ tenantId, jobId }: T & { jobId: string }): Key => ({ pk: `T#${tenantId}#IMPORT#${jobId}`, sk: 'JOB' }),
  importBatch: ({ tenantId, jobId, firstRow }: T & { jobId: string; firstRow: number }): Key => ({
    pk: `T#${tenantId}#IMPORT#${jobId}`,
    sk: `BATCH#${String(firstRow).padStart(10, '0')}`,
  }),
  importError: ({ tenantId, jobId, row, field }: T & { jobId: string; row: number; field: string }): Key => ({
    pk: `T#${tenantId}#IMPORT#${jobId}`,
    sk: `ERROR#${String(row).padStart(10, '0')}#${field}`,
  }),
  importErrorPrefix: 'ERROR#',
  /** AP11 an ingested event, in its contact's partition; claimed with attribute_not_exists (idempotent by eventId). */
  event: (k: T & { contactId: string; eventId: string }): Key => ({ pk: contactPk(k), sk: `EVENT#${k.eventId}` }),
  /** AP12 all of a contact's events, to fold its aggregates. */
  eventPrefix: 'EVENT#',
  /** AP14 a saved segment. */
  segment: ({ tenantId, segmentId }: T & { segmentId: string }): Key => ({ pk: `T#${tenantId}#SEGMENT#${segmentId}`, sk: 'SEGMENT' }),
  /** AP16 a segment count job and, in its partition, one item per part of the contact key space. */
  segmentCount: ({ tenantId, countId }: T & { countId: string }): Key => ({ pk: `T#${tenantId}#COUNT#${countId}`, sk: 'JOB' }),
  segmentCountPart: ({ tenantId, countId, part }: T & { countId: string; part: number }): Key => ({
    pk: `T#${tenantId}#COUNT#${countId}`,
    sk: `PART#${String(part).padStart(3, '0')}`,
  }),
  /** AP19 a message template (email or SMS). */
  template: ({ tenantId, templateId }: T & { templateId: string }): Key => ({ pk: `T#${tenantId}#TEMPLATE#${templateId}`, sk: 'TEMPLATE' }),
  /** AP18 the workspaces that hold customer data (one item each, in one partition). */
  tenant: ({ tenantId }: T): Key => ({ pk: 'TENANTS', sk: tenantId }),
  tenantsPartition: 'TENANTS',
  /** AP21 a campaign; AP22 its live counters, beside it. */
  campaign: ({ tenantId, campaignId }: T & { campaignId: string }): Key => ({ pk: `T#${tenantId}#CAMPAIGN#${campaignId}`, sk: 'CAMPAIGN' }),
  campaignCounts: ({ tenantId, campaignId }: T & { campaignId: string }): Key => ({
    pk: `T#${tenantId}#CAMPAIGN#${campaignId}`,
    sk: 'COUNTS',
  }),
  /**
   * AP23 one send record per (campaign, contact), in one of SEND_SHARDS partitions per campaign
   * (writes at sending speed spread over partitions); AP24 a campaign's records, shard by shard.
   */
  send: ({ tenantId, campaignId, shard, contactId }: T & { campaignId: string; shard: number; contactId: string }): Key => ({
    pk: keysOfSends({ tenantId, campaignId, shard }),
    sk: contactId,
  }),
  sendShard: (k: T & { campaignId: string; shard: number }) => keysOfSends(k),
  /**
   * AP25 a contact's send log, in its partition (erased with it): one attribute per claimed send,
   * the claim that makes a send happen once and the history the frequency cap counts.
   */
  sendLog: (k: T & { contactId: string }): Key => ({ pk: contactPk(k), sk: 'SENDLOG' }),
  /** AP26 campaigns waiting for their scheduled time, across tenants, by time. */
  scheduledCampaign: ({ tenantId, campaignId, at }: T & { campaignId: string; at: string }): Key => ({
    pk: 'CAMPAIGNS#SCHEDULED',
    sk: `${at}#${tenantId}#${campaignId}`,
  }),
  scheduledCampaignsPartition: 'CAMPAIGNS#SCHEDULED',
  /** AP27 campaigns sending or paused, across tenants: the progress sweep reads these. */
  activeCampaign: ({ tenantId, campaignId }: T & { campaignId: string }): Key => ({
    pk: 'CAMPAIGNS#ACTIVE',
    sk: `${tenantId}#${campaignId}`,
  }),
  activeCampaignsPartition: 'CAMPAIGNS#ACTIVE',
  /** AP28 one slot of a shared rate limiter (a ring of one-second windows). */
  pacerSlot: ({ bucket, slot }: { bucket: string; slot: number }): Key => ({
    pk: `PACER#${bucket}`,
    sk: `SLOT#${String(slot).padStart(2, '0')}`,
  }),
  /** AP31 an address on the workspace suppression list (one item per channel and address). */
  suppression: ({ tenantId, channel, address }: T & { channel: string; address: string }): Key => ({
    pk: `T#${tenantId}#SUPPRESSION#${channel}#${address}`,
    sk: 'SUPPRESSION',
  }),
  /** AP33 which workspace sends from an SMS origination identity (inbound replies find it here). */
  smsOrigin: ({ identity }: { identity: string }): Key => ({ pk: `SMSORIGIN#${identity}`, sk: 'ORIGIN' }),
  /** AP34 a short link of one SMS (random code, so found without the workspace): whose message it is. */
  shortLink: ({ code }: { code: string }): Key => ({ pk: `SHORT#${code}`, sk: 'LINK' }),
  /** AP40 a workspace's active triggers (one item per triggered campaign that is sending): read once per event batch. */
  activeTrigger: ({ tenantId, campaignId }: T & { campaignId: string }): Key => ({ pk: `T#${tenantId}#TRIGGERS`, sk: campaignId }),
  activeTriggersPartition: ({ tenantId }: T) => `T#${tenantId}#TRIGGERS`,
  /** AP41 one firing of a trigger for a contact, in the contact's partition (erased with it). */
  firing: (k: T & { contactId: string; campaignId: string; firingId: string }): Key => ({
    pk: contactPk(k),
    sk: `FIRING#${k.campaignId}#${k.firingId}`,
  }),
  /** AP45 a contact's firings (the evaluation reads the fired ones). */
  firingPrefix: 'FIRING#',
  /** AP42 a contact's last firing of a trigger: the cooldown's conditional write. */
  triggerState: (k: T & { contactId: string; campaignId: string }): Key => ({ pk: contactPk(k), sk: `TRIGGER#${k.campaignId}` }),
  /**
   * AP43 work due later (a firing, a lifecycle check), across tenants, in DUE_SHARDS partitions by
   * due time; the sweep queries each for what is due by now.
   */
  due: ({ tenantId, dueAt, id, shard }: T & { dueAt: string; id: string; shard: number }): Key => ({
    pk: `DUE#${shard}`,
    sk: `${dueAt}#${tenantId}#${id}`,
  }),
  duePartition: (shard: number) => `DUE#${shard}`,
  /** AP46 the campaigns a purchase may count for (every campaign that started), read once per event batch and by the evaluation. */
  evaluatedCampaign: ({ tenantId, campaignId }: T & { campaignId: string }): Key => ({ pk: `T#${tenantId}#EVALUATED`, sk: campaignId }),
  evaluatedPartition: ({ tenantId }: T) => `T#${tenantId}#EVALUATED`,
  /**
   * AP47 a campaign's conversion counters, beside its live counters: one item per group (the
   * holdout `holdout`, a variant `v#<name>`) and shard (CONVERSION_SHARDS), each with the tokens of the
   * conversions it counted lately (the dedupe that makes a replayed ADD count once).
   */
  conversionCounter: ({ tenantId, campaignId, group, shard }: T & { campaignId: string; group: string; shard: number }): Key => ({
    pk: `T#${tenantId}#CAMPAIGN#${campaignId}`,
    sk: `CONV#${group}#${String(shard).padStart(2, '0')}`,
  }),
  conversionCounterPrefix: 'CONV#',
  /** AP48 the latest evaluation of a campaign, the base report and the basket rules report; AP49 one item per run. */
  report: ({ tenantId, campaignId }: T & { campaignId?: string | undefined }): Key => ({
    pk: `T#${tenantId}#REPORTS`,
    sk: campaignId === undefined ? 'BASE' : `CAMPAIGN#${campaignId}`,
  }),
  evaluationRun: ({ tenantId, runId }: T & { runId: string }): Key => ({ pk: `T#${tenantId}#REPORTS`, sk: `RUN#${runId}` }),
  /** AP35 a webhook subscription; AP37 its dead letters share its partition (deleted with it). */
  webhook: ({ tenantId, webhookId }: T & { webhookId: string }): Key => ({ pk: `T#${tenantId}#WEBHOOK#${webhookId}`, sk: 'WEBHOOK' }),
  webhookPartition: ({ tenantId, webhookId }: T & { webhookId: string }) => `T#${tenantId}#WEBHOOK#${webhookId}`,
  /** AP37 a delivery that failed for good: one per (subscription, event), so a repeated last attempt overwrites it. */
  webhookDeadLetter: ({ tenantId, webhookId, eventId }: T & { webhookId: string; eventId: string }): Key => ({
    pk: `T#${tenantId}#WEBHOOK#${webhookId}`,
    sk: `DEAD#${eventId}`,
  }),
  webhookDeadLetterPrefix: 'DEAD#',
  /** AP17 workspace settings: the value-model thresholds, the computed boundaries, the sending settings. */
  settings: ({ tenantId, name }: T & { name: 'VALUE_MODEL' | 'BOUNDARIES' | 'SENDING' | 'RULES' | 'PRODUCT_RULES' }): Key => ({
    pk: `T#${tenantId}#SETTINGS`,
    sk: name,
  }),
};

/** Entity types stored in the `entity` attribute of every item. */
export type Entity =
  | 'contact'
  | 'identity'
  | 'consentEvent'
  | 'membership'
  | 'list'
  | 'importJob'
  | 'importBatch'
  | 'importError'
  | 'event'
  | 'segment'
  | 'segmentCount'
  | 'segmentCountPart'
  | 'settings'
  | 'tenant'
  | 'template'
  | 'campaign'
  | 'campaignCounts'
  | 'send'
  | 'sendLog'
  | 'scheduledCampaign'
  | 'activeCampaign'
  | 'pacerSlot'
  | 'suppression'
  | 'smsOrigin'
  | 'shortLink'
  | 'activeTrigger'
  | 'firing'
  | 'triggerState'
  | 'due'
  | 'webhook'
  | 'webhookDeadLetter'
  | 'evaluatedCampaign'
  | 'conversionCounter'
  | 'report'
  | 'evaluationRun';

export const gsi1 = {
  /** AP3 list a tenant's contacts in id order. */
  contacts: ({ tenantId, contactId }: T & { contactId: string }): Gsi1Key => ({
    gsi1pk: `T#${tenantId}#CONTACTS`,
    gsi1sk: contactId,
  }),
  contactsPartition: ({ tenantId }: T) => `T#${tenantId}#CONTACTS`,
  /** AP3b search contacts by email or phone prefix: identity items sorted by value. */
  identities: ({ tenantId, kind, value }: T & { kind: IdentityKind; value: string }): Gsi1Key => ({
    gsi1pk: `T#${tenantId}#IDENTS#${kind}`,
    gsi1sk: value,
  }),
  identitiesPartition: ({ tenantId, kind }: T & { kind: IdentityKind }) => `T#${tenantId}#IDENTS#${kind}`,
  /** AP6 members of a list, by contact id. */
  members: ({ tenantId, listId, contactId }: T & { listId: string; contactId: string }): Gsi1Key => ({
    gsi1pk: `T#${tenantId}#LIST#${listId}#MEMBERS`,
    gsi1sk: contactId,
  }),
  membersPartition: ({ tenantId, listId }: T & { listId: string }) => `T#${tenantId}#LIST#${listId}#MEMBERS`,
  /** AP8 a tenant's lists, oldest first (ulid ids sort by creation time). */
  lists: ({ tenantId, listId }: T & { listId: string }): Gsi1Key => ({ gsi1pk: `T#${tenantId}#LISTS`, gsi1sk: listId }),
  listsPartition: ({ tenantId }: T) => `T#${tenantId}#LISTS`,
  /**
   * AP10 import jobs still receiving rows, across tenants, by last activity: a sparse index
   * entry removed when the job ends, so the reaper reads only open jobs.
   */
  openImports: ({ tenantId, jobId, updatedAt }: T & { jobId: string; updatedAt: string }): Gsi1Key => ({
    gsi1pk: 'IMPORTS#RECEIVING',
    gsi1sk: `${updatedAt}#${tenantId}#${jobId}`,
  }),
  openImportsPartition: 'IMPORTS#RECEIVING',
  /** AP15 a tenant's segments, oldest first. */
  segments: ({ tenantId, segmentId }: T & { segmentId: string }): Gsi1Key => ({ gsi1pk: `T#${tenantId}#SEGMENTS`, gsi1sk: segmentId }),
  segmentsPartition: ({ tenantId }: T) => `T#${tenantId}#SEGMENTS`,
  /** AP20 a tenant's templates, oldest first. */
  templates: ({ tenantId, templateId }: T & { templateId: string }): Gsi1Key => ({ gsi1pk: `T#${tenantId}#TEMPLATES`, gsi1sk: templateId }),
  templatesPartition: ({ tenantId }: T) => `T#${tenantId}#TEMPLATES`,
  /** AP32 a tenant's suppressed addresses of one channel, in address order. */
  suppressions: ({ tenantId, channel, address }: T & { channel: string; address: string }): Gsi1Key => ({
    gsi1pk: `T#${tenantId}#SUPPRESSIONS#${channel}`,
    gsi1sk: address,
  }),
  suppressionsPartition: ({ tenantId, channel }: T & { channel: string }) => `T#${tenantId}#SUPPRESSIONS#${channel}`,
  /** AP36 a tenant's webhook subscriptions, oldest first (also what every publisher reads, cached). */
  webhooks: ({ tenantId, webhookId }: T & { webhookId: string }): Gsi1Key => ({ gsi1pk: `T#${tenantId}#WEBHOOKS`, gsi1sk: webhookId }),
  webhooksPartition: ({ tenantId }: T) => `T#${tenantId}#WEBHOOKS`,
  /** AP29 a tenant's campaigns, oldest first. */
  campaigns: ({ tenantId, campaignId }: T & { campaignId: string }): Gsi1Key => ({ gsi1pk: `T#${tenantId}#CAMPAIGNS`, gsi1sk: campaignId }),
  campaignsPartition: ({ tenantId }: T) => `T#${tenantId}#CAMPAIGNS`,
};

/**
 * AP13 the contact key space cut into `parts` ranges of the contacts index (gsi1sk = contact id,
 * whose characters after `ct_` are uniform base32), so readers can query them in parallel.
 * The first range is open below and the last open above, so no id falls outside.
 */
export function contactRange(part: number, parts: number): { low?: string; high?: string } {
  const alphabet = '0123456789abcdefghjkmnpqrstvwxyz';
  const from = Math.floor((part * alphabet.length) / parts);
  const to = Math.floor(((part + 1) * alphabet.length) / parts) - 1;
  return {
    ...(part === 0 ? {} : { low: `ct_${alphabet[from]}` }),
    ...(part === parts - 1 ? {} : { high: `ct_${alphabet[to]}~` }),
  };
}

/** Pagination cursors are opaque to callers: the DynamoDB LastEvaluatedKey, base64url JSON. */
export function encodeCursor(lastKey: Record<string, unknown> | undefined): string | undefined {
  return lastKey ? Buffer.from(JSON.stringify(lastKey)).toString('base64url') : undefined;
}

/**
 * Decodes a cursor for a query over one partition. A cursor that does not parse, or that belongs
 * to another partition or prefix (another listing, another tenant), is a 400 naming
 * `query.cursor`, never a DynamoDB validation error.
 */
export function decodeCursor(
  cursor: string | undefined,
  partition: { field: 'pk' | 'gsi1pk'; value: string; sortPrefix?: { field: 'sk' | 'gsi1sk'; prefix: string } },
): Record<string, unknown> | undefined {
  if (cursor === undefined) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    value = undefined;
  }
  const key = value as Record<string, unknown> | undefined;
  const sort = partition.sortPrefix;
  const fits =
    key !== null &&
    typeof key === 'object' &&
    !Array.isArray(key) &&
    key[partition.field] === partition.value &&
    Object.values(key).every((v) => typeof v === 'string') &&
    (!sort || String(key[sort.field]).startsWith(sort.prefix));
  if (!fits) throw new ValidationFailed([{ field: 'query.cursor', message: 'is not a cursor from this listing' }]);
  return key;
}
