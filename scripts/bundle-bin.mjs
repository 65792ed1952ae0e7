// tsc compiles src/ and collectors/ side by side (rootDir "."), so the entry lands in dist/src/cli.js.
// The published bin is dist/cli.js: this writes that one-line executable entry after each build.
import { chmodSync, writeFileSync } from 'node:fs';

const target = new URL('../dist/cli.js', import.meta.url);
writeFileSync(target, "#!/usr/bin/env node\nimport './src/cli.js';\n");
chmodSync(target, 0o755);
