import { createContactRepo } from '../../db/contact-repo.ts';
import { once } from '../provide.ts';
import { table } from './table.ts';

export const contactStore = /* @__PURE__ */ once(() => createContactRepo(table().doc, table().name));
