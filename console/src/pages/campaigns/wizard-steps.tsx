/**
 * The campaign wizard's steps. Each takes the form state, a setter and the field errors (keys
 * without `body.`), and shows each error on the input that owns the field; the variants editor is
 * shared with the trigger editor.
 */
import {
  ActionIcon,
  Alert,
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
  Textarea,
  TextInput,
} from '@mantine/core';
import type { CampaignChannel } from '@shared/domain/campaign.ts';
import type { SendingSettings } from '@shared/domain/sending.ts';
import type { Template } from '@shared/domain/template.ts';
import type { ReactNode } from 'react';
import { type Draft, errorAt, newVariant, type VariantDraft, usesEmail, usesSms } from './draft.ts';
import { PickList } from './pick-list.tsx';
import { percent, quietText } from './words.tsx';

export interface Option {
  value: string;
  label: string;
}

/** What the wizard picks from: the API's segments, lists, templates and sending settings. */
export interface References {
  segments: Option[];
  lists: Option[];
  templates: Template[];
  settings: SendingSettings;
}

export interface StepProps {
  draft: Draft;
  set: (change: Partial<Draft>) => void;
  errors: Record<string, string>;
  refs: References;
}

/** The options, plus any chosen id the API no longer has (so the choice shows, and can be removed). */
export function withChosen(options: Option[], chosen: string[]): Option[] {
  const known = new Set(options.map((o) => o.value));
  return [...options, ...chosen.filter((id) => id && !known.has(id)).map((id) => ({ value: id, label: `${id} (not found)` }))];
}

/** Errors of this step that no input shows (a rule across fields, a field the form has no input for). */
export function StepErrors({ errors, shown }: { errors: [string, string][]; shown: string[] }) {
  const rest = errors.filter(([field]) => !shown.some((s) => field === s || field.startsWith(`${s}.`)));
  if (rest.length === 0) return null;
  return (
    <Alert color="red" title="Please fix" role="alert" variant="light">
      {rest.map(([field, message]) => (
        <Text size="sm" c="red.9" key={field}>
          {field}: {message}
        </Text>
      ))}
    </Alert>
  );
}

export function AudienceStep({ draft, set, errors, refs }: StepProps) {
  const audienceError = errors.audience;
  return (
    <Stack>
      <TextInput
        label="Campaign name"
        required
        value={draft.name}
        onChange={(e) => set({ name: e.currentTarget.value })}
        error={errorAt(errors, 'name')}
        maw={560}
      />
      <Textarea
        label="Description"
        description="Optional: what the campaign is for."
        value={draft.description}
        onChange={(e) => set({ description: e.currentTarget.value })}
        error={errorAt(errors, 'description')}
        minRows={2}
        maw={560}
      />
      <Fieldset legend="Send to contacts in any of these">
        <SimpleGrid cols={{ base: 1, sm: 2 }}>
          <PickList
            label="Segments"
            options={withChosen(refs.segments, draft.segments)}
            value={draft.segments}
            onChange={(segments) => set({ segments })}
            error={errorAt(errors, 'audience.segments')}
            empty="No segments yet"
          />
          <PickList
            label="Lists"
            options={withChosen(refs.lists, draft.lists)}
            value={draft.lists}
            onChange={(lists) => set({ lists })}
            error={errorAt(errors, 'audience.lists')}
            empty="No lists yet"
          />
        </SimpleGrid>
      </Fieldset>
      <Fieldset legend="Leave out contacts in any of these">
        <SimpleGrid cols={{ base: 1, sm: 2 }}>
          <PickList
            label="Segments to leave out"
            options={withChosen(refs.segments, draft.excludeSegments)}
            value={draft.excludeSegments}
            onChange={(excludeSegments) => set({ excludeSegments })}
            error={errorAt(errors, 'audience.excludeSegments')}
            empty="No segments yet"
          />
          <PickList
            label="Lists to leave out"
            options={withChosen(refs.lists, draft.excludeLists)}
            value={draft.excludeLists}
            onChange={(excludeLists) => set({ excludeLists })}
            error={errorAt(errors, 'audience.excludeLists')}
            empty="No lists yet"
          />
        </SimpleGrid>
      </Fieldset>
      {audienceError && (
        <Alert color="red" role="alert" variant="light">
          <Text size="sm" c="red.9">
            Audience: {audienceError}
          </Text>
        </Alert>
      )}
    </Stack>
  );
}

