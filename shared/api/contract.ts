/**
 * The HTTP API contract: for every operation, its zod schemas for path, query, body and
 * response. Handlers validate with these; the OpenAPI document is generated from them.
 */
import * as z from 'zod';
import { Contact, ContactPatch, ContactUpsert } from '../domain/contact.ts';
import { ContactExport } from '../domain/export.ts';
import { BatchResult, CreateImport, ImportBatch, ImportJob, RowError } from '../domain/import.ts';
import { CreateList, MemberChange, MemberChangeResult, TargetList, UpdateList } from '../domain/list.ts';
import { EventBatch, EventBatchResult } from '../domain/event.ts';
import { CreateSegment, Segment, SegmentCountStatus, SegmentRule, SegmentSize, UpdateSegment } from '../domain/segment.ts';
import { Boundaries, ContactValue, ValueSettings } from '../domain/value.ts';

export interface Operation {
  summary: string;
  path?: z.ZodType;
  query?: z.ZodType;
  /** Request headers the operation reads, with lower-case names. */
  headers?: z.ZodType;
  body?: z.ZodType;
  response?: z.ZodType;
  /** Success status; 204 operations have no response body. */
  status?: number;
}

const Id = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9_-]+$/, 'must be an id of letters, digits, _ or -');
const Limit = z.coerce.number().int().min(1).max(500).default(50);
const Cursor = z.string().max(2048).optional();
const PageOf = <T extends z.ZodType>(item: T) => z.object({ items: z.array(item), cursor: z.string().optional() });

export const ContactPage = PageOf(Contact);
export const SegmentPage = PageOf(Segment);
export const ContactWithValue = Contact.extend({ value: ContactValue });
export const SegmentPreview = SegmentSize.extend({ sample: z.array(Contact) });
export const ValueModel = z.object({ settings: ValueSettings, boundaries: Boundaries.optional() });
export const ListPage = PageOf(TargetList);
export const RowErrorPage = PageOf(RowError);

const ContactPath = z.object({ contactId: Id });

/** Creates that carry this header are idempotent: a repeat returns the first result (200). */
const IdempotencyHeaders = z.object({
  'idempotency-key': z
    .string()
    .min(1)
    .max(200)
    .regex(/^[\x21-\x7e]+$/, 'must be 1-200 visible ASCII characters')
    .optional(),
});
const ListPath = z.object({ listId: Id });
const ImportPath = z.object({ importId: Id });
const SegmentPath = z.object({ segmentId: Id });

export const ErrorBody = z.object({
  error: z.object({ message: z.string(), details: z.unknown().optional(), requestId: z.string().optional() }),
});

