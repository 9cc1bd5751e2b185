/**
 * A segment: the rule builder with the rule's JSON beside it (each edits the other, both checked
 * with the API's own SegmentRule schema), the live size of the rule (POST /segments/preview,
 * 400 ms after the last change: count, reachable per channel, a sample), save / delete, and for a
 * saved segment its members (paged) and a count of the whole base over queue workers.
 * `/segments/new` opens it empty.
 */
import {
  Alert,
  Anchor,
  Badge,
  Button,
  Grid,
  Group,
  Loader,
  Paper,
  Progress,
  SimpleGrid,
  Stack,
  Table,
  Tabs,
  Text,
  Textarea,
  TextInput,
  Title,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useDebouncedValue } from '@mantine/hooks';
import type { Contact } from '@shared/domain/contact.ts';
import { CreateSegment, type Segment, SegmentRule } from '@shared/domain/segment.ts';
import type { segmentApi } from '@shared/api/contract/segments.ts';
import { keepPreviousData, type UseQueryResult, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { ApiError, type OutputOf } from '../../api/client.ts';
import { invalidate, query } from '../../api/query.ts';
import { ConfirmDialog } from '../../components/confirm.tsx';
import { dateTime, fullName } from '../../components/format.ts';
import { PageHeader } from '../../components/page-header.tsx';
import { Empty, ErrorAlert, RequestState } from '../../components/request-state.tsx';
import { useUnsavedChanges } from '../../components/unsaved-changes.tsx';
import { type Issues, RuleBuilder } from './rule-builder.tsx';
import { type Json, NEW_SEGMENT_RULE } from './rule-model.ts';
import { segments } from './segments-api.ts';

const DEBOUNCE_MS = 400;
const PAGE_SIZE = 50;
const pretty = (v: Json) => JSON.stringify(v, null, 2) ?? '';
const contactLabel = (c: Contact) => fullName(c) || c.email || c.phone || c.externalId || c.contactId;

/** The rule's problems by JSON path (`rule.and.1.op`), from the API's own schema. */
function issuesOf(rule: Json): Issues {
  const checked = SegmentRule.safeParse(rule);
  return checked.success ? [] : checked.error.issues.map((i) => ({ field: ['rule', ...i.path.map(String)].join('.'), message: i.message }));
}

export default function SegmentPage() {
  const { segmentId } = useParams();
  const segment = useQuery({ ...query(segments.getSegment, { path: { segmentId: segmentId ?? '' } }), enabled: !!segmentId });
  if (!segmentId) return <SegmentEditor key="new" />;
  return (
    <RequestState query={segment} label="the segment">
      {(s) => <SegmentEditor key={s.segmentId} saved={s} />}
    </RequestState>
  );
}

/** A save refused because the segment changed since the editor read it. */
class ChangedMeanwhile extends Error {
  constructor(readonly current: Segment) {
    super('changed meanwhile');
  }
}

function SegmentEditor({ saved }: { saved?: Segment }) {
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const [base, setBase] = useState(saved);
  const [name, setName] = useState(saved?.name ?? '');
  const [description, setDescription] = useState(saved?.description ?? '');
  const [rule, setRule] = useState<Json>(saved?.rule ?? NEW_SEGMENT_RULE);
  const [jsonText, setJsonText] = useState(() => pretty(saved?.rule ?? NEW_SEGMENT_RULE));
  const [jsonError, setJsonError] = useState<string>();
  const [formErrors, setFormErrors] = useState<Record<string, string>>({});
  const [saveIssues, setSaveIssues] = useState<Issues>([]);
  const [conflict, setConflict] = useState<Segment>();
  const [deleting, setDeleting] = useState(false);
  const [tab, setTab] = useState<string | null>('rule');
  // One key per new segment: a double click or a retry creates one segment.
  const [idempotencyKey] = useState(() => crypto.randomUUID());

  const ruleText = JSON.stringify(rule) ?? '';
  const issues = useMemo(() => issuesOf(rule), [rule]);
  const dirty = base
    ? name !== base.name || description !== (base.description ?? '') || ruleText !== JSON.stringify(base.rule)
    : name.trim() !== '' || ruleText !== JSON.stringify(NEW_SEGMENT_RULE);
  const { prompt, allowNext } = useUnsavedChanges(dirty);

  // The live size: the rule as it stood 400 ms after the last change, when the schema accepts it.
  const [counted] = useDebouncedValue(ruleText, DEBOUNCE_MS);
  const countedRule = useMemo(() => JSON.parse(counted || 'null') as Json, [counted]);
  const countable = useMemo(() => issuesOf(countedRule).length === 0, [countedRule]);
  const preview = useQuery({
    ...query(segments.previewSegment, { body: { rule: countedRule as never, sampleSize: 10 } }),
    enabled: countable && !jsonError,
    placeholderData: keepPreviousData,
    retry: false,
    staleTime: 15_000,
  });
  // The API's own objections to this rule (an unknown list or segment) show on their node, like the schema's.
  const previewIssues =
    preview.error instanceof ApiError && counted === ruleText
      ? preview.error.issues.map((i) => ({ ...i, field: i.field.replace(/^body\./, '') }))
      : [];
  const allIssues = [...issues, ...(issues.length ? [] : previewIssues), ...saveIssues];

  /** A change from the builder: the JSON view shows it, formatted. */
  function fromBuilder(next: Json) {
    setRule(next);
    setJsonText(pretty(next));
    setJsonError(undefined);
    setSaveIssues([]);
  }
  /** A change typed in the JSON view: the builder follows whenever it parses. */
  function fromJson(text: string) {
    setJsonText(text);
    setSaveIssues([]);
    try {
      setRule(JSON.parse(text) as Json);
      setJsonError(undefined);
    } catch (error) {
      setJsonError(`Not valid JSON: ${(error as Error).message}`);
    }
  }

  const save = useMutation({
    mutationFn: async ({ force }: { force: boolean }): Promise<Segment> => {
      const desc = description.trim();
      if (!base)
        return segments.createSegment({
          body: { name, ...(desc ? { description: desc } : {}), rule: rule as never },
          headers: { 'idempotency-key': idempotencyKey },
        });
      if (!force) {
        // The API re-reads the segment itself; this check keeps a change someone else saved since this page opened.
        const current = await segments.getSegment({ path: { segmentId: base.segmentId } });
        if (current.updatedAt !== base.updatedAt) throw new ChangedMeanwhile(current);
      }
      const patch: Record<string, unknown> = {};
      if (name !== base.name) patch.name = name;
      if (description !== (base.description ?? '')) patch.description = desc;
      if (ruleText !== JSON.stringify(base.rule)) patch.rule = rule;
      return segments.updateSegment({ path: { segmentId: base.segmentId }, body: patch });
    },
    onSuccess: async (segment) => {
      setConflict(undefined);
      await invalidate(queryClient, segments.listSegments, segments.listSegmentMembers);
      queryClient.setQueryData(query(segments.getSegment, { path: { segmentId: segment.segmentId } }).queryKey, segment);
      notifications.show({ color: 'green', message: `Segment “${segment.name}” saved.` });
      if (!base) {
        allowNext();
        navigate(`/segments/${segment.segmentId}`, { replace: true });
      } else {
        setBase(segment);
        setName(segment.name);
        setDescription(segment.description ?? '');
      }
    },
    onError: (error) => {
      if (error instanceof ChangedMeanwhile) return setConflict(error.current);
      if (error instanceof ApiError) {
        setFormErrors(error.fieldErrors());
        setSaveIssues(error.issues.filter((i) => i.field.startsWith('body.rule')).map((i) => ({ ...i, field: i.field.slice(5) })));
      }
    },
  });

  function submit(force = false) {
    const desc = description.trim();
    const checked = CreateSegment.safeParse({ name, ...(desc ? { description: desc } : {}), rule });
    const errors = checked.success ? {} : Object.fromEntries(checked.error.issues.map((i) => [i.path.map(String).join('.'), i.message]));
    setFormErrors(errors);
    if (jsonError || !checked.success) return;
    save.mutate({ force });
  }

  function loadTheirs(current: Segment) {
    setBase(current);
    setName(current.name);
    setDescription(current.description ?? '');
    fromBuilder(current.rule);
    setConflict(undefined);
  }

  const remove = useMutation({
    mutationFn: () => segments.deleteSegment({ path: { segmentId: base?.segmentId ?? '' } }),
    onSuccess: async () => {
      await invalidate(queryClient, segments.listSegments);
      notifications.show({ color: 'green', message: 'Segment deleted.' });
      allowNext();
      navigate('/segments');
    },
  });

  const saveError =
    save.isError &&
    !(save.error instanceof ChangedMeanwhile) &&
    !(save.error instanceof ApiError && save.error.status === 400 && save.error.issues.length > 0);
  const ruleInvalid = issues.length > 0 || !!jsonError;

  const editor = (
    <Stack gap="md">
      {conflict && (
        <Alert color="orange" title="Changed since you opened it" role="alert">
          <Text size="sm">
            This segment was saved by someone else at {dateTime(conflict.updatedAt)}. Load their version (your changes are lost), or save
            yours over it.
          </Text>
          <Group mt="xs" gap="xs">
            <Button size="xs" variant="default" onClick={() => loadTheirs(conflict)}>
              Load their version
            </Button>
            <Button size="xs" color="orange" onClick={() => submit(true)} loading={save.isPending}>
              Save mine anyway
            </Button>
          </Group>
        </Alert>
      )}
      {saveError && <ErrorAlert error={save.error} title="Could not save the segment" />}
      {save.isError && save.error instanceof ApiError && save.error.status === 400 && saveIssues.length > 0 && (
        <ErrorAlert error={save.error} title="The API refused the rule" />
      )}
      <SimpleGrid cols={{ base: 1, sm: 2 }}>
        <TextInput label="Name" value={name} onChange={(e) => setName(e.currentTarget.value)} error={formErrors.name} required />
        <TextInput
          label="Description"
          value={description}
          onChange={(e) => setDescription(e.currentTarget.value)}
          error={formErrors.description}
        />
      </SimpleGrid>
      <Grid gap="md">
        <Grid.Col span={{ base: 12, lg: 7 }}>
          <section aria-labelledby="rule-heading">
            <Title order={2} size="h4" id="rule-heading" mb="xs">
              Rule
            </Title>
            {jsonError && (
              <Alert color="orange" variant="light" mb="xs" p="xs">
                <Text size="sm">The JSON has a syntax error: the builder shows the last rule that parsed.</Text>
              </Alert>
            )}
            <RuleBuilder rule={rule} onChange={fromBuilder} issues={allIssues} selfId={base?.segmentId} />
          </section>
        </Grid.Col>
        <Grid.Col span={{ base: 12, lg: 5 }}>
          <Stack gap="md">
            <SizePanel preview={preview} countable={countable && !jsonError} settled={counted === ruleText} invalid={ruleInvalid} />
            <JsonView text={jsonText} onChange={fromJson} syntaxError={jsonError} issues={jsonError ? [] : allIssues} />
          </Stack>
        </Grid.Col>
      </Grid>
    </Stack>
  );

  return (
    <>
      {prompt}
      <PageHeader
        title={base ? base.name : 'New segment'}
        actions={
          <>
            {base && (
              <Button color="red" variant="outline" onClick={() => setDeleting(true)}>
                Delete
              </Button>
            )}
            <Button onClick={() => submit()} loading={save.isPending} disabled={!!base && !dirty}>
              {base ? 'Save changes' : 'Save segment'}
            </Button>
          </>
        }
      >
        <Text size="sm" c="dimmed">
          {base ? `Updated ${dateTime(base.updatedAt)}` : 'Build a rule; the size updates as you edit.'}
          {dirty && base ? ' · unsaved changes' : ''}
        </Text>
      </PageHeader>
      {base && (
        <ConfirmDialog
          opened={deleting}
          title="Delete this segment?"
          action="Delete"
          pending={remove.isPending}
          error={remove.error}
          onConfirm={() => remove.mutate()}
          onClose={() => {
            setDeleting(false);
            remove.reset();
          }}
        >
          “{base.name}” will be deleted. Campaigns and segments that refer to it must be changed first: the API refuses otherwise.
        </ConfirmDialog>
      )}
      {base ? (
        <Tabs value={tab} onChange={setTab}>
          <Tabs.List mb="md">
            <Tabs.Tab value="rule">Rule</Tabs.Tab>
            <Tabs.Tab value="members">Members</Tabs.Tab>
          </Tabs.List>
          <Tabs.Panel value="rule">{editor}</Tabs.Panel>
          <Tabs.Panel value="members">
            <Stack gap="xl">
              <FullCount segmentId={base.segmentId} dirty={dirty} />
              <Members segmentId={base.segmentId} />
            </Stack>
          </Tabs.Panel>
        </Tabs>
      ) : (
        editor
      )}
    </>
  );
}

function SizePanel({
  preview,
  countable,
  settled,
  invalid,
}: {
  preview: UseQueryResult<OutputOf<typeof segmentApi.previewSegment>>;
  countable: boolean;
  settled: boolean;
  invalid: boolean;
}) {
  const data = preview.data;
  const updating = !settled || preview.isFetching;
  return (
    <Paper withBorder p="md" component="section" aria-labelledby="size-heading">
      <Group justify="space-between" mb="xs">
        <Title order={2} size="h4" id="size-heading">
          Size
        </Title>
        {updating && countable && !invalid && (
          <Group gap={6}>
            <Loader size="xs" aria-hidden />
            <Text size="xs" c="dimmed">
              Counting…
            </Text>
          </Group>
        )}
      </Group>
      <div aria-live="polite" aria-atomic="true">
        {invalid ? (
          <Text size="sm" c="dimmed">
            Fix the rule to see how many contacts match.
          </Text>
        ) : preview.isError && settled ? (
          <ErrorAlert error={preview.error} title="Could not count the rule" onRetry={() => void preview.refetch()} />
        ) : data ? (
          <Stack gap={4} aria-busy={updating}>
            <Text size="xl" fw={700} data-testid="segment-count">
              {data.count.toLocaleString()} {data.count === 1 ? 'contact' : 'contacts'}
            </Text>
            <Group gap="xs">
              <Badge variant="light" color="blue" size="lg" tt="none">
                email: {data.reachable.email.toLocaleString()} reachable
              </Badge>
              <Badge variant="light" color="grape" size="lg" tt="none">
                SMS: {data.reachable.sms.toLocaleString()} reachable
              </Badge>
            </Group>
            <Text size="xs" c="dimmed">
              {data.scanned.toLocaleString()} contacts scanned
            </Text>
            {!data.complete && (
              <Alert color="orange" variant="light" p="xs">
                <Text size="sm">
                  The preview ran out of time: these figures cover the first {data.scanned.toLocaleString()} contacts only. Save the segment
                  and count the whole base on its Members tab.
                </Text>
              </Alert>
            )}
          </Stack>
        ) : (
          <Text size="sm" c="dimmed">
            Counting…
          </Text>
        )}
      </div>
      {data && !invalid && (
        <>
          <Title order={3} size="h6" mt="md" mb={4} id="sample-heading">
            Sample of members
          </Title>
          {data.sample.length === 0 ? (
            <Text size="sm" c="dimmed">
              No contact matches.
            </Text>
          ) : (
            <Stack component="ul" gap={2} p={0} m={0} style={{ listStyle: 'none' }} aria-labelledby="sample-heading">
              {data.sample.map((c) => (
                <li key={c.contactId}>
                  <Anchor component={Link} to={`/contacts/${c.contactId}`} size="sm">
                    {contactLabel(c)}
                  </Anchor>
                  {c.email && c.email !== contactLabel(c) && (
                    <Text span size="sm" c="dimmed">
                      {' '}
                      {c.email}
                    </Text>
                  )}
                </li>
              ))}
            </Stack>
          )}
        </>
      )}
    </Paper>
  );
}

function JsonView({
  text,
  onChange,
  syntaxError,
  issues,
}: {
  text: string;
  onChange: (text: string) => void;
  syntaxError?: string;
  issues: Issues;
}) {
  return (
    <section aria-labelledby="json-heading">
      <Title order={2} size="h4" id="json-heading" mb="xs">
        JSON
      </Title>
      <Textarea
        label="Rule as JSON"
        description="Edit here or in the builder; each follows the other."
        value={text}
        onChange={(e) => onChange(e.currentTarget.value)}
        autosize
        minRows={8}
        maxRows={28}
        spellCheck={false}
        error={syntaxError}
        styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)', fontSize: 13 } }}
      />
      {issues.length > 0 && (
        <Stack gap={2} mt="xs" role="alert" aria-label="Problems in the rule">
          <Text size="sm" fw={600} c="red.8">
            {issues.length === 1 ? '1 problem' : `${issues.length} problems`}
          </Text>
          {issues.map((i) => (
            <Text key={i.field + i.message} size="sm" c="red.8" style={{ overflowWrap: 'anywhere' }}>
              <code>{i.field}</code>: {i.message}
            </Text>
          ))}
        </Stack>
      )}
    </section>
  );
}

