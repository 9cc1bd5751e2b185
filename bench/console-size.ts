/**
 * The console's JavaScript, gzip-compressed (level 6, as servers and CloudFront send it), for the
 * first page and per route, from Vite's manifest in console/dist (built first when stale).
 * `npm run bench:console`
 *
 * - "first load": what a browser fetches to show the route from a cold start: the entry chunk and
 *   its static imports (the shell, the sign-in page, React, Mantine, the router, zod), plus the
 *   route's own chunks.
 * - "route only": what navigating to the route adds once the entry is loaded.
 * - on demand: chunks a route loads later with import() (the chart library).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { ensureConsoleBuilt } from '../local/console.ts';
import { PROJECT_ROOT } from '../local/platform.ts';
import { printTable } from './table.ts';

interface Chunk {
  file: string;
  isEntry?: boolean;
  imports?: string[];
  dynamicImports?: string[];
  css?: string[];
}

ensureConsoleBuilt(PROJECT_ROOT, (line) => console.log(line));
const dist = join(PROJECT_ROOT, 'console/dist');
const manifest = JSON.parse(readFileSync(join(dist, '.vite/manifest.json'), 'utf8')) as Record<string, Chunk>;
const gz = new Map<string, number>();
const sizeOf = (file: string) => {
  if (!gz.has(file)) gz.set(file, gzipSync(readFileSync(join(dist, file)), { level: 6 }).length);
  return gz.get(file)!;
};
const kb = (bytes: number) => (bytes / 1024).toFixed(1);

/** A chunk's file and its static imports, transitively (what must load before it runs). */
function closure(key: string, seen = new Set<string>()): Set<string> {
  if (seen.has(key)) return seen;
  seen.add(key);
  for (const dep of manifest[key]?.imports ?? []) closure(dep, seen);
  return seen;
}
const files = (keys: Set<string>) => new Set([...keys].map((k) => manifest[k]!.file));
const total = (set: Set<string>) => [...set].reduce((sum, f) => sum + sizeOf(f), 0);

const entryKey = Object.keys(manifest).find((k) => manifest[k]!.isEntry)!;
const entry = files(closure(entryKey));
const css = [...closure(entryKey)].flatMap((k) => manifest[k]!.css ?? []);

// The routes, as console/src/app/routes.tsx declares them: path → page module.
const routesSource = readFileSync(join(PROJECT_ROOT, 'console/src/app/routes.tsx'), 'utf8');
const routes = [...routesSource.matchAll(/path: '([^']+)'.*?import\('\.\.\/([^']+)'\)/g)].map((m) => ({
  path: `/${m[1]}`,
  key: `src/${m[2]}`,
}));

const rows: Record<string, string | number>[] = [
  { page: 'entry (shell, sign-in page)', 'first load KB gz': kb(total(entry)), 'route only KB gz': '—', 'on demand KB gz': '—' },
];
for (const route of routes) {
  if (!manifest[route.key]) throw new Error(`${route.key} is not in the manifest`);
  const own = files(closure(route.key));
  const added = new Set([...own].filter((f) => !entry.has(f)));
  const lazy = new Set<string>();
  for (const key of closure(route.key))
    for (const d of manifest[key]!.dynamicImports ?? []) for (const f of files(closure(d))) if (!entry.has(f) && !own.has(f)) lazy.add(f);
  rows.push({
    page: route.path,
    'first load KB gz': kb(total(new Set([...entry, ...own]))),
    'route only KB gz': kb(total(added)),
    'on demand KB gz': lazy.size ? kb(total(lazy)) : '—',
  });
}

const first = routes.find((r) => r.path === '/contacts')!;
const firstPage = total(new Set([...entry, ...files(closure(first.key))]));
console.log(`\nThe console's JavaScript, gzip level 6 (console/dist). Goal: first page ≤ 250 KB.\n`);
printTable(rows);
console.log(
  `\nFirst page (sign in, then /contacts): ${kb(firstPage)} KB gzip of JavaScript${firstPage <= 250 * 1024 ? ' (within the 250 KB goal)' : ' (OVER the 250 KB goal)'}.`,
);
console.log(`CSS on every page: ${kb(css.reduce((s, f) => s + sizeOf(f), 0))} KB gzip (${css.join(', ')}).`);
const biggest = Object.values(manifest)
  .map((c) => c.file)
  .filter((f, i, all) => f.endsWith('.js') && all.indexOf(f) === i)
  .sort((a, b) => sizeOf(b) - sizeOf(a))
  .slice(0, 5);
console.log(`Largest chunks: ${biggest.map((f) => `${f.replace('assets/', '')} ${kb(sizeOf(f))} KB`).join(', ')}.`);
