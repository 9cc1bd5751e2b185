/** Bulk contact import. */
import * as z from 'zod';
import { BatchResult, CreateImport, ImportBatch, ImportJob, RowError } from '../../domain/import.ts';
import { Cursor, Id, IdempotencyHeaders, Limit, type Operation, PageOf } from './common.ts';

export const RowErrorPage = PageOf(RowError);
const ImportPath = z.object({ importId: Id });

export const importApi = {
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
} as const satisfies Record<string, Operation>;
