import { reportApi } from '../../../shared/api/contract/reports.ts';
import { baseReportCsv } from '../../../shared/services/base-report.ts';
import { evaluationStore } from '../../../shared/runtime/providers/evaluation.ts';
import { httpHandler } from '../../../shared/runtime/http-handler.ts';
import { csvOr } from '../../../shared/runtime/csv-response.ts';
import { getBaseReport } from '../../../shared/services/evaluation.ts';

export const handler = httpHandler(reportApi.getBaseReport, { evaluation: evaluationStore }, async ({ deps, caller, query, allHeaders }) =>
  csvOr(await getBaseReport(deps, caller), baseReportCsv, { format: query.format, accept: allHeaders.accept }, 'base-report.csv'),
);
