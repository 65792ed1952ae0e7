import { lstatSync, readFileSync, readlinkSync, type Stats, statSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Collector } from '../core/collector.js';
import { UsageError } from '../core/errors.js';
import { parseReports, REPORTS_KEY } from './reports.js';
import type { AppConfig, FrameworkConfig } from './types.js';
import { duplicateKey } from './duplicate-keys.js';
import { ConfigError, expectArray, expectObject, expectString, printable } from './validate.js';

export const DEFAULT_CONFIG_FILE = 'adoption.config.json';

/** Built-in frameworks, in report order. Each collector supplies its own part for them (defaultFrameworkParts). */
export const DEFAULT_FRAMEWORKS = ['PyTorch', 'TensorFlow', 'Keras', 'JAX'] as const;

/**
 * Reads `--config FILE`, else `adoption.config.json` when it exists, else the built-in defaults. The core
 * checks the shape it owns (`frameworks[].name`, known top-level keys); each collector parses its own
 * sections, so a new source brings its own config keys.
 */
export function loadConfig(options: { path?: string; collectors: readonly Collector[]; cwd: string }): AppConfig {
  const explicit = options.path !== undefined;
  // Relative to the command's working directory, like --db and --out.
  const path = options.path ?? DEFAULT_CONFIG_FILE;
  const file = resolve(options.cwd, path);
  if (!entryExists(file)) {
    if (explicit) throw new UsageError(`config file ${path} does not exist; pass an existing file to --config or omit it for the defaults`);
    return { ...parseConfig({}, options.collectors, 'built-in defaults'), builtIn: true };
  }
  checkConfigFile(file, path);
  let raw: unknown;
  // Windows editors (Notepad among them) start UTF-8 files with a byte order mark, which JSON.parse refuses.
  const text = readFileSync(file, 'utf8').replace(/^\uFEFF/, '');
  try {
    raw = JSON.parse(text);
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err);
    throw new ConfigError(`config file ${path} is not valid JSON (${printable(reason)}); fix it or pass another --config`);
  }
  const duplicate = duplicateKey(text);
  if (duplicate) {
    throw new ConfigError(
      `${path}: config key ${duplicate.path} appears twice (the second on line ${duplicate.line}); JSON would keep only the last, so keep one`,
    );
  }
  try {
    return parseConfig(raw, options.collectors, path);
  } catch (err) {
    if (err instanceof ConfigError) throw new ConfigError(`${path}: ${err.message}`);
    throw err;
  }
}

/** A config file larger than this is not one (a device, a log picked by mistake). */
const MAX_CONFIG_BYTES = 1024 * 1024;

/** Anything at the name, a dangling link included (which must not silently mean "no file, use the defaults"). */
function entryExists(file: string): boolean {
  try {
    lstatSync(file);
    return true;
  } catch {
    return false;
  }
}

/**
 * The config must be a regular file of reasonable size, read at once: a FIFO would block a cron run forever, a
 * directory or a device fail with a raw error, and a dangling link would quietly fall back to the defaults.
 */
function checkConfigFile(file: string, path: string): void {
  let info: Stats;
  try {
    info = statSync(file);
  } catch {
    throw new UsageError(
      `config file ${path} is a symbolic link to ${readlinkSync(file)}, which does not exist; fix the link, or remove it for the built-in defaults`,
    );
  }
  if (!info.isFile()) {
    const what = info.isDirectory() ? 'a directory' : info.isFIFO() ? 'a FIFO' : info.isSocket() ? 'a socket' : 'a device';
    throw new UsageError(`config file ${path} is ${what}, not a file; pass a JSON file to --config`);
  }
  if (info.size > MAX_CONFIG_BYTES) {
    throw new UsageError(
      `config file ${path} is ${info.size} bytes, over the ${MAX_CONFIG_BYTES} a config can be; pass the JSON config file`,
    );
  }
}

/**
 * A source is configured when at least one framework has a part for it; its section is parsed (and checked)
 * either way, so a typo in an unused section is still reported.
 */
export function parseConfig(raw: unknown, collectors: readonly Collector[], origin: string): AppConfig {
  const ids = collectors.map((c) => c.id);
  const root = expectObject(raw, '', ['frameworks', REPORTS_KEY, ...ids]);
  const frameworks = root.frameworks === undefined ? defaultFrameworks(collectors) : parseFrameworks(root.frameworks, collectors);
  const allNames = frameworks.map((f) => f.name);
  const sources: Record<string, unknown> = {};
  for (const collector of collectors) {
    const withPart = frameworks.flatMap((f) =>
      f.sources[collector.id] === undefined ? [] : [{ name: f.name, part: f.sources[collector.id] }],
    );
    const source = collector.parseSourcePart(root[collector.id], collector.id, withPart, allNames);
    if (withPart.length > 0) sources[collector.id] = source;
  }
  return { frameworks, sources, origin, reports: parseReports(root[REPORTS_KEY]) };
}

function parseFrameworks(value: unknown, collectors: readonly Collector[]): FrameworkConfig[] {
  const list = expectArray(value, 'frameworks');
  if (list.length === 0) throw new ConfigError('config key frameworks: expected at least one framework, got an empty array');
  const seen = new Set<string>();
  return list.map((item, i) => {
    const path = `frameworks[${i}]`;
    const entry = expectObject(item, path, ['name', ...collectors.map((c) => c.id)]);
    const name = expectString(entry.name, `${path}.name`);
    if (seen.has(name.toLowerCase())) throw new ConfigError(`config key ${path}.name: framework ${JSON.stringify(name)} appears twice`);
    seen.add(name.toLowerCase());
    const sources: Record<string, unknown> = {};
    for (const collector of collectors) {
      if (entry[collector.id] !== undefined)
        sources[collector.id] = collector.parseFrameworkPart(entry[collector.id], `${path}.${collector.id}`);
    }
    return { name, sources };
  });
}

function defaultFrameworks(collectors: readonly Collector[]): FrameworkConfig[] {
  return DEFAULT_FRAMEWORKS.map((name) => {
    const sources: Record<string, unknown> = {};
    for (const collector of collectors) {
      const part = collector.defaultFrameworkParts[name];
      if (part !== undefined) sources[collector.id] = collector.parseFrameworkPart(part, `(default ${name}).${collector.id}`);
    }
    return { name, sources };
  });
}
