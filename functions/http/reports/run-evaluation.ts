import { reportApi } from '../../../shared/api/contract/reports.ts';
import { evaluationStore } from '../../../shared/runtime/providers/evaluation.ts';
import { sqsQueue } from '../../../shared/runtime/providers/queue.ts';
import { httpHandler } from '../../../shared/runtime/http-handler.ts';
import { requestRun } from '../../../shared/services/evaluation.ts';

export const handler = httpHandler(reportApi.runEvaluation, { evaluation: evaluationStore, queue: sqsQueue }, ({ deps, caller }) =>
  requestRun(deps, caller),
);
