import { reportApi } from '../../../shared/api/contract/reports.ts';
import { basketRulesCsv } from '../../../shared/domain/basket-rules.ts';
import { settingsStore } from '../../../shared/runtime/providers/settings.ts';
import { httpHandler } from '../../../shared/runtime/http-handler.ts';
import { csvOr } from '../../../shared/runtime/csv-response.ts';
import { getBasketRules } from '../../../shared/services/evaluation.ts';

export const handler = httpHandler(reportApi.getBasketRules, { settings: settingsStore }, async ({ deps, caller, query, allHeaders }) =>
  csvOr(await getBasketRules(deps, caller), basketRulesCsv, { format: query.format, accept: allHeaders.accept }, 'basket-rules.csv'),
);
