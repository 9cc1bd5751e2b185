/**
 * Campaigns, their live counters, and the cross-tenant markers of scheduled and active campaigns.
 * Every change to a campaign is a conditional replace on the version read, so the status machine
 * holds under concurrent requests; counters change only by atomic ADD (or, at reconciliation, SET).
 */
import { DeleteCommand, GetCommand, PutCommand, QueryCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { Campaign, isRecordCounter } from '../domain/campaign.ts';
import { ConcurrentChange, Conflict, NotFound } from '../domain/errors.ts';
import type { CampaignStore } from '../runtime/ports.ts';
import { ifConditionFails, queryAll, queryPage, toItem, withoutKeys } from './client.ts';
import { gsi1, keys } from './keys.ts';

/** Counter names become expression attribute names (#c0, #c1 …), so any variant name is safe. */
function counterExpression(delta: Record<string, number>, verb: 'ADD' | 'SET') {
  const names: Record<string, string> = {};
  const values: Record<string, unknown> = {};
  const parts = Object.entries(delta).map(([name, n], i) => {
    names[`#c${i}`] = name;
    values[`:c${i}`] = n;
    return verb === 'ADD' ? `#c${i} :c${i}` : `#c${i} = :c${i}`;
  });
  return { names, values, parts };
}

export function createCampaignRepo(doc: DynamoDBDocumentClient, table: string): CampaignStore {
  const parse = (item: Record<string, unknown>) => Campaign.parse(withoutKeys(item));
  const campaignItem = (tenantId: string, c: Campaign) =>
    toItem(
      'campaign',
      tenantId,
      { ...keys.campaign({ tenantId, campaignId: c.campaignId }), ...gsi1.campaigns({ tenantId, campaignId: c.campaignId }) },
      c,
    );
  const countsKey = (tenantId: string, campaignId: string) => keys.campaignCounts({ tenantId, campaignId });
  return {
    /** AP21 */
    async create(tenantId, campaign) {
      await ifConditionFails(
        doc.send(
          new PutCommand({ TableName: table, Item: campaignItem(tenantId, campaign), ConditionExpression: 'attribute_not_exists(pk)' }),
        ),
        () => {
          throw new Conflict(`campaign ${campaign.campaignId} already exists`);
        },
      );
    },
    async get(tenantId, campaignId) {
      const out = await doc.send(new GetCommand({ TableName: table, Key: keys.campaign({ tenantId, campaignId }), ConsistentRead: true }));
      return out.Item ? parse(out.Item) : undefined;
    },
    /** AP29 */
    async list(tenantId, limit, cursor) {
      const page = await queryPage(doc, table, { on: 'gsi1', partition: gsi1.campaignsPartition({ tenantId }), limit, cursor });
      return { items: page.items.map(parse), cursor: page.cursor };
    },
    async replace(tenantId, campaign, readVersion) {
      await ifConditionFails(
        doc.send(
          new PutCommand({
            TableName: table,
            Item: campaignItem(tenantId, campaign),
            ConditionExpression: 'version = :read',
            ExpressionAttributeValues: { ':read': readVersion },
          }),
        ),
        () => {
          throw new ConcurrentChange(`campaign ${campaign.campaignId} was changed meanwhile; read it again and retry`);
        },
      );
    },
    async delete(tenantId, campaignId) {
      await ifConditionFails(
        doc.send(
          new DeleteCommand({
            TableName: table,
            Key: keys.campaign({ tenantId, campaignId }),
            ConditionExpression: 'attribute_exists(pk)',
          }),
        ),
        () => {
          throw new NotFound(`campaign ${campaignId}`);
        },
      );
      await doc.send(new DeleteCommand({ TableName: table, Key: countsKey(tenantId, campaignId) }));
    },
    /** AP22 */
    async counts(tenantId, campaignId) {
      const out = await doc.send(new GetCommand({ TableName: table, Key: countsKey(tenantId, campaignId), ConsistentRead: true }));
      return out.Item ? withoutKeys(out.Item) : {};
    },
    async addCounts(tenantId, campaignId, delta, resolvedPart) {
      const { names, values, parts } = counterExpression(delta, 'ADD');
      if (resolvedPart !== undefined) {
        names['#parts'] = 'resolvedParts';
        values[':part'] = new Set([resolvedPart]);
        parts.push('#parts :part');
      }
      if (parts.length === 0) return this.counts(tenantId, campaignId);
      const out = await doc.send(
        new UpdateCommand({
          TableName: table,
          Key: countsKey(tenantId, campaignId),
          UpdateExpression: `SET entity = :entity, tenantId = :tenant ADD ${parts.join(', ')}`,
          ExpressionAttributeNames: names,
          ExpressionAttributeValues: { ...values, ':entity': 'campaignCounts', ':tenant': tenantId },
          ReturnValues: 'ALL_NEW',
        }),
      );
      return out.Attributes ? withoutKeys(out.Attributes) : {};
    },
    async setCounts(tenantId, campaignId, counts) {
      const current = await this.counts(tenantId, campaignId);
      // Record-derived counters the records no longer support go to 0; others (resolved parts, the heartbeat) stay.
      const zeroed = Object.keys(current).filter((k) => isRecordCounter(k) && !(k in counts));
      const { names, values, parts } = counterExpression({ ...counts, ...Object.fromEntries(zeroed.map((k) => [k, 0])) }, 'SET');
      await doc.send(
        new UpdateCommand({
          TableName: table,
          Key: countsKey(tenantId, campaignId),
          UpdateExpression: `SET ${['entity = :entity', 'tenantId = :tenant', ...parts].join(', ')}`,
          ExpressionAttributeNames: names,
          ExpressionAttributeValues: { ...values, ':entity': 'campaignCounts', ':tenant': tenantId },
        }),
      );
    },
    /** AP26 */
    async markScheduled(tenantId, campaignId, at) {
      await doc.send(
        new PutCommand({
          TableName: table,
          Item: toItem('scheduledCampaign', tenantId, keys.scheduledCampaign({ tenantId, campaignId, at }), { campaignId, at }),
        }),
      );
    },
    async unmarkScheduled(tenantId, campaignId, at) {
      await doc.send(new DeleteCommand({ TableName: table, Key: keys.scheduledCampaign({ tenantId, campaignId, at }) }));
    },
    async dueScheduled(before, limit) {
      const out = await doc.send(
        new QueryCommand({
          TableName: table,
          KeyConditionExpression: 'pk = :pk AND sk <= :before',
          ExpressionAttributeValues: { ':pk': keys.scheduledCampaignsPartition, ':before': `${before}#~` },
          Limit: limit,
        }),
      );
      return (out.Items ?? []).map((i) => ({ tenantId: String(i.tenantId), campaignId: String(i.campaignId), at: String(i.at) }));
    },
    /** AP27 */
    async markActive(tenantId, campaignId, progress) {
      await doc.send(
        new PutCommand({
          TableName: table,
          Item: toItem('activeCampaign', tenantId, keys.activeCampaign({ tenantId, campaignId }), {
            campaignId,
            ...(progress ? { progress } : {}),
          }),
        }),
      );
    },
    async unmarkActive(tenantId, campaignId) {
      await doc.send(new DeleteCommand({ TableName: table, Key: keys.activeCampaign({ tenantId, campaignId }) }));
    },
    async active() {
      const items = await queryAll(doc, table, { partition: keys.activeCampaignsPartition });
      return items.map((i) => ({
        tenantId: String(i.tenantId),
        campaignId: String(i.campaignId),
        ...(i.progress ? { progress: { mark: String(i.progress.mark), since: String(i.progress.since) } } : {}),
      }));
    },
  };
}
