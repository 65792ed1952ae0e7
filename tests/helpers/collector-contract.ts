import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, posix } from 'node:path';
import { parseConfig } from '../../src/config/load.js';
import { partsOf } from '../../src/config/parts.js';
import type { RegisteredCollector } from '../../src/registry.js';
import { SERIES_KINDS } from '../../src/analyze/kinds.js';
import { CORE_OPTION_NAMES } from '../../src/cli/options.js';

/** The repository root (tests/helpers/../..). */
export const ROOT = join(import.meta.dirname, '../..');

const nonEmptyDir = (path: string) => existsSync(path) && statSync(path).isDirectory() && readdirSync(path).length > 0;

/**
 * What README "Adding a source" promises of every registered collector, as a list of what is missing or wrong
 * (empty when the collector keeps every promise). `all`: the registry, for the checks across collectors.
 */
export function contractProblems(collector: RegisteredCollector, all: readonly RegisteredCollector[], root = ROOT): string[] {
  const problems: string[] = [];
  const id = collector.id;
  const need = (ok: boolean, what: string) => {
    if (!ok) problems.push(`${id}: ${what}`);
  };

  need(/^[a-z][a-z0-9-]*$/.test(id), `id ${JSON.stringify(id)} is not a lower-case folder name`);
  need(existsSync(join(root, 'collectors', id, 'index.ts')), `collectors/${id}/index.ts is missing`);
  need(existsSync(join(root, 'collectors', id, 'README.md')), `collectors/${id}/README.md is missing`);
  need(existsSync(join(root, 'fixtures', id, 'README.md')), `fixtures/${id}/README.md (where each fixture's shape comes from) is missing`);
  need(nonEmptyDir(join(root, 'fixtures/demo-replay', id)), `fixtures/demo-replay/${id}/ holds no demo recording (npm run record-demo)`);

  let series: ReturnType<RegisteredCollector['series']> = [];
  try {
    const config = parseConfig({}, [collector], 'built-in defaults');
    const parts = partsOf(collector, config);
    need(parts !== undefined, 'the built-in frameworks give it no part (defaultFrameworkParts), so the default config does not collect it');
    if (parts) series = collector.series(parts);
  } catch (err) {
    problems.push(`${id}: the default config does not parse: ${(err as Error).message}`);
  }
  need(series.length > 0, 'declares no series under the default config');
  for (const s of series) {
    need((SERIES_KINDS as readonly string[]).includes(s.kind), `declares series kind ${JSON.stringify(s.kind)}, which no analyzer knows`);
    need(s.source === id, `series ${s.key} reads source ${s.source}, not its own`);
  }

  const others = all.filter((c) => c !== collector);
  for (const option of collector.options ?? []) {
    need(!CORE_OPTION_NAMES.includes(option.name), `option --${option.name} is one of the tool's own`);
    const owners = others.filter((c) => (c.options ?? []).some((o) => o.name === option.name)).map((c) => c.id);
    need(owners.length === 0, `option --${option.name} is also declared by ${owners.join(', ')}`);
  }
  for (const v of collector.env) {
    need(/^[A-Z][A-Z0-9_]*$/.test(v.name), `environment variable ${v.name} is not an upper-case name`);
    // One name, one meaning: a variable two sources read (a shared host's token, say) is declared alike.
    for (const other of others) {
      const twin = other.env.find((w) => w.name === v.name);
      if (twin)
        need(
          !!twin.secret === !!v.secret && twin.endpoint === v.endpoint,
          `environment variable ${v.name} means something else to ${other.id}`,
        );
    }
  }
  need(new Set(collector.env.map((v) => v.name)).size === collector.env.length, 'declares an environment variable twice');
  return problems;
}

/** Problems across the registry: order, and series keys and file stems that two sources would both write. */
export function registryProblems(all: readonly RegisteredCollector[]): string[] {
  const problems: string[] = [];
  const ids = all.map((c) => c.id);
  if (ids.join() !== [...ids].sort().join()) problems.push(`the registry is not in alphabetical order: ${ids.join(', ')}`);
  const seen = new Map<string, string>();
  for (const collector of all) {
    const parts = partsOf(collector, parseConfig({}, [collector], 'built-in defaults'));
    for (const s of parts ? collector.series(parts) : []) {
      for (const name of [`key ${s.key}`, `files ${s.files}`]) {
        const owner = seen.get(name);
        if (owner) problems.push(`series ${name} is declared by both ${owner} and ${collector.id}`);
        seen.set(name, collector.id);
      }
    }
  }
  return problems;
}

/** The environment variables README.md's environment table lists. */
export function readmeEnvironmentVariables(root = ROOT): string[] {
  const readme = readFileSync(join(root, 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('## Environment'));
  const table = section.slice(0, section.indexOf('\n## ', 3));
  return [...table.matchAll(/^\| `([A-Z0-9_]+)`/gm)].map((m) => m[1]!);
}

/**
 * Files under `src/` (the registry excepted) that name a registered source: its id, in any case, anywhere in
 * the text (issue 11's `grep -rliE "pubmed|huggingface" src`). Analysis and reports must follow series kinds.
 */
export function filesNamingSources(all: readonly RegisteredCollector[], root = ROOT): string[] {
  const names = new RegExp(all.map((c) => c.id).join('|'), 'i');
  const found: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(join(root, dir), { withFileTypes: true })) {
      const path = `${dir}/${entry.name}`;
      if (entry.isDirectory()) walk(path);
      else if (path !== 'src/registry.ts' && names.test(readFileSync(join(root, path), 'utf8'))) found.push(path);
    }
  };
  walk('src');
  return found;
}

/**
 * Imports of files under src/core/ that reach above core (analysis, reports, config, store, cli, collectors):
 * core holds what every layer shares, so it depends on nothing but itself and the HTTP surface's type leaf.
 */
export function coreImportsAbove(root = ROOT): string[] {
  const allowed = (target: string) => target.startsWith('src/core/') || target === 'src/http/types.ts';
  const found: string[] = [];
  for (const entry of readdirSync(join(root, 'src/core'))) {
    const path = `src/core/${entry}`;
    for (const [, spec] of readFileSync(join(root, path), 'utf8').matchAll(/from '(\.[^']+)'/g)) {
      const target = posix.normalize(posix.join('src/core', spec!)).replace(/\.js$/, '.ts');
      if (!allowed(target)) found.push(`${path} imports ${spec}`);
    }
  }
  return found;
}
