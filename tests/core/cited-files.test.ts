import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../helpers/collector-contract.js';

/**
 * Data files and documents (`.json`, `.md`) of this repository that the code's comments point a reader to, as
 * `[cited path, file citing it]`. A path quoted in backticks is another repository's (hub-docs
 * `docs/hub/rate-limits.md`), and is left out.
 */
function citedFiles(dirs: readonly string[]): [string, string][] {
  const cited: [string, string][] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(join(ROOT, dir), { withFileTypes: true })) {
      const path = `${dir}/${entry.name}`;
      if (entry.isDirectory()) walk(path);
      else if (path.endsWith('.ts')) {
        const text = readFileSync(join(ROOT, path), 'utf8');
        for (const m of text.matchAll(/(?<![\w/.`-])((?:docs|src|collectors|fixtures|tests|bench|scripts)\/[\w./-]+\.(?:json|md))\b/g))
          cited.push([m[1]!, path]);
      }
    }
  };
  for (const dir of dirs) walk(dir);
  return cited;
}

describe('files cited in comments', () => {
  it('every repository file a comment under src/ or collectors/ cites exists (report.json names its schema where it is)', () => {
    const cited = citedFiles(['src', 'collectors']);
    expect(cited.map(([path]) => path)).toContain('src/report/report.schema.json');
    expect(cited.filter(([path]) => !existsSync(join(ROOT, path)))).toEqual([]);
  });
});
