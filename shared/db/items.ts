/**
 * Schemas of the storage-only items (identity claims, memberships, keys), so that what the
 * repositories read back is parsed, never cast. Domain entities use their own schemas.
 */
import * as z from 'zod';
import { IdentityKind } from '../domain/contact.ts';

export const ItemKey = z.object({ pk: z.string(), sk: z.string() });
export type ItemKey = z.infer<typeof ItemKey>;

export const IdentityItem = z.object({ kind: IdentityKind, value: z.string(), contactId: z.string() });
export const MembershipItem = z.object({ listId: z.string(), contactId: z.string() });
export const OpenImportItem = z.object({ tenantId: z.string(), jobId: z.string() });
export const TenantItem = z.object({ tenantId: z.string() });
