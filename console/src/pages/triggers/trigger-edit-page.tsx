/**
 * The trigger editor: a new triggered campaign (`/triggers/new`) or a saved one
 * (`/triggers/:id/edit`): what starts it (an event with filters, a lifecycle stage, a segment
 * entered), the wait and re-checks, cooldown, recommendations and active dates, and the message
 * (channel, holdout share, topic, variants). A draft changes freely; a launched trigger (on or
 * paused) takes edits for its new firings, not a new channel, as the API allows. The form is
 * checked with the API's schema before it is sent, and the API's answer lands on the input that
 * owns each field.
 */
import {
  ActionIcon,
  Alert,
  Anchor,
  Button,
  Card,
  Checkbox,
  Fieldset,
  Group,
  NativeSelect,
  NumberInput,
  Radio,
  SimpleGrid,
  Stack,
  Text,
  TextInput,
} from '@mantine/core';
import type { Campaign } from '@shared/domain/campaign.ts';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type ReactNode, useMemo, useRef, useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { ApiError } from '../../api/client.ts';
import { invalidate, query } from '../../api/query.ts';
import { notifyDone } from '../campaigns/notify.ts';
import { PageHeader } from '../../components/page-header.tsx';
import { ErrorAlert, Loading } from '../../components/request-state.tsx';
import { campaigns, lists, segments, settings, templates } from '../campaigns/campaigns-api.ts';
import { errorAt } from '../campaigns/draft.ts';
import { ChannelRadios, type References, TopicSelect, VariantsEditor, withChosen } from '../campaigns/wizard-steps.tsx';
import { triggerSentence } from './describe.ts';
import {
  checkTrigger,
  type DurationDraft,
  FILTER_FIELDS,
  type FilterDraft,
  emptyTrigger,
  newFilter,
  specOf,
  type TriggerDraft,
  triggerBodyOf,
  triggerDraftOf,
  triggerPatchOf,
  type Unit,
} from './trigger-form.ts';

export default function TriggerEditPage() {
  const { campaignId } = useParams();
  const existing = useQuery({ ...query(campaigns.getCampaign, { path: { campaignId: campaignId ?? '' } }), enabled: !!campaignId });
  const seg = useQuery({ ...query(segments.listSegments, { query: { limit: 500 } }), staleTime: 30_000 });
  const lst = useQuery({ ...query(lists.listLists, { query: { limit: 500 } }), staleTime: 30_000 });
  const tpl = useQuery({ ...query(templates.listTemplates, { query: { limit: 500 } }), staleTime: 30_000 });
  const sending = useQuery({ ...query(settings.getSendingSettings, {}), staleTime: 30_000 });
  const all = [...(campaignId ? [existing] : []), seg, lst, tpl, sending];
  const failed = all.find((q) => q.isError);
  const c = existing.data;
  let body: ReactNode;
  if (failed)
    body = (
      <ErrorAlert error={failed.error} title="Could not load the trigger editor" onRetry={() => all.forEach((q) => void q.refetch())} />
    );
  else if (all.some((q) => q.isPending) || !seg.data || !lst.data || !tpl.data || !sending.data)
    body = <Loading label="Loading the trigger" />;
  else if (c && !c.trigger)
    body = (
      <Text>
        This campaign has no trigger.{' '}
        <Anchor underline="always" component={Link} to={`/campaigns/${c.campaignId}`}>
          Open it as a campaign
        </Anchor>
        .
      </Text>
    );
  else if (c && !['draft', 'sending', 'paused'].includes(c.status))
    body = (
      <Text>
        A {c.status} trigger cannot change.{' '}
        <Anchor underline="always" component={Link} to={`/triggers/${c.campaignId}`}>
          Back to the trigger
        </Anchor>
      </Text>
    );
  else
    body = (
      <TriggerForm
        saved={c}
        refs={{
          segments: seg.data.items.map((s) => ({ value: s.segmentId, label: s.name })),
          lists: lst.data.items.map((l) => ({ value: l.listId, label: l.name })),
          templates: tpl.data.items,
          settings: sending.data,
        }}
      />
    );
  return (
    <>
      <PageHeader title={campaignId ? `Edit ${c?.name ?? 'trigger'}` : 'New trigger'}>
        <Anchor component={Link} to={c ? `/triggers/${c.campaignId}` : '/triggers'} size="sm">
          {c ? 'Back to the trigger' : 'All triggers'}
        </Anchor>
      </PageHeader>
      {body}
    </>
  );
}

