/**
 * "Run evaluation now": POST /reports/run (202 with a run id), then GET /reports/runs/{runId} every
 * second until the run is completed or failed; then every report on screen is fetched again. The
 * run's progress is said in a live region, so a screen reader hears it finish.
 */
import { Button, Group, Text } from '@mantine/core';
import type { EvaluationRun } from '@shared/domain/evaluation.ts';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import { invalidate, query } from '../../api/query.ts';
import { ErrorAlert } from '../../components/request-state.tsx';
import { reports } from './reports-api.ts';

const POLL_MS = 1000;
/** After this long still queued, the page says the queue may be stuck (the run may still finish). */
const SLOW_MS = 30_000;

const finished = (run: EvaluationRun | undefined) => run?.status === 'completed' || run?.status === 'failed';

export function RunEvaluation({ onDone }: { onDone?: (run: EvaluationRun) => void }) {
  const queryClient = useQueryClient();
  const [runId, setRunId] = useState<string>();
  const [startedAt, setStartedAt] = useState(0);
  const start = useMutation({
    mutationFn: () => reports.runEvaluation({}),
    onSuccess: (run) => {
      setStartedAt(Date.now());
      setRunId(run.runId);
    },
  });
  const run = useQuery({
    ...query(reports.getEvaluationRun, { path: { runId: runId ?? '' } }),
    enabled: runId !== undefined,
    staleTime: 0,
    refetchInterval: (q) => (finished(q.state.data) || q.state.error ? false : POLL_MS),
  });
  const status = run.data?.status;
  const handled = useRef<string | undefined>(undefined);
  // biome-ignore lint/correctness/useExhaustiveDependencies: runs once per finished run
  useEffect(() => {
    if (!run.data || !finished(run.data) || handled.current === run.data.runId) return;
    handled.current = run.data.runId;
    if (run.data.status === 'completed')
      void invalidate(queryClient, reports.getCampaignReport, reports.getBaseReport, reports.getBasketRules, reports.getEvaluationRun);
    onDone?.(run.data);
  }, [status, run.data?.runId]);

  const busy = start.isPending || (runId !== undefined && !finished(run.data) && !run.isError);
  return (
    <div>
      <Group gap="sm" wrap="nowrap" justify="flex-end">
        <Button onClick={() => start.mutate()} loading={busy} disabled={busy}>
          Run evaluation now
        </Button>
      </Group>
      <Text size="sm" c="dimmed" role="status" aria-live="polite" ta="right" mt={4} maw={360}>
        {runId === undefined ? '' : progressText(run.data, Date.now() - startedAt)}
      </Text>
      {start.isError && <ErrorAlert error={start.error} title="Could not start the evaluation" />}
      {run.isError && <ErrorAlert error={run.error} title="Could not follow the evaluation run" />}
      {run.data?.status === 'failed' && (
        <ErrorAlert error={new Error(run.data.error ?? 'The run stopped without a reason.')} title="The evaluation failed" />
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
  return `Evaluation done${seconds}${parts.length ? `: ${parts.join(', ')}` : ''}. The reports below are up to date.`;
}
