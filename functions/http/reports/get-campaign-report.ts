import { reportApi } from '../../../shared/api/contract/reports.ts';
import { campaignReportCsv } from '../../../shared/domain/evaluation.ts';
import { campaignStore } from '../../../shared/runtime/providers/campaigns.ts';
import { evaluationStore } from '../../../shared/runtime/providers/evaluation.ts';
import { httpHandler } from '../../../shared/runtime/http-handler.ts';
import { csvOr } from '../../../shared/runtime/csv-response.ts';
import { getCampaignReport } from '../../../shared/services/evaluation.ts';

export const handler = httpHandler(
  reportApi.getCampaignReport,
  { evaluation: evaluationStore, campaigns: campaignStore },
  async ({ deps, caller, path, query, allHeaders }) =>
    csvOr(
      await getCampaignReport(deps, caller, path.campaignId),
      campaignReportCsv,
      { format: query.format, accept: allHeaders.accept },
      `campaign-${path.campaignId}.csv`,
    ),
);