function FullCount({ segmentId, dirty }: { segmentId: string; dirty: boolean }) {
  const queryClient = useQueryClient();
  const [countId, setCountId] = useState<string>();
  const start = useMutation({
    mutationFn: () => segments.startSegmentCount({ path: { segmentId } }),
    onSuccess: (status) => {
      queryClient.setQueryData(query(segments.getSegmentCount, { path: { segmentId, countId: status.countId } }).queryKey, status);
      setCountId(status.countId);
    },
  });
  const status = useQuery({
    ...query(segments.getSegmentCount, { path: { segmentId, countId: countId ?? '' } }),
    enabled: !!countId,
    refetchInterval: (q) => (q.state.data?.status === 'done' ? false : 1000),
  });
  const s = status.data;
  return (
    <Paper withBorder p="md" component="section" aria-labelledby="count-heading">
      <Group justify="space-between" mb="xs">
        <Title order={2} size="h4" id="count-heading">
          Count the whole base
        </Title>
        <Button size="xs" onClick={() => start.mutate()} loading={start.isPending} disabled={s?.status === 'running'}>
          {s ? 'Count again' : 'Start a count'}
        </Button>
      </Group>
      <Text size="sm" c="dimmed" mb="xs">
        Counts the saved rule over every contact, in the background (for bases too big for the live preview).
        {dirty ? ' Your unsaved changes are not counted.' : ''}
      </Text>
      {start.isError && <ErrorAlert error={start.error} title="Could not start the count" />}
      {status.isError && <ErrorAlert error={status.error} title="Could not read the count" onRetry={() => void status.refetch()} />}
      {s && (
        <Stack gap="xs" aria-live="polite">
          <Progress value={s.parts ? (100 * s.partsDone) / s.parts : 0} aria-label="Count progress" animated={s.status === 'running'} />
          <Text size="sm">
            {s.status === 'done' ? 'Done' : `Running: ${s.partsDone} of ${s.parts} parts done`} · {s.count.toLocaleString()} contacts match
            (email: {s.reachable.email.toLocaleString()} reachable, SMS: {s.reachable.sms.toLocaleString()}) of {s.scanned.toLocaleString()}{' '}
            scanned, as of {dateTime(s.at)}
          </Text>
        </Stack>
      )}
    </Paper>
  );
}

