import type { FrameworkPart } from '../../src/core/collector.js';
import { ConfigError, expectObject, expectString, fail } from '../../src/config/validate.js';
import { parseComparisons } from '../../src/config/comparisons.js';

/** The collector id: its folder, its config key and its error prefix. */
export const PWC_ID = 'paperswithcode';

/**
 * Papers with Code's paper-to-code links, archived on the Hugging Face Hub after paperswithcode.com shut down
 * (24–25 July 2025): CC-BY-SA-4.0, about 300,000 rows in one parquet file.
 */
export const DEFAULT_DATASET = 'pwc-archive/links-between-paper-and-code';
export const DEFAULT_FILE = 'data/train-00000-of-00001.parquet';

/** The archive's last day: the site shut down on 24–25 July 2025, so that quarter (2025-Q3) is partial. */
export const ARCHIVE_END = '2025-07-25';

/** `frameworks[].paperswithcode`: the archive's `framework` value of the framework's repositories. */
export interface PwcFrameworkPart {
  /** Lower-case, e.g. `pytorch`, `tf`, `jax`, `mxnet`. */
  framework: string;
}

/** Parsed top-level `paperswithcode` section. */
export interface PwcSourcePart {
  /**
   * Framework names compared with each other: each one's share of the papers with code in any of them.
   * @default [["PyTorch","TensorFlow"]] when both have a paperswithcode part, else []
   */
  comparisons: string[][];
  /** Hub dataset holding the links (`owner/name`), for a mirror. @default DEFAULT_DATASET */
  dataset: string;
  /** The parquet file in it. @default DEFAULT_FILE */
  file: string;
}

/** Built-in framework definitions, in raw config form: the archive's own values (Keras has none). */
export const DEFAULT_FRAMEWORK_PARTS = {
  PyTorch: { framework: 'pytorch' },
  TensorFlow: { framework: 'tf' },
  JAX: { framework: 'jax' },
} as const;

/** Values that mean "no framework" in the archive: counting them as one would be a mistake in the config. */
const NOT_A_FRAMEWORK = new Set(['none', '']);

export function parseFrameworkPart(value: unknown, path: string): PwcFrameworkPart {
  const record = expectObject(value, path, ['framework']);
  if (record.framework === undefined) {
    throw new ConfigError(`config key ${path}.framework is missing; expected the archive's value, e.g. {"framework": "pytorch"}`);
  }
  const framework = expectString(record.framework, `${path}.framework`).trim().toLowerCase();
  if (NOT_A_FRAMEWORK.has(framework))
    fail(`${path}.framework`, 'a framework value of the archive (pytorch, tf, jax, mxnet, …)', record.framework);
  return { framework };
}

/** A Hub dataset id, `owner/name`. */
export const DATASET_ID = /^[A-Za-z0-9][\w.-]*\/[A-Za-z0-9][\w.-]*$/;

/** A path inside the dataset: relative, no `..`, no query or fragment characters. */
function parseFile(value: unknown, path: string): string {
  const file = expectString(value, path);
  const parts = file.split('/');
  if (file.startsWith('/') || parts.some((p) => p === '' || p === '.' || p === '..') || /[?#\\]/.test(file)) {
    fail(path, 'a relative path inside the dataset, e.g. "data/train-00000-of-00001.parquet"', value);
  }
  return file;
}

/**
 * Top-level `paperswithcode = { comparisons?, dataset?, file? }`, defaults applied. Comparison names must be
 * frameworks with a `paperswithcode` part, matched case-insensitively and kept in the frameworks' spelling;
 * two frameworks may not claim the same archive value.
 */
export function parseSourcePart(
  value: unknown,
  path: string,
  frameworks: readonly FrameworkPart<PwcFrameworkPart>[],
  allNames: readonly string[],
): PwcSourcePart {
  const record = value === undefined ? {} : expectObject(value, path, ['comparisons', 'dataset', 'file']);
  const dataset = record.dataset === undefined ? DEFAULT_DATASET : expectString(record.dataset, `${path}.dataset`);
  if (!DATASET_ID.test(dataset)) fail(`${path}.dataset`, 'a Hub dataset id, owner/name', record.dataset);
  const file = record.file === undefined ? DEFAULT_FILE : parseFile(record.file, `${path}.file`);

  const seen = new Map<string, string>();
  for (const f of frameworks) {
    const other = seen.get(f.part.framework);
    if (other !== undefined) {
      throw new ConfigError(
        `config key frameworks: ${JSON.stringify(other)} and ${JSON.stringify(f.name)} both have ${PWC_ID}.framework ${JSON.stringify(f.part.framework)}; give each its own value`,
      );
    }
    seen.set(f.part.framework, f.name);
  }

  const comparisons = parseComparisons(record.comparisons, `${path}.comparisons`, frameworks, allNames, {
    id: PWC_ID,
    example: '{"framework": "…"}',
  });
  return { comparisons, dataset, file };
}
