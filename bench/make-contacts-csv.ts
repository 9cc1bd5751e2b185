/**
 * Writes a contacts CSV for import benchmarks and demos: one row per Hillstrom customer
 * (../shared/datasets, when present) with a generated email and phone, repeated to `rows`.
 * Without the data set it generates the behavioural columns itself.
 * `tsx bench/make-contacts-csv.ts out.csv 200000`
 */
import { createWriteStream, existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export async function makeContactsCsv(out: string, rows: number): Promise<void> {
  const here = fileURLToPath(new URL('.', import.meta.url));
  const hillstrom = resolve(here, '../../shared/datasets/hillstrom/hillstrom.csv');
  let source: string[] = [];
  if (existsSync(hillstrom)) source = readFileSync(hillstrom, 'utf8').split(/\r?\n/).slice(1).filter(Boolean);
  const stream = createWriteStream(out);
  stream.write('email,phone,firstName,lastName,email_consent,recency,history_segment,history,mens,womens,zip_code,newbie,channel\n');
  for (let i = 0; i < rows; i++) {
    const src =
      source.length > 0
        ? (source[i % source.length] as string)
        : `${(i % 12) + 1},"2) $100 - $200",${(i % 500) + 29.99},1,0,Urban,0,Web,x,0,0,0`;
    // keep the first 9 Hillstrom columns (quoted history_segment included); drop segment/visit/conversion/spend
    const cells = src.match(/("[^"]*"|[^,]*)(,|$)/g)?.map((c) => c.replace(/,$/, '')) ?? [];
    const behaviour = cells.slice(0, 8).join(',');
    const phone = `+1555${String(1_000_000 + i).slice(-7)}`;
    const line = `customer${i}@example.com,${phone},Customer,${i},${i % 10 === 0 ? 'unsubscribed' : 'subscribed'},${behaviour}\n`;
    if (!stream.write(line)) await new Promise<void>((r) => stream.once('drain', () => r()));
  }
  await new Promise<void>((r) => stream.end(() => r()));
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  await makeContactsCsv(process.argv[2] ?? 'contacts.csv', Number(process.argv[3] ?? 10_000));
}
