/** Workspace settings: value-model thresholds and the boundaries the schedule computes. */
import { GetCommand, PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { SendingSettings } from '../domain/sending.ts';
import { RuleSet } from '../domain/basket-rules.ts';
import { Boundaries, DEFAULT_VALUE_SETTINGS, ValueSettings } from '../domain/value.ts';
import type { SettingsStore } from '../runtime/ports.ts';
import { ifConditionFails, queryAll, toItem, withoutKeys } from './client.ts';
import { TenantItem } from './items.ts';
import { keys } from './keys.ts';

type SettingsName = 'VALUE_MODEL' | 'BOUNDARIES' | 'SENDING' | 'RULES' | 'PRODUCT_RULES';

export function createSettingsRepo(doc: DynamoDBDocumentClient, table: string): SettingsStore {
  const registered = new Set<string>();
  const get = async (tenantId: string, name: SettingsName) =>
    (await doc.send(new GetCommand({ TableName: table, Key: keys.settings({ tenantId, name }) }))).Item;
  const put = async (tenantId: string, name: SettingsName, data: object) => {
    await doc.send(new PutCommand({ TableName: table, Item: toItem('settings', tenantId, keys.settings({ tenantId, name }), data) }));
  };
  return {
    /** AP17 */
    async valueModel(tenantId) {
      const [settings, boundaries] = await Promise.all([get(tenantId, 'VALUE_MODEL'), get(tenantId, 'BOUNDARIES')]);
      return {
        settings: settings ? ValueSettings.parse(withoutKeys(settings)) : DEFAULT_VALUE_SETTINGS,
        ...(boundaries ? { boundaries: Boundaries.parse(withoutKeys(boundaries)) } : {}),
      };
    },
    async saveValueSettings(tenantId, settings) {
      await put(tenantId, 'VALUE_MODEL', settings);
    },
    async sending(tenantId) {
      const item = await get(tenantId, 'SENDING');
      return item ? SendingSettings.parse(withoutKeys(item)) : {};
    },
    async saveSending(tenantId, settings) {
      await put(tenantId, 'SENDING', settings);
    },
    /** AP33 */
    async claimSmsOrigin(tenantId, identity) {
      return ifConditionFails(
        doc
          .send(
            new PutCommand({
              TableName: table,
              Item: toItem('smsOrigin', tenantId, keys.smsOrigin({ identity }), { identity }),
              ConditionExpression: 'attribute_not_exists(pk) OR tenantId = :t',
              ExpressionAttributeValues: { ':t': tenantId },
            }),
          )
          .then(() => true),
        () => false,
      );
    },
    async smsOriginOwner(identity) {
      const out = await doc.send(new GetCommand({ TableName: table, Key: keys.smsOrigin({ identity }) }));
      return typeof out.Item?.tenantId === 'string' ? out.Item.tenantId : undefined;
    },
    async saveBoundaries(tenantId, boundaries) {
      await put(tenantId, 'BOUNDARIES', boundaries);
    },
    /** AP17 the workspace's association rules (cross-sell), mined with the boundaries. */
    async rules(tenantId, level = 'category') {
      const parsed = RuleSet.safeParse(withoutKeys((await get(tenantId, level === 'category' ? 'RULES' : 'PRODUCT_RULES')) ?? {}));
      return parsed.success ? parsed.data : undefined;
    },
    async saveRules(tenantId, rules, level = 'category') {
      await put(tenantId, level === 'category' ? 'RULES' : 'PRODUCT_RULES', rules);
    },
    /**
     * AP18 an idempotent put, once per workspace per process: a warm function does not write the
     * one shared registry item on every batch.
     */
    async registerTenant(tenantId) {
      if (registered.has(tenantId)) return;
      await doc.send(new PutCommand({ TableName: table, Item: toItem('tenant', tenantId, keys.tenant({ tenantId })) }));
      registered.add(tenantId);
    },
    async tenants() {
      const items = await queryAll(doc, table, { partition: keys.tenantsPartition });
      return items.map((i) => TenantItem.parse(i).tenantId);
    },
  };
}
