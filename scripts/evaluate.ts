/**
 * `npm run evaluate [-- --campaign <id>]`: runs the evaluation now on the running platform (npm
 * start) or the API named by HERALD_API_URL and HERALD_TOKEN, waits for it, and prints each
 * started campaign's report (or the one named).
 */
import { parseArgs } from 'node:util';
import type { CampaignReport } from '../shared/domain/evaluation.ts';
import { apiTarget, call, evaluateNow } from './lib/api.ts';
import { campaignReportText } from './lib/print-report.ts';

const { values } = parseArgs({ options: { campaign: { type: 'string' }, api: { type: 'string' }, token: { type: 'string' } } });
const target = apiTarget(values);
try {
  const run = await evaluateNow(target);
  console.log(`Evaluation ${run.runId}: ${run.campaigns ?? 0} campaigns, ${run.contacts ?? 0} contacts, ${run.durationMs ?? 0} ms\n`);
  const ids: string[] = [];
  if (values.campaign) ids.push(values.campaign);
  else {
    let cursor: string | undefined;
    do {
      const page = await call<{ items: { campaignId: string; startedAt?: string }[]; cursor?: string }>(
        target,
        'GET',
        `/campaigns?limit=100${cursor ? `&cursor=${cursor}` : ''}`,
      );
      ids.push(...page.items.filter((c) => c.startedAt).map((c) => c.campaignId));
      cursor = page.cursor;
    } while (cursor);
  }
  for (const id of ids) console.log(`${campaignReportText(await call<CampaignReport>(target, 'GET', `/reports/campaigns/${id}`))}\n`);
  if (ids.length === 0) console.log('No campaign has started yet: launch one, post purchases, and run this again.');
  console.log('The base report: GET /reports/base (JSON, or Accept: text/csv).');
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
}
