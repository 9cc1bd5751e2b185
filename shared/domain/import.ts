/**
 * Bulk import of contacts from CSV: column mapping and row validation. Pure; the streaming
 * parse and the writes live in shared/services/import-service.ts.
 */
import * as z from 'zod';
import { CONTACT_FIELD_NAMES, ContactUpsert, NAME_PATTERN, isName, isStorableNumber } from './contact.ts';
import type { FieldIssue } from './errors.ts';

/**
 * Where a CSV column goes: a contact field, a consent channel (`consent.email`), a typed
 * attribute (`attributes.spend:number`), or nowhere (`ignore`).
 */
export const ColumnTarget = z
  .string()
  .regex(
    new RegExp(`^(${CONTACT_FIELD_NAMES.join('|')}|consent\\.(email|sms)|ignore|attributes\\.${NAME_PATTERN}(:(string|number|boolean))?)$`),
    'must be a contact field, consent.email, consent.sms, attributes.<name>[:string|number|boolean] or ignore',
  );

export const ColumnMapping = z.record(z.string().min(1), ColumnTarget);
export type ColumnMapping = z.infer<typeof ColumnMapping>;

export const ImportStatus = z.enum(['receiving', 'completed', 'abandoned']);

export const ImportJob = z.object({
  jobId: z.string(),
  status: ImportStatus,
  source: z.string().max(200).optional(),
  mapping: ColumnMapping,
  consentSource: z.string().max(100),
  rowsReceived: z.number().int(),
  imported: z.number().int(),
  updated: z.number().int(),
  unchanged: z.number().int(),
  failed: z.number().int(),
  /** Size of the file, when the client said; with bytesReceived it gives `progress`. */
  totalBytes: z.number().int().nonnegative().optional(),
  bytesReceived: z.number().int().nonnegative().optional(),
  /** 0–1, from bytes; 1 once completed. Absent while the size is unknown. */
  progress: z.number().min(0).max(1).optional(),
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
  completedAt: z.iso.datetime().optional(),
});
export type ImportJob = z.infer<typeof ImportJob>;

/** The job as shown to callers: progress derived from the bytes received so far. */
export function withProgress(job: ImportJob): ImportJob {
  if (job.status === 'completed') return { ...job, progress: 1 };
  if (!job.totalBytes) return job;
  return { ...job, progress: Math.min(1, (job.bytesReceived ?? 0) / job.totalBytes) };
}

export const RowError = z.object({ row: z.number().int(), field: z.string(), reason: z.string() });
export type RowError = z.infer<typeof RowError>;

export const CreateImport = z.object({
  source: z.string().max(200).optional(),
  mapping: ColumnMapping.optional(),
  consentSource: z.string().min(1).max(100).optional(),
  totalBytes: z.number().int().nonnegative().optional(),
});
export type CreateImport = z.infer<typeof CreateImport>;

export const MAX_IMPORT_BATCH_ROWS = 5000;

/** One numbered batch of CSV records. `firstRow` counts the header as row 1, as a spreadsheet does. */
export const ImportBatch = z.object({
  firstRow: z.number().int().min(2),
  records: z.array(z.record(z.string(), z.string())).max(MAX_IMPORT_BATCH_ROWS),
  rejects: z
    .array(z.object({ row: z.number().int().min(1), reason: z.string().max(500) }))
    .max(MAX_IMPORT_BATCH_ROWS)
    .optional(),
  /** How far into the file the client has read after this batch (for progress). */
  bytesRead: z.number().int().nonnegative().optional(),
});
export type ImportBatch = z.infer<typeof ImportBatch>;

/** What one batch did: rows received, and how each ended. */
export const BatchCounts = z.object({
  rowsReceived: z.number().int(),
  imported: z.number().int(),
  updated: z.number().int(),
  unchanged: z.number().int(),
  failed: z.number().int(),
});
export type BatchCounts = z.infer<typeof BatchCounts>;

export const BatchResult = BatchCounts.extend({
  errors: z.array(RowError),
  /** True when this batch had been received before and nothing was done again. */
  duplicate: z.boolean(),
});
export type BatchResult = z.infer<typeof BatchResult>;

