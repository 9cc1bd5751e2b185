import { createTemplateRepo } from '../../db/template-repo.ts';
import { once } from '../provide.ts';
import { table } from './table.ts';

export const templateStore = /* @__PURE__ */ once(() => createTemplateRepo(table().doc, table().name));
