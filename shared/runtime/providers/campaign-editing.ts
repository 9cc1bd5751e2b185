/**
 * What creating, editing and launching a campaign need: the campaign and its references
 * (templates, segments, lists), the settings (sender identities, topics), the trigger index and
 * the evaluation index (a started campaign is noted there).
 */
import { campaignStore, triggerStore } from './campaigns.ts';
import { listStore } from './lists.ts';
import { segmentStore } from './segments.ts';
import { settingsStore } from './settings.ts';
import { templateStore } from './templates.ts';
import { evaluationStore } from './evaluation.ts';

export const campaignEditingProviders = {
  campaigns: campaignStore,
  triggers: triggerStore,
  templates: templateStore,
  segments: segmentStore,
  lists: listStore,
  settings: settingsStore,
  evaluation: evaluationStore,
};
