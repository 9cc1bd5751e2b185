/**
 * The campaign wizard: a new draft (`/campaigns/new`) or a saved one (`/campaigns/:id/edit`), in
 * steps (audience; channel, topic and holdout; variants; delivery; goal; review with the numbers
 * that would be sent). The form is checked with the API's own CreateCampaign schema as the user
 * moves on, and the API's answer to a save lands on the step and input that own each field it
 * names. Saving is a POST (with an Idempotency-Key) or a PATCH; when the PATCH cannot express the
 * change (it cannot remove a schedule, a rate or the campaign's own quiet hours) the draft is
 * replaced: a new one is saved and the old one deleted.
 */
import { Alert, Anchor, Button, Group, Stack, Stepper, Text, Title } from '@mantine/core';
import type { Campaign } from '@shared/domain/campaign.ts';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type ReactNode, useEffect, useMemo, useRef, useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { ApiError } from '../../api/client.ts';
import { invalidate, query } from '../../api/query.ts';
import { notifyDone } from './notify.ts';
import { PageHeader } from '../../components/page-header.tsx';
import { ErrorAlert, Loading } from '../../components/request-state.tsx';
import { CampaignFacts, useNames } from './campaign-facts.tsx';
import { campaigns, lists, segments, settings, templates } from './campaigns-api.ts';
import { bodyOf, checkDraft, type Draft, draftOf, emptyDraft, patchOf, REVIEW_STEP, STEPS, stepOf, UNCLEARABLE } from './draft.ts';
import { SendEstimate } from './send-estimate.tsx';
import { AudienceStep, ChannelStep, DeliveryStep, GoalStep, type References, StepErrors, VariantsStep } from './wizard-steps.tsx';

export default function CampaignWizardPage() {
  const { campaignId } = useParams();
  const existing = useQuery({ ...query(campaigns.getCampaign, { path: { campaignId: campaignId ?? '' } }), enabled: !!campaignId });
  const seg = useQuery({ ...query(segments.listSegments, { query: { limit: 500 } }), staleTime: 30_000 });
  const lst = useQuery({ ...query(lists.listLists, { query: { limit: 500 } }), staleTime: 30_000 });
  const tpl = useQuery({ ...query(templates.listTemplates, { query: { limit: 500 } }), staleTime: 30_000 });
  const sending = useQuery({ ...query(settings.getSendingSettings, {}), staleTime: 30_000 });
  const title = campaignId ? `Edit ${existing.data?.name ?? 'campaign'}` : 'New campaign';

  const all = [...(campaignId ? [existing] : []), seg, lst, tpl, sending];
  const failed = all.find((q) => q.isError);
  let body: ReactNode;
  if (failed)
    body = (
      <ErrorAlert error={failed.error} title="Could not load what the wizard needs" onRetry={() => all.forEach((q) => void q.refetch())} />
    );
  else if (all.some((q) => q.isPending) || !seg.data || !lst.data || !tpl.data || !sending.data)
    body = <Loading label="Loading the wizard" />;
  else if (existing.data?.trigger)
    body = (
      <Text>
        This is a triggered campaign:{' '}
        <Anchor underline="always" component={Link} to={`/triggers/${existing.data.campaignId}/edit`}>
          edit it with the trigger editor
        </Anchor>
        .
      </Text>
    );
  else if (existing.data && existing.data.status !== 'draft')
    body = (
      <Text>
        Only drafts change: this campaign is {existing.data.status}.{' '}
        <Anchor underline="always" component={Link} to={`/campaigns/${existing.data.campaignId}`}>
          Back to the campaign
        </Anchor>
      </Text>
    );
  else {
    const refs: References = {
      segments: seg.data.items.map((s) => ({ value: s.segmentId, label: s.name })),
      lists: lst.data.items.map((l) => ({ value: l.listId, label: l.name })),
      templates: tpl.data.items,
      settings: sending.data,
    };
    body = <Wizard saved={existing.data} refs={refs} />;
  }
  return (
    <>
      <PageHeader title={title}>
        <Anchor component={Link} to={existing.data ? `/campaigns/${existing.data.campaignId}` : '/campaigns'} size="sm">
          {existing.data ? 'Back to the campaign' : 'All campaigns'}
        </Anchor>
      </PageHeader>
      {body}
    </>
  );
}

