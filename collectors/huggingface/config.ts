import type { FrameworkPart } from '../../src/core/collector.js';
import { ConfigError, expectArray, expectObject, expectOneOf, expectString, fail } from '../../src/config/validate.js';
import { parseComparisons } from '../../src/config/comparisons.js';
import type { HfFrameworkPart } from './labels.js';

/** The collector id: its folder, its config key and its error prefix. */
export const HF_ID = 'huggingface';

/** The metric every Hub observation carries: models matching a tag combination, at request time. */
export const HF_METRIC = 'models';

/**
 * The metric of the monthly counts an exact count also gives: models matching a tag combination by creation
 * month (period `YYYY-MM`, or `undated` for the Hub's placeholder date), as listed at request time.
 */
export const HF_MONTHLY_METRIC = 'models_created';

export const HF_METHODS = ['exact', 'fast', 'both'] as const;
/** `exact`: paginate `/api/models` and count ids. `fast`: read the website's `numTotalItems`. `both`: store both. */
export type HfMethod = (typeof HF_METHODS)[number];

/** Parsed top-level `huggingface` section. */
export interface HfSourcePart {
  /**
   * Framework names compared with each other; every non-empty subset of each list is counted.
   * @default [["PyTorch","TensorFlow"]] when both have Hub tags, else []
   */
  comparisons: string[][];
  /** @default "exact" */
  method: HfMethod;
}

export const DEFAULT_METHOD: HfMethod = 'exact';

/**
 * Built-in framework definitions, in raw config form (the config loader parses them like a user's). The
 * `pytorch` tag alone misses most PyTorch models saved since transformers 4.35 (safetensors by default):
 * see README.md, "Tag drift", for the alternative definition.
 */
export const DEFAULT_FRAMEWORK_PARTS = {
  PyTorch: { tags: [['pytorch']] },
  TensorFlow: { tags: [['tf']] },
  Keras: { tags: [['keras']] },
  JAX: { tags: [['jax']] },
} as const;

/**
 * Characters a tag may not contain: whitespace and `,` would break the website query (comma-joined values),
 * and `+ & | ( )` are the separators of stored subjects (labels.ts), so a tag holding one would make two
 * different definitions share a name.
 */
const FORBIDDEN_TAG_CHARS = /[\s,+&|()]/;

function parseTag(value: unknown, path: string): string {
  const tag = expectString(value, path);
  if (FORBIDDEN_TAG_CHARS.test(tag)) fail(path, 'a Hub tag without spaces or any of , + & | ( )', value);
  return tag;
}

/**
 * `frameworks[].huggingface = { tags: [...] }`. Each element of `tags` is one alternative: a tag string, or
 * an array of tags that must all be present. `["pytorch", ["safetensors", "transformers"]]` means
 * pytorch OR (safetensors AND transformers).
 */
export function parseFrameworkPart(value: unknown, path: string): HfFrameworkPart & { tags: string[][] } {
  const record = expectObject(value, path, ['tags']);
  if (record.tags === undefined) {
    throw new ConfigError(`config key ${path}.tags is missing; expected e.g. {"tags": ["pytorch"]}`);
  }
  const alternatives = expectArray(record.tags, `${path}.tags`);
  if (alternatives.length === 0) fail(`${path}.tags`, 'at least one tag or tag list', alternatives);
  const tags: string[][] = [];
  const seen = new Set<string>();
  alternatives.forEach((alternative, i) => {
    const altPath = `${path}.tags[${i}]`;
    let set: string[];
    if (typeof alternative === 'string') {
      set = [parseTag(alternative, altPath)];
    } else if (Array.isArray(alternative)) {
      if (alternative.length === 0) fail(altPath, 'a tag or a non-empty list of tags that must all be present', alternative);
      set = [...new Set(alternative.map((tag, j) => parseTag(tag, `${altPath}[${j}]`)))];
    } else {
      fail(altPath, 'a tag or a list of tags that must all be present', alternative);
    }
    const key = tagSetKey(set);
    if (seen.has(key)) throw new ConfigError(`config key ${altPath}: the alternative ${JSON.stringify(set)} appears twice`);
    seen.add(key);
    tags.push(set);
  });
  return { tags };
}

/**
 * Top-level `huggingface = { comparisons?, method? }`, defaults applied. Comparison names must be frameworks
 * with a `huggingface` part (`frameworks`); they are matched case-insensitively and kept in the frameworks'
 * own spelling. Without `comparisons`, the article's PyTorch vs TensorFlow when both have Hub tags, else none;
 * an empty list is valid (nothing to compare).
 */
export function parseSourcePart(
  value: unknown,
  path: string,
  frameworks: readonly FrameworkPart<HfFrameworkPart>[],
  allNames: readonly string[],
): HfSourcePart {
  const record = value === undefined ? {} : expectObject(value, path, ['comparisons', 'method']);
  const method = record.method === undefined ? DEFAULT_METHOD : expectOneOf(record.method, `${path}.method`, HF_METHODS);
  const comparisons = parseComparisons(record.comparisons, `${path}.comparisons`, frameworks, allNames, {
    id: HF_ID,
    example: '{"tags": [...]}',
    notDefinedHint: `set ${path}.comparisons to compare frameworks that exist`,
  });
  return { comparisons, method };
}

/** Canonical key of a tag set (order and duplicates do not matter): for memoising queries. */
export function tagSetKey(tags: readonly string[]): string {
  return [...new Set(tags)].sort().join('\u0000');
}
