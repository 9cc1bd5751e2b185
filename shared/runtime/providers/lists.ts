import { createListRepo } from '../../db/list-repo.ts';
import { once } from '../provide.ts';
import { table } from './table.ts';

export const listStore = /* @__PURE__ */ once(() => createListRepo(table().doc, table().name));