function Members({ segmentId }: { segmentId: string }) {
  const [cursors, setCursors] = useState<string[]>([]);
  const cursor = cursors[cursors.length - 1];
  const page = useQuery({
    ...query(segments.listSegmentMembers, { path: { segmentId }, query: { limit: PAGE_SIZE, ...(cursor ? { cursor } : {}) } }),
    placeholderData: keepPreviousData,
  });
  return (
    <section aria-labelledby="members-heading">
      <Title order={2} size="h4" id="members-heading" mb="xs">
        Members
      </Title>
      <Text size="sm" c="dimmed" mb="xs">
        In contact id order, by the saved rule. A page reads a slice of the base, so it may hold fewer than {PAGE_SIZE} members and still
        have a next page.
      </Text>
      <RequestState
        query={page}
        label="members"
        isEmpty={(d) => d.items.length === 0 && !d.cursor && !cursor}
        empty={<Empty title="No members" description="No contact matches the saved rule." />}
      >
        {(d) => (
          <>
            {d.items.length === 0 ? (
              <Text size="sm">No members in this slice of the base; the next page reads on.</Text>
            ) : (
              <Table.ScrollContainer minWidth={560}>
                <Table aria-labelledby="members-heading" striped>
                  <Table.Thead>
                    <Table.Tr>
                      <Table.Th scope="col">Name</Table.Th>
                      <Table.Th scope="col">Email</Table.Th>
                      <Table.Th scope="col">Phone</Table.Th>
                      <Table.Th scope="col">Created</Table.Th>
                    </Table.Tr>
                  </Table.Thead>
                  <Table.Tbody>
                    {d.items.map((c) => (
                      <Table.Tr key={c.contactId}>
                        <Table.Td>
                          <Anchor component={Link} to={`/contacts/${c.contactId}`}>
                            {contactLabel(c)}
                          </Anchor>
                        </Table.Td>
                        <Table.Td>{c.email ?? '—'}</Table.Td>
                        <Table.Td>{c.phone ?? '—'}</Table.Td>
                        <Table.Td>{dateTime(c.createdAt)}</Table.Td>
                      </Table.Tr>
                    ))}
                  </Table.Tbody>
                </Table>
              </Table.ScrollContainer>
            )}
            <Group justify="flex-end" mt="sm">
              <Button variant="default" disabled={cursors.length === 0} onClick={() => setCursors((c) => c.slice(0, -1))}>
                Previous page
              </Button>
              <Button variant="default" disabled={!d.cursor} onClick={() => d.cursor && setCursors((c) => [...c, d.cursor as string])}>
                Next page
              </Button>
            </Group>
          </>
        )}
      </RequestState>
    </section>
  );
}
