import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The tool's version, read from package.json (found by walking up: the depth differs in src/ and dist/). */
function readVersion(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    try {
      const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { name?: string; version?: string };
      if (pkg.name === 'adoption-metrics' && pkg.version) return pkg.version;
    } catch {
      // not here; keep walking up
    }
    const parent = dirname(dir);
    if (parent === dir) return '0.0.0';
    dir = parent;
  }
}

export const TOOL_NAME = 'adoption-metrics';
export const TOOL_VERSION = readVersion();
export const USER_AGENT = `${TOOL_NAME}/${TOOL_VERSION} (Node.js ${process.versions.node})`;
