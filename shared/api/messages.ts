/** Queue message schemas: validated by the consumer like any request. */
import * as z from 'zod';

export const ListCleanupMessage = z.object({ tenantId: z.string().min(1), listId: z.string().min(1) });
export type ListCleanupMessage = z.infer<typeof ListCleanupMessage>;
