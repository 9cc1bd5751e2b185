/** The report pages' clients: the evaluation and its reports, the campaigns to list, the value-model recompute (basket rules). */
import { campaignApi } from '@shared/api/contract/campaigns.ts';
import { reportApi } from '@shared/api/contract/reports.ts';
import { settingsApi } from '@shared/api/contract/settings.ts';
import { apiOf } from '../../api/client.ts';

export const reports = apiOf(reportApi);
export const campaigns = apiOf(campaignApi);
export const settings = apiOf(settingsApi);