function Wizard({ saved, refs }: { saved: Campaign | undefined; refs: References }) {
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [draft, setDraft] = useState<Draft>(() =>
    saved ? draftOf(saved) : emptyDraft({ templateEmail: refs.templates.length === 1 ? refs.templates[0]?.templateId : undefined }),
  );
  const [active, setActive] = useState(0);
  /** Steps the user tried to leave or save: their own checks show from then on. */
  const [attempted, setAttempted] = useState<Set<number>>(new Set());
  /** What the API answered to the last save, by field; a step's are dropped when that step changes. */
  const [serverErrors, setServerErrors] = useState<Record<string, string>>({});
  const idempotency = useRef<{ body: string; key: string } | undefined>(undefined);

  const localIssues = useMemo(() => checkDraft(draft), [draft]);
  const errors = useMemo(() => {
    const out: Record<string, string> = { ...serverErrors };
    for (const issue of localIssues) {
      const field = issue.field.replace(/^body\./, '');
      if (attempted.has(stepOf(field))) out[field] ??= issue.message;
    }
    return out;
  }, [serverErrors, localIssues, attempted]);
  const stepHasErrors = (step: number) => Object.keys(errors).some((f) => stepOf(f) === step);

  const heading = useRef<HTMLHeadingElement>(null);
  /** Bumped by every move between steps: the step's heading then takes the focus. */
  const [moves, setMoves] = useState(0);
  useEffect(() => {
    if (moves > 0) heading.current?.focus();
  }, [moves]);
  const go = (step: number) => {
    setActive(step);
    setMoves((n) => n + 1);
  };

  const set = (change: Partial<Draft>) => {
    setDraft((d) => ({ ...d, ...change }));
    setServerErrors((e) => Object.fromEntries(Object.entries(e).filter(([f]) => stepOf(f) !== active)));
  };

  const replacing = saved ? patchOf(draft, saved).unclearable : [];

  const save = useMutation({
    mutationFn: async (): Promise<Campaign> => {
      const body = bodyOf(draft);
      const createOnce = () => {
        const text = JSON.stringify(body);
        if (idempotency.current?.body !== text) idempotency.current = { body: text, key: crypto.randomUUID() };
        return campaigns.createCampaign({ body, headers: { 'idempotency-key': idempotency.current.key } });
      };
      if (!saved) return createOnce();
      const { patch, unclearable } = patchOf(draft, saved);
      if (unclearable.length === 0) return campaigns.updateCampaign({ path: { campaignId: saved.campaignId }, body: patch });
      const created = await createOnce();
      await campaigns.deleteCampaign({ path: { campaignId: saved.campaignId } });
      return created;
    },
    onSuccess: async (c) => {
      notifyDone(`Draft “${c.name}” saved.`);
      navigate(`/campaigns/${c.campaignId}`);
      // A replaced draft is gone: refetching it would only answer 404.
      const replaced = saved !== undefined && saved.campaignId !== c.campaignId;
      await invalidate(queryClient, campaigns.listCampaigns, ...(replaced ? [] : [campaigns.getCampaign]));
    },
    onError: (error) => {
      if (!(error instanceof ApiError) || error.issues.length === 0) return;
      const fields = error.fieldErrors();
      setServerErrors(fields);
      const first = Math.min(...Object.keys(fields).map(stepOf));
      go(first);
    },
  });

  const next = () => {
    setAttempted((a) => new Set(a).add(active));
    const own = localIssues.filter((i) => stepOf(i.field.replace(/^body\./, '')) === active);
    if (own.length === 0) go(active + 1);
  };
  const submit = () => {
    setAttempted(new Set(STEPS.map((_, i) => i)));
    if (localIssues.length > 0) {
      go(Math.min(...localIssues.map((i) => stepOf(i.field.replace(/^body\./, '')))));
      return;
    }
    save.mutate();
  };

  const stepProps = { draft, set, errors, refs };
  const stepErrors = Object.entries(errors).filter(([f]) => stepOf(f) === active);
  const body = bodyOf(draft);
  const content = [
    <AudienceStep key="audience" {...stepProps} />,
    <ChannelStep key="channel" {...stepProps} />,
    <VariantsStep key="variants" {...stepProps} />,
    <DeliveryStep key="delivery" {...stepProps} />,
    <GoalStep key="goal" {...stepProps} />,
    <Review key="review" draft={draft} refs={refs} ready={localIssues.length === 0} replacing={replacing} />,
  ];
  const shownOnInputs: string[][] = [
    ['name', 'description', 'audience'],
    ['channel', 'topic', 'holdout'],
    ['variants.'],
    ['schedule', 'quietHours', 'ratePerSecond'],
    ['goal', 'attributionDays'],
    [],
  ];
  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        if (active === REVIEW_STEP) submit();
        else next();
      }}
      noValidate
      aria-label="Campaign wizard"
    >
      <Stepper active={active} onStepClick={go} allowNextStepsSelect size="sm" mb="lg">
        {STEPS.map((s, i) => (
          <Stepper.Step
            key={s.label}
            label={s.label}
            color={stepHasErrors(i) ? 'red' : undefined}
            description={stepHasErrors(i) ? 'Needs a fix' : undefined}
          />
        ))}
      </Stepper>
      <Stack>
        <Title order={2} size="h3" ref={heading} tabIndex={-1} style={{ outline: 'none' }}>
          {STEPS[active]?.label}
        </Title>
        <StepErrors errors={stepErrors} shown={active === 2 ? variantInputs(body.variants.length) : (shownOnInputs[active] ?? [])} />
        {content[active]}
        {save.isError && !(save.error instanceof ApiError && save.error.issues.length > 0) && (
          <ErrorAlert error={save.error} title="Could not save the draft" />
        )}
        <Group justify="space-between" mt="md">
          <Button variant="default" disabled={active === 0} onClick={() => go(active - 1)}>
            Back
          </Button>
          <Group>
            {active < REVIEW_STEP && (
              <Button variant="default" onClick={submit} loading={save.isPending}>
                Save draft
              </Button>
            )}
            {active < REVIEW_STEP ? (
              <Button type="submit">Next</Button>
            ) : (
              <Button type="submit" loading={save.isPending}>
                {replacing.length ? 'Save as a new draft' : 'Save draft'}
              </Button>
            )}
          </Group>
        </Group>
      </Stack>
    </form>
  );
}