const UNITS: { value: Unit; label: string }[] = [
  { value: 'minutes', label: 'minutes' },
  { value: 'hours', label: 'hours' },
  { value: 'days', label: 'days' },
];

function DurationInput({
  label,
  value,
  onChange,
  error,
  description,
}: {
  label: string;
  value: DurationDraft;
  onChange: (d: DurationDraft) => void;
  error?: string | undefined;
  description?: string;
}) {
  return (
    <Group align="flex-start" gap="xs">
      <NumberInput
        label={label}
        description={description}
        min={0}
        allowDecimal={false}
        value={value.amount}
        onChange={(v) => onChange({ ...value, amount: v === '' ? '' : Number(v) })}
        error={error}
        w={160}
      />
      <NativeSelect
        label={`${label}: unit`}
        data={UNITS}
        value={value.unit}
        onChange={(e) => onChange({ ...value, unit: e.currentTarget.value as Unit })}
        mt={description ? 0 : undefined}
      />
    </Group>
  );
}

const OP_LABELS: { value: FilterDraft['op']; label: string }[] = [
  { value: 'eq', label: 'is' },
  { value: 'neq', label: 'is not' },
  { value: 'in', label: 'is one of (commas)' },
  { value: 'gt', label: 'is over' },
  { value: 'gte', label: 'is at least' },
  { value: 'lt', label: 'is under' },
  { value: 'lte', label: 'is at most' },
];
const FIELD_LABELS: Record<(typeof FILTER_FIELDS)[number], string> = {
  'items.category': "an item's category",
  'items.sku': "an item's SKU",
  'items.name': "an item's name",
  'items.price': "an item's price",
  'items.quantity': "an item's quantity",
  total: 'the total',
  currency: 'the currency',
  orderId: 'the order id',
  properties: 'a property',
};

function FiltersEditor({
  where,
  onChange,
  errors,
}: {
  where: FilterDraft[];
  onChange: (w: FilterDraft[]) => void;
  errors: Record<string, string>;
}) {
  const change = (key: number, patch: Partial<FilterDraft>) => onChange(where.map((f) => (f.key === key ? { ...f, ...patch } : f)));
  return (
    <Stack gap="xs">
      <Text size="sm" fw={500}>
        Only events where (all must hold)
      </Text>
      {where.length === 0 && <Text size="sm">Every event of this type starts it.</Text>}
      {where.map((f, i) => {
        const at = `trigger.on.where.${i}`;
        return (
          <Card withBorder padding="xs" key={f.key} component="fieldset" aria-label={`Filter ${i + 1}`} m={0}>
            <Group align="flex-start" gap="xs" wrap="wrap">
              <NativeSelect
                label="Field"
                data={FILTER_FIELDS.map((value) => ({ value, label: FIELD_LABELS[value] }))}
                value={f.field}
                onChange={(e) => change(f.key, { field: e.currentTarget.value as FilterDraft['field'] })}
                error={f.field === 'properties' ? undefined : errorAt(errors, `${at}.field`)}
              />
              {f.field === 'properties' && (
                <TextInput
                  label="Property"
                  value={f.property}
                  onChange={(e) => change(f.key, { property: e.currentTarget.value })}
                  error={errorAt(errors, `${at}.field`)}
                  w={160}
                />
              )}
              <NativeSelect
                label="Condition"
                data={OP_LABELS}
                value={f.op}
                onChange={(e) => change(f.key, { op: e.currentTarget.value as FilterDraft['op'] })}
                error={errorAt(errors, `${at}.op`)}
              />
              <TextInput
                label="Value"
                value={f.value}
                onChange={(e) => change(f.key, { value: e.currentTarget.value })}
                error={errorAt(errors, `${at}.value`)}
                style={{ flex: 1, minWidth: 140 }}
              />
              <ActionIcon
                variant="subtle"
                color="red"
                mt={26}
                aria-label={`Remove filter ${i + 1}`}
                onClick={() => onChange(where.filter((x) => x.key !== f.key))}
              >
                ×
              </ActionIcon>
            </Group>
          </Card>
        );
      })}
      <Group>
        <Button variant="default" size="xs" disabled={where.length >= 10} onClick={() => onChange([...where, newFilter()])}>
          Add a filter
        </Button>
      </Group>
    </Stack>
  );
}

