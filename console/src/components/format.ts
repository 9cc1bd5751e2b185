/** Display formats, in the browser's locale. */
export const dateTime = (iso: string | undefined) => (iso ? new Date(iso).toLocaleString() : '—');
/** Epoch seconds (the value model's timestamps). */
export const dateOfSeconds = (seconds: number | undefined) => (seconds === undefined ? '—' : new Date(seconds * 1000).toLocaleDateString());
export const money = (n: number) => n.toLocaleString(undefined, { minimumFractionDigits: 2, maximumFractionDigits: 2 });
export const fullName = (c: { firstName?: string; lastName?: string }) => [c.firstName, c.lastName].filter(Boolean).join(' ');