export function ChannelRadios({
  value,
  onChange,
  error,
  disabled,
}: {
  value: CampaignChannel;
  onChange: (c: CampaignChannel) => void;
  error?: string | undefined;
  disabled?: boolean;
}) {
  return (
    <Radio.Group label="Channel" value={value} onChange={(v) => onChange(v as CampaignChannel)} error={error}>
      <Stack gap="xs" mt="xs">
        <Radio value="email" label="Email" disabled={disabled} />
        <Radio value="sms" label="SMS" disabled={disabled} />
        <Radio
          value="preferred"
          label="Preferred channel"
          description="Each contact's preferred channel when it can be reached there, else the other one (needs an email and an SMS template)."
          disabled={disabled}
        />
      </Stack>
    </Radio.Group>
  );
}

export function TopicSelect({
  value,
  onChange,
  settings,
  error,
}: {
  value: string;
  onChange: (topic: string) => void;
  settings: SendingSettings;
  error?: string | undefined;
}) {
  const topics = settings.topics ?? [];
  const data = [
    { value: '', label: 'No topic' },
    ...topics.map((t) => ({
      value: t.name,
      label: `${t.displayName} (${t.name}, ${t.defaultStatus === 'subscribed' ? 'opt-out' : 'opt-in'})`,
    })),
    ...(value && !topics.some((t) => t.name === value) ? [{ value, label: `${value} (not in the settings)` }] : []),
  ];
  return (
    <NativeSelect
      label="Topic"
      description="Only contacts subscribed to the topic get the message, on top of channel consent."
      data={data}
      value={value}
      onChange={(e) => onChange(e.currentTarget.value)}
      error={error}
      maw={480}
    />
  );
}

export function ChannelStep({ draft, set, errors, refs }: StepProps) {
  return (
    <Stack>
      <ChannelRadios value={draft.channel} onChange={(channel) => set({ channel })} error={errorAt(errors, 'channel')} />
      <TopicSelect value={draft.topic} onChange={(topic) => set({ topic })} settings={refs.settings} error={errorAt(errors, 'topic')} />
      <Radio.Group
        label="Holdout"
        description="Recipients kept back (no message), to measure what the campaign changed against them."
        value={draft.holdout}
        onChange={(v) => set({ holdout: v as Draft['holdout'] })}
        error={errors.holdout}
      >
        <Stack gap="xs" mt="xs">
          <Radio value="none" label="No holdout" />
          <Radio value="percent" label="A random share of the eligible recipients" />
          {draft.holdout === 'percent' && (
            <NumberInput
              label="Holdout share (%)"
              min={0}
              max={90}
              decimalScale={1}
              value={draft.holdoutPercent}
              onChange={(v) => set({ holdoutPercent: typeof v === 'number' ? v : Number(v) || 0 })}
              error={errorAt(errors, 'holdout.percent')}
              maw={200}
              ml="xl"
            />
          )}
          <Radio value="list" label="The members of a list (a control group drawn elsewhere)" />
          {draft.holdout === 'list' && (
            <NativeSelect
              label="Holdout list"
              data={[{ value: '', label: 'Pick a list' }, ...withChosen(refs.lists, [draft.holdoutList])]}
              value={draft.holdoutList}
              onChange={(e) => set({ holdoutList: e.currentTarget.value })}
              error={errorAt(errors, 'holdout.listId')}
              maw={400}
              ml="xl"
            />
          )}
          <Radio value="segment" label="The members of a segment" />
          {draft.holdout === 'segment' && (
            <NativeSelect
              label="Holdout segment"
              data={[{ value: '', label: 'Pick a segment' }, ...withChosen(refs.segments, [draft.holdoutSegment])]}
              value={draft.holdoutSegment}
              onChange={(e) => set({ holdoutSegment: e.currentTarget.value })}
              error={errorAt(errors, 'holdout.segmentId')}
              maw={400}
              ml="xl"
            />
          )}
        </Stack>
      </Radio.Group>
    </Stack>
  );
}

