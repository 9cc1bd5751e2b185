import { createDynamoPacer } from '../../db/pacer-repo.ts';
import { once } from '../provide.ts';
import { table } from './table.ts';

export const dynamoPacer = /* @__PURE__ */ once(() => createDynamoPacer(table().doc, table().name));
