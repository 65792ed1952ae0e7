import { parseComparisons } from '../../src/config/comparisons.js';
import { ConfigError, expectArray, expectObject, expectString, fail } from '../../src/config/validate.js';
import type { FrameworkPart } from '../../src/core/collector.js';

/** The collector id: its folder, its config key and its error prefix. */
export const PYPI_ID = 'pypi';

/** Parsed `frameworks[].pypi`. */
export interface PypiFrameworkPart {
  /** PyPI project names, normalized as PyPI does (lower case, runs of `-_.` as `-`), in config order. */
  packages: string[];
}

/** Parsed top-level `pypi` section, defaults applied. */
export interface PypiSourcePart {
  /** First month counted, `YYYY-MM`. @default DEFAULT_FROM_MONTH */
  fromMonth: string;
  /** Framework names compared: each one's share of their summed downloads. @default [["PyTorch","TensorFlow"]] when both have a pypi part */
  comparisons: string[][];
}

/** PyPI's download logs (linehaul, BigQuery) start in 2016 (shared/reference/clickpy.md): earlier months hold nothing. */
export const DEFAULT_FROM_MONTH = '2016-01';
const MONTH = /^(\d{4})-(0[1-9]|1[0-2])$/;
const MIN_MONTH = '2000-01';
const MAX_MONTH = '2200-12';

/**
 * At most this many packages in all. The answer is one row per package, and ClickPy's `play` user cuts an answer
 * silently past 1,000 rows or 10 MB (`result_overflow_mode = 'break'`, clickpy's scripts/create_user.sh); a row
 * holds at most a few hundred months and 14 months of days (about 12 KB), so 100 rows stay far under both.
 */
export const MAX_PACKAGES = 100;

/**
 * Built-in framework definitions, in raw config form. Only the framework's own package: `keras` is pulled in by
 * `tensorflow` 2.16+ and `jaxlib` by `jax`, so adding dependency packages would double count (clickpy.md).
 */
export const DEFAULT_FRAMEWORK_PARTS = {
  PyTorch: { packages: ['torch'] },
  TensorFlow: { packages: ['tensorflow'] },
  Keras: { packages: ['keras'] },
  JAX: { packages: ['jax'] },
} as const;

/** A project name as PEP 508 allows it: letters and digits at both ends, `-`, `_` and `.` between. */
const PROJECT_NAME = /^[A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?$/;

/** PyPI's normalized form (PEP 503): lower case, every run of `-`, `_` and `.` as one `-`. */
export function normalizeProject(name: string): string {
  return name.replace(/[-_.]+/g, '-').toLowerCase();
}

/** What goes into a query: only `[a-z0-9-]`, never anything that could end a quoted string. */
export const NORMALIZED = /^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$/;

/** `frameworks[].pypi = { packages: [...] }`. */
export function parseFrameworkPart(value: unknown, path: string): PypiFrameworkPart {
  const record = expectObject(value, path, ['packages']);
  if (record.packages === undefined) {
    throw new ConfigError(`config key ${path}.packages is missing; expected PyPI project names, e.g. {"packages": ["torch"]}`);
  }
  const list = expectArray(record.packages, `${path}.packages`);
  if (list.length === 0) fail(`${path}.packages`, 'at least one PyPI project name', list);
  const packages: string[] = [];
  list.forEach((item, i) => {
    const itemPath = `${path}.packages[${i}]`;
    const name = expectString(item, itemPath);
    const normalized = normalizeProject(name);
    if (!PROJECT_NAME.test(name) || !NORMALIZED.test(normalized)) {
      fail(itemPath, 'a PyPI project name (letters and digits, with - _ . only between them, e.g. "torch")', item);
    }
    if (packages.includes(normalized)) {
      throw new ConfigError(`config key ${itemPath}: ${JSON.stringify(name)} is listed twice (as ${normalized}); list each package once`);
    }
    packages.push(normalized);
  });
  return { packages };
}

/** Top-level `pypi = { fromMonth?, comparisons? }`; no package may count for two frameworks. */
export function parseSourcePart(
  value: unknown,
  path: string,
  frameworks: readonly FrameworkPart<PypiFrameworkPart>[],
  allNames: readonly string[],
): PypiSourcePart {
  const record = value === undefined ? {} : expectObject(value, path, ['fromMonth', 'comparisons']);
  const fromMonth = record.fromMonth === undefined ? DEFAULT_FROM_MONTH : expectString(record.fromMonth, `${path}.fromMonth`);
  if (!MONTH.test(fromMonth) || fromMonth < MIN_MONTH || fromMonth > MAX_MONTH) {
    fail(`${path}.fromMonth`, `a month YYYY-MM from ${MIN_MONTH}, e.g. "${DEFAULT_FROM_MONTH}"`, record.fromMonth);
  }
  const owner = new Map<string, string>();
  for (const f of frameworks) {
    for (const name of f.part.packages) {
      const other = owner.get(name);
      if (other !== undefined) {
        throw new ConfigError(
          `config key frameworks: ${JSON.stringify(other)} and ${JSON.stringify(f.name)} both count the PyPI package ${name}; give it to one framework, or its downloads count twice`,
        );
      }
      owner.set(name, f.name);
    }
  }
  if (owner.size > MAX_PACKAGES) {
    throw new ConfigError(
      `config key frameworks: ${owner.size} PyPI packages in all, more than the ${MAX_PACKAGES} one answer can hold whole; measure fewer`,
    );
  }
  const comparisons = parseComparisons(record.comparisons, `${path}.comparisons`, frameworks, allNames, {
    id: PYPI_ID,
    example: '{"packages": ["…"]}',
  });
  return { fromMonth, comparisons };
}