const templateOptions = (templates: Template[], channel: 'email' | 'sms', chosen: string) =>
  withChosen(
    templates.filter((t) => t.channel === channel).map((t) => ({ value: t.templateId, label: t.name })),
    [chosen],
  );

/** A/B variants: name, weight (with its share) and a template per channel the campaign uses. */
export function VariantsEditor({
  channel,
  variants,
  onChange,
  errors,
  templates,
  fixedWeights = [],
}: {
  channel: CampaignChannel;
  variants: VariantDraft[];
  onChange: (variants: VariantDraft[]) => void;
  errors: Record<string, string>;
  templates: Template[];
  /** Variants whose weight may not change (a launched trigger's: the evaluation measures the split). */
  fixedWeights?: string[];
}) {
  const total = variants.reduce((sum, v) => sum + (v.weight || 0), 0);
  const change = (key: number, patch: Partial<VariantDraft>) => onChange(variants.map((v) => (v.key === key ? { ...v, ...patch } : v)));
  const unusedName = () => {
    for (const c of 'ABCDEFGHIJ') if (!variants.some((v) => v.name === c)) return c;
    return `V${variants.length + 1}`;
  };
  return (
    <Stack>
      <Text size="sm">
        Each treated recipient gets one variant, drawn by weight. One variant is a plain campaign; two or more are an A/B test.
      </Text>
      {variants.map((v, i) => {
        const at = `variants.${i}`;
        return (
          <Card withBorder key={v.key} component="section" aria-label={`Variant ${v.name || i + 1}`}>
            <Group justify="space-between" mb="xs">
              <Text fw={600}>
                Variant {v.name || i + 1}{' '}
                <Text span size="sm" c="dimmed">
                  ({percent(v.weight || 0, total)}% of the treated recipients)
                </Text>
              </Text>
              {variants.length > 1 && (
                <ActionIcon
                  variant="subtle"
                  color="red"
                  aria-label={`Remove variant ${v.name || i + 1}`}
                  onClick={() => onChange(variants.filter((x) => x.key !== v.key))}
                >
                  ×
                </ActionIcon>
              )}
            </Group>
            <SimpleGrid cols={{ base: 1, sm: 2 }}>
              <TextInput
                label="Variant name"
                description="Letters, digits, _ or -"
                value={v.name}
                onChange={(e) => change(v.key, { name: e.currentTarget.value })}
                error={errorAt(errors, `${at}.name`)}
              />
              <NumberInput
                label="Weight"
                min={1}
                max={1000}
                allowDecimal={false}
                value={v.weight}
                onChange={(w) => change(v.key, { weight: typeof w === 'number' ? w : Number(w) || 0 })}
                error={errorAt(errors, `${at}.weight`)}
                disabled={fixedWeights.includes(v.name)}
                description={fixedWeights.includes(v.name) ? 'Fixed once launched' : undefined}
              />
              {usesEmail(channel) && (
                <NativeSelect
                  label="Email template"
                  data={[{ value: '', label: 'Pick an email template' }, ...templateOptions(templates, 'email', v.email)]}
                  value={v.email}
                  onChange={(e) => change(v.key, { email: e.currentTarget.value })}
                  error={errorAt(errors, `${at}.email`)}
                />
              )}
              {usesSms(channel) && (
                <NativeSelect
                  label="SMS template"
                  data={[{ value: '', label: 'Pick an SMS template' }, ...templateOptions(templates, 'sms', v.sms)]}
                  value={v.sms}
                  onChange={(e) => change(v.key, { sms: e.currentTarget.value })}
                  error={errorAt(errors, `${at}.sms`)}
                />
              )}
            </SimpleGrid>
          </Card>
        );
      })}
      <Group>
        <Button variant="default" disabled={variants.length >= 10} onClick={() => onChange([...variants, newVariant(unusedName())])}>
          Add a variant
        </Button>
        {variants.length >= 10 && <Text size="sm">At most 10 variants.</Text>}
      </Group>
    </Stack>
  );
}

export function VariantsStep({ draft, set, errors, refs }: StepProps) {
  return (
    <VariantsEditor
      channel={draft.channel}
      variants={draft.variants}
      onChange={(variants) => set({ variants })}
      errors={errors}
      templates={refs.templates}
    />
  );
}

