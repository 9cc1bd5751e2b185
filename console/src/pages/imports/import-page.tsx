/**
 * CSV import: choose a file, map its columns (the defaults are the API's own resolveMapping, the
 * choices its ColumnTarget), then send it: the job is created with an Idempotency-Key, records go
 * in numbered batches of 1,000, in file order, and the progress bar follows the job on the API.
 */
import { Alert, Anchor, Button, Code, FileInput, Group, NativeSelect, Stack, Table, Text, TextInput } from '@mantine/core';
import { CONTACT_FIELD_NAMES, isName } from '@shared/domain/contact.ts';
import { ColumnMapping, resolveMapping } from '@shared/domain/import.ts';
import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Link } from 'react-router';
import { ApiError } from '../../api/client.ts';
import { invalidate } from '../../api/query.ts';
import { PageHeader } from '../../components/page-header.tsx';
import { ErrorAlert } from '../../components/request-state.tsx';
import { contacts } from '../contacts/contacts-api.ts';
import { preview, toBatches } from './csv.ts';
import { ImportJobView } from './import-job.tsx';
import { imports } from './imports-api.ts';

interface Loaded {
  file: File;
  text: string;
  header: string[];
  samples: string[][];
}

/** The targets a column can have (ColumnTarget), as select options. */
function targetsFor(column: string): { value: string; label: string }[] {
  const attribute = isName(column)
    ? column
    : column
        .replace(/[^A-Za-z0-9_]/g, '_')
        .replace(/^(\d)/, '_$1')
        .slice(0, 64);
  return [
    { value: 'ignore', label: 'ignore this column' },
    ...CONTACT_FIELD_NAMES.map((f) => ({ value: f, label: f })),
    { value: 'consent.email', label: 'email consent' },
    { value: 'consent.sms', label: 'SMS consent' },
    { value: `attributes.${attribute}`, label: `attribute ${attribute} (text)` },
    { value: `attributes.${attribute}:number`, label: `attribute ${attribute} (number)` },
    { value: `attributes.${attribute}:boolean`, label: `attribute ${attribute} (true/false)` },
  ];
}

export default function ImportPage() {
  const queryClient = useQueryClient();
  const [loaded, setLoaded] = useState<Loaded>();
  const [readError, setReadError] = useState<string>();
  const [mapping, setMapping] = useState<ColumnMapping>({});
  const [consentSource, setConsentSource] = useState('');
  const [importId, setImportId] = useState<string>();
  const [sending, setSending] = useState(false);
  const [sendError, setSendError] = useState<unknown>();

  async function choose(file: File | null) {
    setLoaded(undefined);
    setImportId(undefined);
    setSendError(undefined);
    setReadError(undefined);
    if (!file) return;
    try {
      const text = await file.text();
      const { header, samples } = preview(text);
      if (header.length === 0) throw new Error('the file is empty');
      setLoaded({ file, text, header, samples });
      setMapping(resolveMapping(header));
    } catch (error) {
      setReadError(`This file cannot be read as CSV: ${(error as Error).message}`);
    }
  }

  async function start() {
    if (!loaded) return;
    const checked = ColumnMapping.safeParse(mapping);
    if (!checked.success) return setSendError(new ApiError(400, checked.error.issues.map((i) => i.message).join('; ')));
    setSending(true);
    setSendError(undefined);
    try {
      const batches = toBatches(loaded.text);
      const job = await imports.createImport({
        body: {
          source: loaded.file.name.slice(0, 200),
          mapping,
          ...(consentSource.trim() ? { consentSource: consentSource.trim() } : {}),
          totalBytes: loaded.file.size,
        },
        headers: { 'idempotency-key': crypto.randomUUID() },
      });
      setImportId(job.jobId);
      for (const batch of batches) await imports.ingestImportBatch({ path: { importId: job.jobId }, body: batch });
      await imports.completeImport({ path: { importId: job.jobId } });
      await invalidate(queryClient, imports.getImport, contacts.listContacts);
    } catch (error) {
      setSendError(error);
    } finally {
      setSending(false);
    }
  }

  return (
    <>
      <PageHeader title="Import contacts">
        <Text size="sm" c="dimmed" maw={720}>
          A CSV file with a header row. Columns named like a contact field map to it, <Code>email_consent</Code> and{' '}
          <Code>sms_consent</Code> to consent, others to text attributes; change any below. Empty cells leave data as it is; importing the
          same file again changes nothing.
        </Text>
      </PageHeader>
      <Stack maw={900}>
        <FileInput
          label="CSV file"
          placeholder="Choose a .csv file"
          accept=".csv,text/csv"
          onChange={(f) => void choose(f)}
          disabled={sending}
          clearable
          clearButtonProps={{ 'aria-label': 'Remove the chosen file' }}
          error={readError}
        />
        {loaded && !importId && (
          <>
            <Table.ScrollContainer minWidth={560}>
              <Table aria-label="Column mapping">
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th scope="col">Column</Table.Th>
                    <Table.Th scope="col">First values</Table.Th>
                    <Table.Th scope="col">Imported as</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {loaded.header.map((column, i) => (
                    <Table.Tr key={column}>
                      <Table.Th scope="row">{column}</Table.Th>
                      <Table.Td>
                        <Text size="sm" truncate maw={260}>
                          {loaded.samples.map((row) => row[i] ?? '').join(', ')}
                        </Text>
                      </Table.Td>
                      <Table.Td>
                        <NativeSelect
                          aria-label={`Import column ${column} as`}
                          value={mapping[column] ?? 'ignore'}
                          onChange={(e) => {
                            const value = e.currentTarget.value;
                            setMapping((m) => ({ ...m, [column]: value }));
                          }}
                          data={targetsFor(column)}
                        />
                      </Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </Table.ScrollContainer>
            <TextInput
              label="Consent source"
              description="Recorded with each consent the file gives (the form or campaign it came from); import:<job id> when left empty."
              value={consentSource}
              maxLength={100}
              onChange={(e) => setConsentSource(e.currentTarget.value)}
            />
            {!Object.values(mapping).some((t) => t === 'email' || t === 'phone' || t === 'externalId') && (
              <Alert color="yellow" role="status">
                No column is imported as email, phone or externalId: every row needs one of them, so every row would fail.
              </Alert>
            )}
            <Group>
              <Button onClick={() => void start()} loading={sending}>
                Import {loaded.file.name}
              </Button>
            </Group>
          </>
        )}
        {sendError ? <ErrorAlert error={sendError} title="The import stopped" /> : null}
        {importId && (
          <>
            <ImportJobView importId={importId} sending={sending} />
            {!sending && (
              <Text size="sm">
                This import has its own page:{' '}
                <Anchor component={Link} to={`/imports/${importId}`}>
                  {importId}
                </Anchor>
                .{' '}
                <Anchor component={Link} to="/contacts">
                  See the contacts
                </Anchor>
                .
              </Text>
            )}
          </>
        )}
      </Stack>
    </>
  );
}
