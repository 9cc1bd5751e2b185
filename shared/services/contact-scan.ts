/**
 * Reading the whole contact base without holding it: the contacts index is cut into key ranges
 * read in parallel, a page at a time, each item handed to `visit` and dropped.
 */
import type { ContactItem } from '../domain/segment-eval.ts';
import type { Deps } from '../runtime/ports.ts';

/** Ranges read at once; each is one Query stream. */
export const SCAN_PARTS = 16;
export const SCAN_PAGE = 1000;

/**
 * Visits every contact item of a workspace. With `deadline` (epoch ms) it stops early and
 * reports `complete: false`.
 */
export async function forEachContact(
  deps: Pick<Deps, 'contacts'>,
  tenantId: string,
  options: { deadline?: number; parts?: number },
  visit: (item: ContactItem) => void,
): Promise<{ scanned: number; complete: boolean }> {
  const parts = options.parts ?? SCAN_PARTS;
  let scanned = 0;
  let complete = true;
  await Promise.all(
    Array.from({ length: parts }, async (_, part) => {
      let cursor: string | undefined;
      do {
        if (options.deadline !== undefined && Date.now() > options.deadline) {
          complete = false;
          return;
        }
        const page = await deps.contacts.scanRange(tenantId, part, parts, SCAN_PAGE, cursor);
        for (const item of page.items) visit(item);
        scanned += page.items.length;
        cursor = page.cursor;
      } while (cursor);
    }),
  );
  return { scanned, complete };
}
