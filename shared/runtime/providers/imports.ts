import { createImportRepo } from '../../db/import-repo.ts';
import { once } from '../provide.ts';
import { table } from './table.ts';

export const importStore = /* @__PURE__ */ once(() => createImportRepo(table().doc, table().name));
