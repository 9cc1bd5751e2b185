/**
 * Generates the OpenAPI 3.1 document from the wiring table and the contract's zod schemas
 * (zod's own JSON Schema output, which is the dialect OpenAPI 3.1 uses).
 */
import * as z from 'zod';
import { documentedAs } from '../domain/documented.ts';
import { ErrorBody, contract, type Operation, type OperationId } from './contract.ts';

interface RouteLike {
  method: string;
  path: string;
  operation: OperationId;
  access?: 'none' | 'public' | 'read' | 'write';
}

type JsonSchema = Record<string, unknown>;

const schemaOf = (schema: z.ZodType, io: 'input' | 'output'): JsonSchema => {
  const { $schema: _ignored, ...rest } = z.toJSONSchema(schema, {
    io,
    unrepresentable: 'any',
    target: 'draft-2020-12',
    // A loosely validated schema (shared/domain/documented.ts) is documented as its precise forms.
    override: (ctx) => {
      const documented = documentedAs.get(ctx.zodSchema);
      if (documented) ctx.jsonSchema.anyOf = documented.map((s) => schemaOf(s, io));
    },
  }) as JsonSchema;
  return rest;
};

/** Path and query parameters from a z.object's shape. */
function parameters(schema: z.ZodType | undefined, where: 'path' | 'query' | 'header') {
  if (!schema) return [];
  const json = schemaOf(schema, 'input');
  const properties = (json.properties ?? {}) as Record<string, JsonSchema>;
  const required = new Set((json.required ?? []) as string[]);
  return Object.entries(properties).map(([name, s]) => ({ name, in: where, required: where === 'path' || required.has(name), schema: s }));
}

export function openApiDocument(routes: RouteLike[]) {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of routes) {
    const op: Operation = contract[route.operation];
    const status = String(op.status ?? 200);
    const responses: Record<string, unknown> = {
      [status]: op.response
        ? {
            description: 'OK',
            content: {
              'application/json': { schema: schemaOf(op.response, 'output') },
              // A JSON answer that also comes as another type (the reports as CSV).
              ...(op.produces ? { [op.produces]: { schema: { type: 'string' } } } : {}),
            },
          }
        : op.produces
          ? { description: status === '302' ? 'Redirect (Location)' : 'OK', content: { [op.produces]: {} } }
          : { description: status === '204' ? 'No content' : 'OK' },
      '400': {
        description: 'Invalid input; the message names each field',
        content: { 'application/json': { schema: schemaOf(ErrorBody, 'output') } },
      },
    };
    if (route.access !== 'none' && route.access !== 'public') responses['401'] = { description: 'Missing or invalid bearer token' };
    if (op.path) responses['404'] = { description: 'Not found' };
    if (op.conflict)
      responses['409'] = { description: op.conflict, content: { 'application/json': { schema: schemaOf(ErrorBody, 'output') } } };
    paths[route.path] ??= {};
    paths[route.path]![route.method.toLowerCase()] = {
      operationId: route.operation,
      summary: op.summary,
      tags: [route.path.split('/')[1] ?? 'meta'],
      security: route.access === 'none' || route.access === 'public' ? [] : [{ bearer: [] }],
      parameters: [...parameters(op.path, 'path'), ...parameters(op.query, 'query'), ...parameters(op.headers, 'header')],
      ...(op.body ? { requestBody: { required: true, content: { 'application/json': { schema: schemaOf(op.body, 'input') } } } } : {}),
      responses,
    };
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Herald API',
      version: '0.1.0',
      description: 'Contacts, consent, target lists and bulk import.',
      license: { name: 'Apache 2.0', identifier: 'Apache-2.0' },
    },
    servers: [
      { url: 'http://127.0.0.1:4010', description: 'Local (`npm start`; another port with HERALD_PORT)' },
      {
        url: 'https://{apiId}.execute-api.{region}.amazonaws.com',
        description: 'A deployment (the API stack output ApiUrl)',
        variables: {
          apiId: { default: 'apiId', description: 'The HTTP API id' },
          region: { default: 'eu-west-1', description: 'The AWS region it is deployed in' },
        },
      },
    ],
    components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } } },
    security: [{ bearer: [] }],
    paths,
  };
}
