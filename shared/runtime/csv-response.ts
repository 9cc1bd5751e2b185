/** Content negotiation for the reports: JSON by default, CSV for `Accept: text/csv` or `?format=csv`. */
import { RawResponse } from './http-handler.ts';

export function csvOr<T>(
  value: T,
  toCsv: (value: T) => string,
  asked: { format?: 'json' | 'csv' | undefined; accept?: string | undefined },
  filename: string,
): T | RawResponse {
  const csv = asked.format === 'csv' || (asked.format === undefined && /\btext\/csv\b/i.test(asked.accept ?? ''));
  if (!csv) return value;
  return new RawResponse(
    200,
    { 'content-type': 'text/csv; charset=utf-8', 'content-disposition': `attachment; filename="${filename}"` },
    toCsv(value),
  );
}
