/** Conversion counters, the evaluation index and the stored reports (DynamoDB). */
import { createEvaluationRepo } from '../../db/evaluation-repo.ts';
import { once } from '../provide.ts';
import { table } from './table.ts';

export const evaluationStore = /* @__PURE__ */ once(() => createEvaluationRepo(table().doc, table().name));