export const contract = {
  getOpenApi: { summary: 'This API description (OpenAPI 3.1)' },
  upsertContact: {
    summary: 'Create or update a contact by email, phone or externalId',
    body: ContactUpsert,
    response: Contact,
    status: 201,
  },
  listContacts: {
    summary: 'List contacts, or search by email or phone prefix',
    query: z.object({
      limit: Limit,
      cursor: Cursor,
      email: z.string().min(1).max(254).optional(),
      // An unencoded + in a query string arrives as a space; accept it, or no + at all.
      phone: z
        .string()
        .transform((p) => `+${p.trim().replace(/^\+/, '')}`)
        .pipe(z.string().regex(/^\+\d{1,15}$/, 'must be digits, optionally after a +'))
        .optional(),
    }),
    response: ContactPage,
  },
  getContact: {
    summary: 'Get a contact with its value model (aggregates, RFM, tier, lifecycle)',
    path: ContactPath,
    response: ContactWithValue,
  },
  updateContact: { summary: 'Change a contact (fields, attributes, consent)', path: ContactPath, body: ContactPatch, response: Contact },
  eraseContact: { summary: 'Erase a contact and its memberships (GDPR)', path: ContactPath, status: 204 },
  exportContact: { summary: 'Export everything held about a contact', path: ContactPath, response: ContactExport },
  createList: {
    summary: 'Create a static target list (idempotent with an Idempotency-Key header)',
    headers: IdempotencyHeaders,
    body: CreateList,
    response: TargetList,
    status: 201,
  },
  listLists: { summary: 'List target lists', query: z.object({ limit: Limit, cursor: Cursor }), response: ListPage },
  getList: { summary: 'Get a target list', path: ListPath, response: TargetList },
  updateList: { summary: 'Rename a list or change its description', path: ListPath, body: UpdateList, response: TargetList },
  deleteList: { summary: 'Delete a list (memberships are removed in the background)', path: ListPath, status: 204 },
  addListMembers: { summary: 'Add up to 1000 contacts to a list', path: ListPath, body: MemberChange, response: MemberChangeResult },
  removeListMembers: {
    summary: 'Remove up to 1000 contacts from a list',
    path: ListPath,
    body: MemberChange,
    response: MemberChangeResult,
  },
  listListMembers: {
    summary: "A page of a list's members",
    path: ListPath,
    query: z.object({ limit: Limit, cursor: Cursor }),
    response: ContactPage,
  },
  createImport: {
    summary: 'Start a bulk contact import (idempotent with an Idempotency-Key header)',
    headers: IdempotencyHeaders,
    body: CreateImport,
    response: ImportJob,
    status: 201,
  },
  getImport: { summary: 'Import job status and progress', path: ImportPath, response: ImportJob },
  ingestImportBatch: {
    summary: 'Send a numbered batch of CSV records to an import',
    path: ImportPath,
    body: ImportBatch,
    response: BatchResult,
  },
  completeImport: { summary: 'Mark an import complete', path: ImportPath, response: ImportJob },
  listImportErrors: {
    summary: "An import's row errors, in row order",
    path: ImportPath,
    query: z.object({ limit: Limit, cursor: Cursor }),
    response: RowErrorPage,
  },
  ingestEvents: {
    summary: 'Ingest up to 500 purchase, refund or custom events (idempotent by eventId)',
    body: EventBatch,
    response: EventBatchResult,
  },
  createSegment: {
    summary: 'Save a dynamic segment (idempotent with an Idempotency-Key header)',
    headers: IdempotencyHeaders,
    body: CreateSegment,
    response: Segment,
    status: 201,
  },
  listSegments: { summary: 'List saved segments', query: z.object({ limit: Limit, cursor: Cursor }), response: SegmentPage },
  getSegment: { summary: 'Get a segment', path: SegmentPath, response: Segment },
  updateSegment: { summary: 'Rename a segment or change its rule', path: SegmentPath, body: UpdateSegment, response: Segment },
  deleteSegment: { summary: 'Delete a segment no other segment refers to', path: SegmentPath, status: 204 },
  previewSegment: {
    summary: 'Size of a rule without saving it: count, reachable per channel, a sample',
    body: z.object({ rule: SegmentRule, sampleSize: z.number().int().min(0).max(50).default(10) }),
    response: SegmentPreview,
  },
  listSegmentMembers: {
    summary: "A page of a segment's members",
    path: SegmentPath,
    query: z.object({ limit: Limit, cursor: Cursor }),
    response: ContactPage,
  },
  startSegmentCount: {
    summary: 'Count a segment over queue workers (for bases too big to preview)',
    path: SegmentPath,
    response: SegmentCountStatus,
    status: 202,
  },
  getSegmentCount: {
    summary: 'Progress and result of a segment count',
    path: SegmentPath.extend({ countId: Id }),
    response: SegmentCountStatus,
  },
  getValueModel: { summary: 'Value-model thresholds and the current RFM / tier boundaries', response: ValueModel },
  updateValueModel: { summary: 'Change the lifecycle thresholds', body: ValueSettings, response: ValueModel },
  recomputeValueModel: {
    summary: 'Queue a recompute of the RFM quintiles and Pareto tiers now (the schedule does it hourly)',
    response: z.object({ status: z.literal('queued') }),
    status: 202,
  },
} as const satisfies Record<string, Operation>;

export type OperationId = keyof typeof contract;
