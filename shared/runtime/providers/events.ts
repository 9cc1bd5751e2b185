import { createEventRepo } from '../../db/event-repo.ts';
import { once } from '../provide.ts';
import { table } from './table.ts';

export const eventStore = /* @__PURE__ */ once(() => createEventRepo(table().doc, table().name));
