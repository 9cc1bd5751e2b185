import { reportApi } from '../../../shared/api/contract/reports.ts';
import { evaluationStore } from '../../../shared/runtime/providers/evaluation.ts';
import { httpHandler } from '../../../shared/runtime/http-handler.ts';
import { getRun } from '../../../shared/services/evaluation.ts';

export const handler = httpHandler(reportApi.getEvaluationRun, { evaluation: evaluationStore }, ({ deps, caller, path }) =>
  getRun(deps, caller, path.runId),
);
