import { campaignStore } from '../../../shared/runtime/providers/campaigns.ts';
import { contactStore } from '../../../shared/runtime/providers/contacts.ts';
import { evaluationStore } from '../../../shared/runtime/providers/evaluation.ts';
import { settingsStore } from '../../../shared/runtime/providers/settings.ts';
import { queueHandler } from '../../../shared/runtime/queue-handler.ts';
import { runEvaluation } from '../../../shared/services/evaluation.ts';

export const handler = queueHandler(
  'evaluation',
  { evaluation: evaluationStore, campaigns: campaignStore, contacts: contactStore, settings: settingsStore },
  async (deps, message) => {
    await runEvaluation(deps, message.tenantId, message.runId);
  },
);
