/** Static target lists: a named set of contacts that a campaign can target. */
import * as z from 'zod';

export const ListName = z.string().trim().min(1, 'must not be empty').max(200);

export const TargetList = z.object({
  listId: z.string(),
  name: ListName,
  description: z.string().max(1000).optional(),
  /** Kept by atomic counters as members are added and removed. */
  memberCount: z.number().int().nonnegative(),
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
});
export type TargetList = z.infer<typeof TargetList>;

export const CreateList = TargetList.pick({ name: true, description: true });
export type CreateList = z.infer<typeof CreateList>;

export const UpdateList = CreateList.partial().refine((u) => u.name !== undefined || u.description !== undefined, {
  message: 'give a name or a description to change',
  path: ['name'],
});
export type UpdateList = z.infer<typeof UpdateList>;

export const MAX_MEMBERS_PER_CALL = 1000;

export const MemberChange = z.object({
  contactIds: z.array(z.string().min(1).max(64)).min(1).max(MAX_MEMBERS_PER_CALL),
});
export type MemberChange = z.infer<typeof MemberChange>;

export const MemberChangeResult = z.object({
  /** Contacts whose membership changed by this call. */
  changed: z.number().int(),
  /** Already in the state asked for (a retried call lands here). */
  unchanged: z.number().int(),
  /** Ids that name no contact; nothing was written for them. */
  notFound: z.array(z.string()),
});
export type MemberChangeResult = z.infer<typeof MemberChangeResult>;
