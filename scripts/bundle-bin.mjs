// The published bin, dist/cli.js, bundled with esbuild after tsc has compiled src/ and collectors/ into dist/.
// Why bundle: loading ~180 ES modules one by one cost about 130 ms of every command's start (half of what
// `--version` takes, a tenth of a `report` over ten years of history); one file loads in a fraction of that.
// The unbundled tsc output stays in dist/src (the benchmark and scripts use it).
import { chmodSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

// fileURLToPath, not .pathname: a checkout under a path with spaces would otherwise be %20-encoded.
const dist = fileURLToPath(new URL('../dist/', import.meta.url));

await build({
  entryPoints: { cli: `${dist}src/cli.js` },
  outdir: dist,
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  // Error classes are told apart by name.
  keepNames: true,
  // A native addon, and modules loaded only when a command needs them (HTTP, the parquet reader and writer, the
  // PostgreSQL client: CommonJS, which loads Node's own modules with require()).
  external: ['better-sqlite3', 'undici', 'hyparquet', 'hyparquet-compressors', 'hyparquet-writer', 'pg'],
  // jsonc-parser's main entry is a UMD wrapper whose require() calls esbuild cannot follow ("Dynamic require …
  // is not supported" at start-up); its ES module build bundles cleanly. Node itself, unbundled, loads the UMD.
  alias: { 'jsonc-parser': 'jsonc-parser/lib/esm/main.js' },
  banner: { js: '#!/usr/bin/env node' },
  logLevel: 'warning',
});
chmodSync(`${dist}cli.js`, 0o755);
