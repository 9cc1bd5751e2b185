/** Message templates; every change is a conditional replace on the version read. */
import { DeleteCommand, GetCommand, PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { Conflict, NotFound } from '../domain/errors.ts';
import { Template } from '../domain/template.ts';
import type { TemplateStore } from '../runtime/ports.ts';
import { ifConditionFails, queryPage, toItem, withoutKeys } from './client.ts';
import { gsi1, keys } from './keys.ts';

export function createTemplateRepo(doc: DynamoDBDocumentClient, table: string): TemplateStore {
  const parse = (item: Record<string, unknown>) => Template.parse(withoutKeys(item));
  const templateItem = (tenantId: string, template: Template) =>
    toItem(
      'template',
      tenantId,
      { ...keys.template({ tenantId, templateId: template.templateId }), ...gsi1.templates({ tenantId, templateId: template.templateId }) },
      template,
    );
  return {
    /** AP19 */
    async create(tenantId, template) {
      await ifConditionFails(
        doc.send(
          new PutCommand({ TableName: table, Item: templateItem(tenantId, template), ConditionExpression: 'attribute_not_exists(pk)' }),
        ),
        () => {
          throw new Conflict(`template ${template.templateId} already exists`);
        },
      );
    },
    async get(tenantId, templateId) {
      const out = await doc.send(new GetCommand({ TableName: table, Key: keys.template({ tenantId, templateId }) }));
      return out.Item ? parse(out.Item) : undefined;
    },
    /** AP20 */
    async list(tenantId, limit, cursor) {
      const page = await queryPage(doc, table, { on: 'gsi1', partition: gsi1.templatesPartition({ tenantId }), limit, cursor });
      return { items: page.items.map(parse), cursor: page.cursor };
    },
    /** Replaces a template still at `readVersion`; a concurrent change or a delete is a Conflict. */
    async replace(tenantId, template, readVersion) {
      await ifConditionFails(
        doc.send(
          new PutCommand({
            TableName: table,
            Item: templateItem(tenantId, template),
            ConditionExpression: 'version = :read',
            ExpressionAttributeValues: { ':read': readVersion },
          }),
        ),
        () => {
          throw new Conflict(`template ${template.templateId} was changed or deleted meanwhile; retry`);
        },
      );
    },
    async delete(tenantId, templateId) {
      await ifConditionFails(
        doc.send(
          new DeleteCommand({
            TableName: table,
            Key: keys.template({ tenantId, templateId }),
            ConditionExpression: 'attribute_exists(pk)',
          }),
        ),
        () => {
          throw new NotFound(`template ${templateId}`);
        },
      );
    },
  };
}
