/**
 * The sending settings, read once for the settings pages, and saved a part at a time.
 * `PUT /settings/sending` replaces the whole object (what is left out is cleared), so a save reads
 * the settings afresh, changes only its own part and puts the whole back: a part changed on
 * another page (or by another person) a minute ago is not undone. The API has no version to make
 * that airtight; the window is the one round trip.
 */
import type { SendingSettings } from '@shared/domain/sending.ts';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { query } from '../../api/query.ts';
import { settings } from './settings-api.ts';

const sendingQuery = () => query(settings.getSendingSettings, {});

export const useSendingSettings = () => useQuery(sendingQuery());

/** A save of one part: `change` gets the settings as stored now and returns the whole new object. */
export function useSaveSending() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (change: (current: SendingSettings) => SendingSettings) => {
      const current = await settings.getSendingSettings({});
      return settings.updateSendingSettings({ body: change(current) });
    },
    onSuccess: (saved) => queryClient.setQueryData(sendingQuery().queryKey, saved),
  });
}

/** `value` trimmed, or undefined when blank (an optional field left empty is left out). */
export const given = (value: string) => (value.trim() === '' ? undefined : value.trim());

/** An object without its undefined values (strict schemas refuse none, but the body stays tidy). */
export const compact = <T extends Record<string, unknown>>(o: T): T =>
  Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
