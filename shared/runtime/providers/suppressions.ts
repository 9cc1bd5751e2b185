import { createSuppressionRepo } from '../../db/suppression-repo.ts';
import { once } from '../provide.ts';
import { table } from './table.ts';

export const suppressionStore = /* @__PURE__ */ once(() => createSuppressionRepo(table().doc, table().name));
