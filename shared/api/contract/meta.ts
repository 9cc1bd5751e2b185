/** The public description of the API. */
import type { Operation } from './common.ts';

export const metaApi = {
  getOpenApi: { summary: 'This API description (OpenAPI 3.1)' },
} as const satisfies Record<string, Operation>;
