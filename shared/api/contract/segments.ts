/** Saved dynamic segments, previews, members and counts. */
import * as z from 'zod';
import { Contact } from '../../domain/contact.ts';
import { CreateSegment, Segment, SegmentCountStatus, SegmentRule, SegmentSize, UpdateSegment } from '../../domain/segment.ts';
import { Cursor, Id, IdempotencyHeaders, Limit, type Operation, PageOf } from './common.ts';
import { ContactPage } from './contacts.ts';

export const SegmentPage = PageOf(Segment);
export const SegmentPreview = SegmentSize.extend({ sample: z.array(Contact) });
const SegmentPath = z.object({ segmentId: Id });

export const segmentApi = {
  createSegment: {
    summary: 'Save a dynamic segment (idempotent with an Idempotency-Key header)',
    headers: IdempotencyHeaders,
    body: CreateSegment,
    response: Segment,
    status: 201,
  },
  listSegments: { summary: 'List saved segments', query: z.object({ limit: Limit, cursor: Cursor }), response: SegmentPage },
  getSegment: { summary: 'Get a segment', path: SegmentPath, response: Segment },
  updateSegment: {
    conflict: 'The segment was changed or deleted meanwhile (retry)',
    summary: 'Rename a segment or change its rule',
    path: SegmentPath,
    body: UpdateSegment,
    response: Segment,
  },
  deleteSegment: {
    conflict: 'Another segment refers to it (change that one first)',
    summary: 'Delete a segment no other segment refers to',
    path: SegmentPath,
    status: 204,
  },
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
} as const satisfies Record<string, Operation>;
