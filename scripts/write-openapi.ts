/** `npm run openapi`: writes docs/openapi.json from the wiring table and the zod contract. */
import { writeFileSync } from 'node:fs';
import { routes } from '../functions/wiring.ts';
import { openApiDocument } from '../shared/api/openapi.ts';

export const OPENAPI_FILE = 'docs/openapi.json';
export const renderOpenApi = () => `${JSON.stringify(openApiDocument(routes), null, 2)}\n`;

if (process.argv[1]?.endsWith('write-openapi.ts')) {
  writeFileSync(OPENAPI_FILE, renderOpenApi());
  console.log(`wrote ${OPENAPI_FILE}`);
}
