/**
 * esbuild settings for every Lambda bundle, shared by AppFunction (CDK) and bench/bundles.ts so
 * that the measured bundle is the deployed one.
 */
export const BUNDLE = {
  target: 'node22',
  format: 'esm' as const,
  minify: true,
  sourcemap: true,
  keepNames: true,
  /** The AWS SDK is bundled (tree-shaken, pinned) rather than taken from the runtime. */
  external: [] as string[],
  mainFields: ['module', 'main'],
  /** CommonJS dependencies inside an ESM bundle need a `require`. */
  banner: "import { createRequire as __herald_createRequire } from 'node:module'; const require = __herald_createRequire(import.meta.url);",
};
