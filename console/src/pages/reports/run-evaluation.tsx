/**
 * "Run evaluation now": POST /reports/run (202 with a run id), then GET /reports/runs/{runId} every
 * second until the run is completed or failed; then every report on screen is fetched again. The
 * run in progress lives in the query cache, so every button on the page (the header's, an empty
 * state's) and the next report page show the same run; its progress is said in a live region.
 */
import { Button, Text } from '@mantine/core';
import type { EvaluationRun } from '@shared/domain/evaluation.ts';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';
import { invalidate, query } from '../../api/query.ts';
import { ErrorAlert } from '../../components/request-state.tsx';
import { reports } from './reports-api.ts';

const POLL_MS = 1000;
/** After this long still queued, the page says the queue may be stuck (the run may still finish). */
const SLOW_MS = 30_000;

interface CurrentRun {
  runId: string;
  startedAt: number;
  /** Set once the reports were refreshed after it finished. */
  handled?: boolean;
}
const CURRENT = ['reports', 'current evaluation run'] as const;

const finished = (run: EvaluationRun | undefined) => run?.status === 'completed' || run?.status === 'failed';

/** The button; `status` off for a second button on the page (the header's says the progress). */
export function RunEvaluation({ status: showStatus = true }: { status?: boolean }) {
  const queryClient = useQueryClient();
  const { data: current } = useQuery<CurrentRun | null>({
    queryKey: CURRENT,
    queryFn: () => null,
    initialData: null,
    staleTime: Number.POSITIVE_INFINITY,
    gcTime: Number.POSITIVE_INFINITY,
  });
  const start = useMutation({
    mutationFn: () => reports.runEvaluation({}),
    onSuccess: (run) => queryClient.setQueryData<CurrentRun>(CURRENT, { runId: run.runId, startedAt: Date.now() }),
  });
  const run = useQuery({
    ...query(reports.getEvaluationRun, { path: { runId: current?.runId ?? '' } }),
    enabled: !!current,
    staleTime: 0,
    refetchInterval: (q) => (finished(q.state.data) || q.state.error ? false : POLL_MS),
  });

  useEffect(() => {
    if (!current || current.handled || !run.data || run.data.runId !== current.runId || !finished(run.data)) return;
    queryClient.setQueryData<CurrentRun>(CURRENT, { ...current, handled: true });
    if (run.data.status === 'completed')
      void invalidate(queryClient, reports.getCampaignReport, reports.getBaseReport, reports.getBasketRules);
  }, [current, run.data, queryClient]);

  const busy = start.isPending || (!!current && !finished(run.data) && !run.isError);
  return (
    <div>
      <Button onClick={() => start.mutate()} loading={busy} disabled={busy}>
        Run evaluation now
      </Button>
      {showStatus && (
        <>
          {/* The live region is always there (a region added with its text may not be announced); empty, it takes no room. */}
          <Text size="sm" c="dimmed" role="status" aria-live="polite" mt={current ? 4 : 0} maw={320}>
            {current ? progressText(run.data, Date.now() - current.startedAt) : ''}
          </Text>
          {start.isError && <ErrorAlert error={start.error} title="Could not start the evaluation" />}
          {run.isError && <ErrorAlert error={run.error} title="Could not follow the evaluation run" />}
          {run.data?.status === 'completed' && (run.data.campaignErrors?.length ?? 0) > 0 && (
            <ErrorAlert
              title="Some campaigns could not be evaluated"
              error={new Error(run.data.campaignErrors?.map((e) => `${e.campaignId}: ${e.error}`).join('; '))}
            />
          )}
          {run.data?.status === 'failed' && (
            <ErrorAlert error={new Error(run.data.error ?? 'The run stopped without a reason.')} title="The evaluation failed" />
          )}
        </>
      )}
    </div>
  );
}

function progressText(run: EvaluationRun | undefined, elapsedMs: number): string {
  if (!run || run.status === 'queued')
    return elapsedMs > SLOW_MS ? 'The evaluation is still queued: the queue workers may be busy.' : 'Evaluation queued…';
  if (run.status === 'running') return 'Evaluating…';
  if (run.status === 'failed') return 'The evaluation failed.';
  const parts = [
    run.campaigns !== undefined ? `${run.campaigns} campaign${run.campaigns === 1 ? '' : 's'}` : undefined,
    run.contacts !== undefined ? `${run.contacts.toLocaleString()} contacts` : undefined,
  ].filter(Boolean);
  const seconds = run.durationMs !== undefined ? ` in ${(run.durationMs / 1000).toFixed(1)} s` : '';
  return `Evaluation done${seconds}${parts.length ? `: ${parts.join(', ')}` : ''}. The reports are up to date.`;
}
