/** The evaluation run over in-memory ports: which campaigns it reads, when one becomes final, and a base too big for one run. */
import { describe, expect, it } from 'vitest';
import type { Campaign } from '../../../shared/domain/campaign.ts';
import { getCampaignReport, runEvaluation } from '../../../shared/services/evaluation.ts';
import { upsertContact } from '../../../shared/services/contacts.ts';
import { fakeClock, fakeDeps } from '../../helpers/fakes.ts';

const T = 't-eval';
const DAY = 86_400_000;

const campaign = (id: string, over: Partial<Campaign> = {}): Campaign => ({
  campaignId: id,
  name: id,
  channel: 'email',
  variants: [{ name: 'A', weight: 1, email: 'tp_1' }],
  audience: { segments: ['sg_1'], lists: [], excludeSegments: [], excludeLists: [] },
  holdout: { percent: 10 },
  attributionDays: 7,
  status: 'completed',
  createdAt: '2025-06-01T00:00:00.000Z',
  updatedAt: '2025-06-01T01:00:00.000Z',
  startedAt: '2025-06-01T00:00:00.000Z',
  finishedAt: '2025-06-01T01:00:00.000Z',
  version: 2,
  ...over,
});

async function world(nowIso: string) {
  const clock = fakeClock(nowIso);
  const deps = fakeDeps(clock.now);
  for (const c of [campaign('cp_done'), campaign('cp_live', { status: 'sending', finishedAt: undefined })]) {
    await deps.campaigns.create(T, c);
    await deps.campaigns.addCounts(T, c.campaignId, { audience: 100, holdout: 10, 'queued#A': 90, 'sent#A': 90 });
    await deps.evaluation.markStarted(T, {
      campaignId: c.campaignId,
      name: c.name,
      startedAt: c.startedAt as string,
      attributionDays: 7,
      triggered: false,
    });
  }
  await deps.evaluation.markStarted(T, {
    campaignId: 'cp_gone',
    name: 'gone',
    startedAt: '2025-06-01T00:00:00.000Z',
    attributionDays: 7,
    triggered: false,
  });
  await upsertContact(deps, { tenantId: T }, { email: 'a@example.com' });
  return { deps, clock };
}

describe('runEvaluation', () => {
  it('reports every open campaign, marks final those ended past their window and deleted ones, then reads them no more', async () => {
    const { deps, clock } = await world('2025-06-05T00:00:00.000Z');
    const first = await runEvaluation(deps, T, 'r1');
    expect(first).toMatchObject({ status: 'completed', campaigns: 2, contacts: 1 });
    expect(await getCampaignReport(deps, { tenantId: T }, 'cp_done')).toMatchObject({
      runId: 'r1',
      groups: [
        { group: 'holdout', assigned: 10 },
        { group: 'A', assigned: 90 },
      ],
    });
    expect((await deps.evaluation.started(T)).map((e) => e.campaignId)).toEqual(['cp_done', 'cp_live']); // cp_gone (deleted) is out

    clock.advance(3 * DAY); // cp_done's window (start + 7 days) has closed, but not the day of grace after it
    expect(await runEvaluation(deps, T, 'r1b')).toMatchObject({ status: 'completed', campaigns: 2 });
    expect((await deps.evaluation.started(T)).map((e) => e.campaignId)).toEqual(['cp_done', 'cp_live']);
    clock.advance(DAY + 3_600_000);
    expect(await runEvaluation(deps, T, 'r2')).toMatchObject({ status: 'completed', campaigns: 2 });
    expect((await deps.evaluation.started(T)).map((e) => e.campaignId)).toEqual(['cp_live']);
    expect(await runEvaluation(deps, T, 'r3')).toMatchObject({ status: 'completed', campaigns: 1 });
    expect(await getCampaignReport(deps, { tenantId: T }, 'cp_done')).toMatchObject({ runId: 'r2' }); // its last report stays
    expect(await getCampaignReport(deps, { tenantId: T }, 'cp_live')).toMatchObject({ runId: 'r3' });
  });

  it('a redelivered message for a completed run does nothing', async () => {
    const { deps } = await world('2025-06-05T00:00:00.000Z');
    const done = await runEvaluation(deps, T, 'r1');
    expect(await runEvaluation(deps, T, 'r1')).toEqual(done);
  });

  it('a base too big for one run: the run fails saying so (no retry loop), the campaigns are still reported', async () => {
    const { deps } = await world('2025-06-05T00:00:00.000Z');
    const run = await runEvaluation(deps, T, 'r1', { baseBudgetMs: -1 });
    expect(run).toMatchObject({ status: 'failed', error: expect.stringMatching(/needs more time than one run has/) });
    expect(await deps.evaluation.run(T, 'r1')).toMatchObject({ status: 'failed' });
    expect(await getCampaignReport(deps, { tenantId: T }, 'cp_live')).toMatchObject({ runId: 'r1' });
  });
});
