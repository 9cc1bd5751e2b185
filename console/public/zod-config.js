// No eval in the browser. zod probes for it (new Function) when its first object schema is built,
// to compile faster parsers; the console's CSP refuses eval, and the browser reports that as an
// error even though zod catches it. A classic script runs before the module bundle, so this is
// set before any schema exists (an import cannot promise that: the chunk holding zod runs first).
globalThis.__zod_globalConfig = { ...globalThis.__zod_globalConfig, jitless: true };