/** Inputs the form shows an error on: anything else the API names goes to the alert at the top. */
function shownOn(d: TriggerDraft, variants: number): string[] {
  return [
    'name',
    'channel',
    'topic',
    'holdout',
    'trigger.on.event',
    'trigger.on.stage',
    'trigger.on.segment',
    ...d.where.flatMap((_, i) => ['field', 'op', 'value'].map((f) => `trigger.on.where.${i}.${f}`)),
    'trigger.delay',
    'trigger.segmentId',
    'trigger.cooldown',
    'trigger.recommendations',
    'trigger.activeFrom',
    'trigger.activeUntil',
    ...Array.from({ length: variants }, (_, i) => ['name', 'weight', 'email', 'sms'].map((f) => `variants.${i}.${f}`)).flat(),
  ];
}

function TriggerForm({ saved, refs }: { saved: Campaign | undefined; refs: References }) {
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [draft, setDraft] = useState<TriggerDraft>(() => (saved ? triggerDraftOf(saved) : emptyTrigger()));
  const [tried, setTried] = useState(false);
  const [serverErrors, setServerErrors] = useState<Record<string, string>>({});
  const idempotency = useRef<{ body: string; key: string } | undefined>(undefined);
  const live = saved !== undefined && saved.status !== 'draft';

  const localIssues = useMemo(() => checkTrigger(draft, saved), [draft, saved]);
  const errors = useMemo(() => {
    const out: Record<string, string> = { ...serverErrors };
    if (tried) for (const i of localIssues) out[i.field.replace(/^body\./, '')] ??= i.message;
    return out;
  }, [serverErrors, localIssues, tried]);
  const set = (change: Partial<TriggerDraft>) => {
    setDraft((d) => ({ ...d, ...change }));
    setServerErrors({});
  };

  const save = useMutation({
    mutationFn: async (): Promise<Campaign> => {
      if (saved) return campaigns.updateCampaign({ path: { campaignId: saved.campaignId }, body: triggerPatchOf(draft, saved) });
      const body = triggerBodyOf(draft);
      const text = JSON.stringify(body);
      if (idempotency.current?.body !== text) idempotency.current = { body: text, key: crypto.randomUUID() };
      return campaigns.createCampaign({ body, headers: { 'idempotency-key': idempotency.current.key } });
    },
    onSuccess: async (c) => {
      await invalidate(queryClient, campaigns.listCampaigns, campaigns.getCampaign);
      notifyDone(`Trigger “${c.name}” saved.`);
      navigate(`/triggers/${c.campaignId}`);
    },
    onError: (error) => {
      if (error instanceof ApiError && error.issues.length > 0) setServerErrors(error.fieldErrors());
    },
  });

  const submit = () => {
    setTried(true);
    if (localIssues.length === 0) save.mutate();
  };

  const shown = shownOn(draft, draft.variants.length);
  const unplaced = Object.entries(errors).filter(([f]) => !shown.some((s) => f === s || f.startsWith(`${s}.`)));
  const segmentName = (id: string) => refs.segments.find((s) => s.value === id)?.label ?? id;
  return (
    <form
      noValidate
      aria-label="Trigger"
      onSubmit={(e) => {
        e.preventDefault();
        submit();
      }}
    >
      <Stack>
        {live && (
          <Alert variant="light" title={`This trigger is ${saved?.status === 'sending' ? 'on' : 'paused'}`}>
            Edits apply to firings that start from now on; a firing already waiting keeps the trigger and variants it started with. Its
            channel, holdout share and variant weights cannot change (the report measures them).
          </Alert>
        )}
        {saved?.survey === 'nps' && (
          <Alert variant="light" title="An NPS survey">
            Its templates get the 11 score links; answers are kept on the contact (docs/triggers.md).
          </Alert>
        )}
        {unplaced.length > 0 && (
          <Alert color="red" variant="light" title="Please fix" role="alert">
            {unplaced.map(([f, m]) => (
              <Text size="sm" c="red.9" key={f}>
                {f}: {m}
              </Text>
            ))}
          </Alert>
        )}
        <TextInput
          label="Name"
          required
          value={draft.name}
          onChange={(e) => set({ name: e.currentTarget.value })}
          error={errorAt(errors, 'name')}
          maw={560}
        />
        <Fieldset legend="What starts it">
          <Stack>
            <Radio.Group value={draft.start} onChange={(v) => set({ start: v as TriggerDraft['start'] })} label="Start on">
              <Group mt="xs">
                <Radio value="event" label="An event" />
                <Radio value="stage" label="A lifecycle stage entered" />
                <Radio value="segment" label="A segment entered" />
              </Group>
            </Radio.Group>
            {draft.start === 'event' && (
              <>
                <Group align="flex-start">
                  <TextInput
                    label="Event type"
                    description="purchase, signup, nps_answered or any custom type"
                    list="event-types"
                    value={draft.event}
                    onChange={(e) => set({ event: e.currentTarget.value })}
                    error={errorAt(errors, 'trigger.on.event')}
                    w={280}
                  />
                  <datalist id="event-types">
                    {['purchase', 'signup', 'nps_answered', 'referral_credited'].map((t) => (
                      <option key={t} value={t} />
                    ))}
                  </datalist>
                  <Checkbox
                    mt={48}
                    label="Only the contact's first event of this type"
                    checked={draft.first}
                    onChange={(e) => set({ first: e.currentTarget.checked })}
                  />
                </Group>
                <FiltersEditor where={draft.where} onChange={(where) => set({ where })} errors={errors} />
              </>
            )}
            {draft.start === 'stage' && (
              <NativeSelect
                label="Stage"
                description="Noticed from each customer's last purchase and the workspace's lifecycle thresholds."
                data={[
                  { value: 'at_risk', label: 'At risk' },
                  { value: 'lapsed', label: 'Lapsed' },
                ]}
                value={draft.stage}
                onChange={(e) => set({ stage: e.currentTarget.value as TriggerDraft['stage'] })}
                error={errorAt(errors, 'trigger.on.stage')}
                maw={280}
              />
            )}
            {draft.start === 'segment' && (
              <NativeSelect
                label="Segment"
                description="Checked when an event about the contact arrives: in it now, and not before."
                data={[{ value: '', label: 'Pick a segment' }, ...withChosen(refs.segments, [draft.segment])]}
                value={draft.segment}
                onChange={(e) => set({ segment: e.currentTarget.value })}
                error={errorAt(errors, 'trigger.on.segment')}
                maw={400}
              />
            )}
          </Stack>
        </Fieldset>
        <Fieldset legend="Then">
          <Stack>
            <DurationInput
              label="Wait"
              description="0: at once"
              value={draft.delay}
              onChange={(delay) => set({ delay })}
              error={errorAt(errors, 'trigger.delay')}
            />
            <Checkbox
              label="Drop it if the contact purchased since the start"
              checked={draft.cancelIfPurchased}
              onChange={(e) => set({ cancelIfPurchased: e.currentTarget.checked })}
            />
            <NativeSelect
              label="Only if the contact is then in the segment"
              data={[{ value: '', label: 'No re-check' }, ...withChosen(refs.segments, [draft.recheckSegment])]}
              value={draft.recheckSegment}
              onChange={(e) => set({ recheckSegment: e.currentTarget.value })}
              error={errorAt(errors, 'trigger.segmentId')}
              maw={400}
            />
            {draft.start === 'event' && (
              <NumberInput
                label="Cross-sell recommendations"
                description="Categories that go with the starting purchase (0: none; none to give drops the firing)."
                min={0}
                max={10}
                allowDecimal={false}
                value={draft.recommendations}
                onChange={(v) => set({ recommendations: typeof v === 'number' ? v : Number(v) || 0 })}
                error={errorAt(errors, 'trigger.recommendations')}
                maw={280}
              />
            )}
          </Stack>
        </Fieldset>
        <Fieldset legend="Limits">
          <Stack>
            <Checkbox
              label="Cooldown: at most one message per contact within a time"
              checked={draft.cooldown}
              onChange={(e) => set({ cooldown: e.currentTarget.checked })}
            />
            {draft.cooldown && (
              <DurationInput
                label="Cooldown"
                value={draft.cooldownFor}
                onChange={(cooldownFor) => set({ cooldownFor })}
                error={errorAt(errors, 'trigger.cooldown')}
              />
            )}
            <SimpleGrid cols={{ base: 1, sm: 2 }} maw={600}>
              <TextInput
                type="datetime-local"
                label="Active from (optional)"
                value={draft.activeFrom}
                onChange={(e) => set({ activeFrom: e.currentTarget.value })}
                error={errorAt(errors, 'trigger.activeFrom')}
              />
              <TextInput
                type="datetime-local"
                label="Active until (optional)"
                value={draft.activeUntil}
                onChange={(e) => set({ activeUntil: e.currentTarget.value })}
                error={errorAt(errors, 'trigger.activeUntil')}
              />
            </SimpleGrid>
          </Stack>
        </Fieldset>
        <Fieldset legend="The message">
          <Stack>
            <ChannelRadios
              value={draft.channel}
              onChange={(channel) => set({ channel })}
              error={errorAt(errors, 'channel')}
              disabled={live}
            />
            <TopicSelect
              value={draft.topic}
              onChange={(topic) => set({ topic })}
              settings={refs.settings}
              error={errorAt(errors, 'topic')}
            />
            <NumberInput
              label="Holdout share (%)"
              description="Contacts kept back at random (no message), to measure the trigger against; 0: none."
              min={0}
              max={90}
              decimalScale={1}
              value={draft.holdoutPercent}
              onChange={(v) => set({ holdoutPercent: typeof v === 'number' ? v : Number(v) || 0 })}
              error={errorAt(errors, 'holdout')}
              disabled={live}
              maw={280}
            />
            <VariantsEditor
              channel={draft.channel}
              variants={draft.variants}
              onChange={(variants) => set({ variants })}
              errors={errors}
              templates={refs.templates}
              fixedWeights={live ? (saved?.variants.map((v) => v.name) ?? []) : []}
            />
          </Stack>
        </Fieldset>
        <Card withBorder>
          <Text size="sm" fw={600}>
            In words
          </Text>
          <Text size="sm">{triggerSentence(specOf(draft), segmentName)}</Text>
        </Card>
        {save.isError && !(save.error instanceof ApiError && save.error.issues.length > 0) && (
          <ErrorAlert error={save.error} title="Could not save the trigger" />
        )}
        <Group justify="flex-end">
          <Button component={Link} to={saved ? `/triggers/${saved.campaignId}` : '/triggers'} variant="default">
            Cancel
          </Button>
          <Button type="submit" loading={save.isPending}>
            {saved ? 'Save changes' : 'Save draft'}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
