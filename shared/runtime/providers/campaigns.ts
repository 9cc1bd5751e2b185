import { createCampaignRepo } from '../../db/campaign-repo.ts';
import { createSendRepo } from '../../db/send-repo.ts';
import { createTriggerRepo } from '../../db/trigger-repo.ts';
import { once } from '../provide.ts';
import { table } from './table.ts';

export const campaignStore = /* @__PURE__ */ once(() => createCampaignRepo(table().doc, table().name));
export const sendStore = /* @__PURE__ */ once(() => createSendRepo(table().doc, table().name));
export const triggerStore = /* @__PURE__ */ once(() => createTriggerRepo(table().doc, table().name));