/** The variants step's inputs: name, weight and both templates of each variant. */
const variantInputs = (n: number) =>
  Array.from({ length: n }, (_, i) => ['name', 'weight', 'email', 'sms'].map((f) => `variants.${i}.${f}`)).flat();

function Review({
  draft,
  refs,
  ready,
  replacing,
}: {
  draft: Draft;
  refs: References;
  ready: boolean;
  replacing: (keyof typeof UNCLEARABLE)[];
}) {
  const names = useNames();
  const body = bodyOf(draft);
  return (
    <Stack>
      <CampaignFacts campaign={body} names={names} settings={refs.settings} />
      {ready ? (
        <SendEstimate
          campaign={{
            audience: {
              segments: draft.segments,
              lists: draft.lists,
              excludeSegments: draft.excludeSegments,
              excludeLists: draft.excludeLists,
            },
            channel: draft.channel,
            topic: draft.topic || undefined,
            holdout: body.holdout,
            variants: body.variants.map((v) => ({ name: v.name, weight: v.weight ?? 1 })),
          }}
          settings={refs.settings}
        />
      ) : (
        <Alert color="red" variant="light" title="Not ready yet">
          Fix the steps marked “Needs a fix” to see how many would get it.
        </Alert>
      )}
      {replacing.length > 0 && (
        <Alert color="yellow" variant="light" title="Saving replaces this draft">
          The API cannot take {replacing.map((f) => UNCLEARABLE[f]).join(', ')} away from a saved draft. Saving stores a new draft with
          these settings and deletes this one (a draft has sent nothing); it gets a new address.
        </Alert>
      )}
    </Stack>
  );
}
