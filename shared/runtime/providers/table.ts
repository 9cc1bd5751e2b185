/** The table every store uses: one document client and the validated table name, per cold start. */
import { TableEnv, loadEnv } from '../../config/env.ts';
import { documentClient } from '../../db/client.ts';
import { once } from '../provide.ts';

export const table = /* @__PURE__ */ once(() => ({ doc: documentClient(), name: loadEnv(TableEnv).TABLE_NAME }));
