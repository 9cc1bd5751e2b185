import { createSettingsRepo } from '../../db/settings-repo.ts';
import { once } from '../provide.ts';
import { table } from './table.ts';

export const settingsStore = /* @__PURE__ */ once(() => createSettingsRepo(table().doc, table().name));