const DIRECT_FIELDS = new Set<string>(CONTACT_FIELD_NAMES);

/**
 * A mapping for a header row: explicit entries win; otherwise a column named like a contact
 * field maps to it, and every other column becomes a string attribute when its name allows.
 */
export function resolveMapping(header: string[], explicit: ColumnMapping = {}): ColumnMapping {
  const mapping: ColumnMapping = {};
  for (const column of header) {
    const given = explicit[column];
    if (given !== undefined) mapping[column] = given;
    else if (DIRECT_FIELDS.has(column)) mapping[column] = column;
    else if (column === 'email_consent' || column === 'sms_consent') mapping[column] = `consent.${column.slice(0, -8)}`;
    else if (isName(column)) mapping[column] = `attributes.${column}`;
    else mapping[column] = 'ignore';
  }
  return mapping;
}

const TRUE_WORDS = new Set(['true', 'yes', 'y', '1']);
const FALSE_WORDS = new Set(['false', 'no', 'n', '0']);
const CONSENT_WORDS: Record<string, 'subscribed' | 'unsubscribed' | 'unknown'> = {
  subscribed: 'subscribed',
  yes: 'subscribed',
  true: 'subscribed',
  '1': 'subscribed',
  'opt-in': 'subscribed',
  unsubscribed: 'unsubscribed',
  no: 'unsubscribed',
  false: 'unsubscribed',
  '0': 'unsubscribed',
  'opt-out': 'unsubscribed',
  unknown: 'unknown',
};

export type MappedRow = { ok: true; upsert: ContactUpsert } | { ok: false; errors: FieldIssue[] };

/**
 * Turns one CSV record into a validated upsert. Empty cells are "not given", so a sparse
 * file never blanks fields it does not mention. Errors name the CSV column.
 */
export function mapRow(record: Record<string, string>, mapping: ColumnMapping, consentSource: string): MappedRow {
  const draft: Record<string, unknown> = {};
  const attributes: Record<string, unknown> = {};
  const consent: Record<string, unknown> = {};
  const errors: FieldIssue[] = [];
  const columnOf = new Map<string, string>();

  for (const [column, target] of Object.entries(mapping)) {
    const raw = record[column];
    if (raw === undefined || target === 'ignore') continue;
    const cell = raw.trim();
    if (cell === '') continue;
    if (target.startsWith('attributes.')) {
      const [name = '', type = 'string'] = target.slice('attributes.'.length).split(':');
      columnOf.set(`attributes.${name}`, column);
      if (type === 'number') {
        const n = Number(cell);
        if (isStorableNumber(n)) attributes[name] = n;
        else errors.push({ field: column, message: `"${cell}" is not a number` });
      } else if (type === 'boolean') {
        const word = cell.toLowerCase();
        if (TRUE_WORDS.has(word)) attributes[name] = true;
        else if (FALSE_WORDS.has(word)) attributes[name] = false;
        else errors.push({ field: column, message: `"${cell}" is not true/false` });
      } else attributes[name] = cell;
    } else if (target.startsWith('consent.')) {
      const channel = target.slice('consent.'.length);
      columnOf.set(`consent.${channel}`, column);
      const status = CONSENT_WORDS[cell.toLowerCase()];
      if (status) consent[channel] = { status, source: consentSource };
      else errors.push({ field: column, message: `"${cell}" is not subscribed/unsubscribed/unknown` });
    } else {
      columnOf.set(target, column);
      draft[target] = cell;
    }
  }
  if (Object.keys(attributes).length > 0) draft.attributes = attributes;
  if (Object.keys(consent).length > 0) draft.consent = consent;
  if (errors.length > 0) return { ok: false, errors };

  const parsed = ContactUpsert.safeParse(draft);
  if (parsed.success) return { ok: true, upsert: parsed.data };
  return {
    ok: false,
    errors: parsed.error.issues.map((issue) => {
      const path = issue.path.map(String);
      const key = path[0] === 'attributes' || path[0] === 'consent' ? path.slice(0, 2).join('.') : (path[0] ?? '');
      return { field: columnOf.get(key) ?? (key || 'row'), message: issue.message };
    }),
  };
}