export function DeliveryStep({ draft, set, errors, refs, notes }: StepProps & { notes?: ReactNode }) {
  const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  return (
    <Stack>
      {notes}
      <Radio.Group label="When" value={draft.schedule} onChange={(v) => set({ schedule: v as Draft['schedule'] })} error={errors.schedule}>
        <Stack gap="xs" mt="xs">
          <Radio value="now" label="At launch" />
          <Radio value="at" label="At a time" />
        </Stack>
      </Radio.Group>
      {draft.schedule === 'at' && (
        <Stack gap="xs" ml="xl">
          <TextInput
            type="datetime-local"
            label={draft.localTime ? "Send at (each recipient's local time)" : `Send at (your time, ${zone})`}
            value={draft.scheduleAt}
            onChange={(e) => set({ scheduleAt: e.currentTarget.value })}
            error={errorAt(errors, 'schedule.at')}
            maw={280}
          />
          <Checkbox
            label="In each recipient's time zone"
            description="Everyone gets it at this time of their own day: sending starts when the first zone (UTC+14) reaches it and ends a day later. A contact without a time zone counts as UTC."
            checked={draft.localTime}
            onChange={(e) => set({ localTime: e.currentTarget.checked })}
          />
        </Stack>
      )}
      <Radio.Group
        label="Quiet hours"
        description="No message is sent in these hours of the recipient's day; one due then waits until they end."
        value={draft.quietHours}
        onChange={(v) => set({ quietHours: v as Draft['quietHours'] })}
        error={errors.quietHours}
      >
        <Stack gap="xs" mt="xs">
          <Radio value="default" label={`The workspace's quiet hours (${quietText(refs.settings.quietHours)})`} />
          <Radio value="none" label="None for this campaign" />
          <Radio value="window" label="Hours of its own" />
        </Stack>
      </Radio.Group>
      {draft.quietHours === 'window' && (
        <Group ml="xl">
          <TextInput
            type="time"
            label="Quiet from"
            value={draft.quietStart}
            onChange={(e) => set({ quietStart: e.currentTarget.value })}
            error={errorAt(errors, 'quietHours.start')}
          />
          <TextInput
            type="time"
            label="Until"
            value={draft.quietEnd}
            onChange={(e) => set({ quietEnd: e.currentTarget.value })}
            error={errorAt(errors, 'quietHours.end')}
          />
        </Group>
      )}
      <NumberInput
        label="Most messages per second"
        description="Optional: a pace of its own, below the account's (empty: the account's pace)."
        min={1}
        max={10_000}
        allowDecimal={false}
        value={draft.rate}
        onChange={(v) => set({ rate: v === '' ? '' : Number(v) })}
        error={errorAt(errors, 'ratePerSecond')}
        maw={280}
      />
    </Stack>
  );
}

export function GoalStep({ draft, set, errors }: StepProps) {
  return (
    <Stack>
      <Radio.Group
        label="Goal"
        description="What the report counts as a conversion after the message."
        value={draft.goal}
        onChange={(v) => set({ goal: v as Draft['goal'] })}
        error={errors.goal}
      >
        <Stack gap="xs" mt="xs">
          <Radio value="purchase" label="A purchase" />
          <Radio value="custom" label="A custom event" />
        </Stack>
      </Radio.Group>
      {draft.goal === 'custom' && (
        <TextInput
          label="Event type"
          description="The type of the events that count, such as signup or trial_started."
          value={draft.goalName}
          onChange={(e) => set({ goalName: e.currentTarget.value })}
          error={errorAt(errors, 'goal.name')}
          maw={320}
          ml="xl"
        />
      )}
      <NumberInput
        label="Attribution window (days)"
        description="A conversion counts for the campaign when it happens within this many days of the message."
        min={1}
        max={90}
        allowDecimal={false}
        value={draft.attributionDays}
        onChange={(v) => set({ attributionDays: typeof v === 'number' ? v : Number(v) || 0 })}
        error={errorAt(errors, 'attributionDays')}
        maw={280}
      />
    </Stack>
  );
}
