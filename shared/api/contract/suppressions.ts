/** The workspace suppression list. */
import * as z from 'zod';
import { Channel } from '../../domain/contact.ts';
import { AddSuppression, Suppression } from '../../domain/suppression.ts';
import { Cursor, Limit, type Operation, PageOf } from './common.ts';

export const suppressionApi = {
  listSuppressions: {
    summary: "A page of a channel's suppressed addresses, in address order",
    query: z.object({ channel: Channel, limit: Limit, cursor: Cursor }),
    response: PageOf(Suppression),
  },
  addSuppression: {
    summary: 'Suppress an address on a channel (200 if it was already)',
    body: AddSuppression,
    response: Suppression,
    status: 201,
  },
  removeSuppression: {
    summary: 'Take an address off the suppression list',
    path: z.object({ channel: Channel, address: z.string().min(1).max(254) }),
    status: 204,
  },
} as const satisfies Record<string, Operation>;
