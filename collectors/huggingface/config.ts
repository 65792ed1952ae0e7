import type { AppConfig, FrameworkConfig } from '../../src/config/types.js';
import { ConfigError, expectArray, expectObject, expectOneOf, expectString, fail } from '../../src/config/validate.js';
import type { HfFrameworkPart } from './labels.js';

/** The collector id: its folder, its config key and its error prefix. */
export const HF_ID = 'huggingface';

export const HF_METHODS = ['exact', 'fast', 'both'] as const;
/** `exact`: paginate `/api/models` and count ids. `fast`: read the website's `numTotalItems`. `both`: store both. */
export type HfMethod = (typeof HF_METHODS)[number];

/** Parsed top-level `huggingface` section. */
export interface HfSourcePart {
  /** Framework names compared with each other; every non-empty subset of each list is counted. @default [["PyTorch","TensorFlow"]] */
  comparisons: string[][];
  /** @default "exact" */
  method: HfMethod;
}

export const DEFAULT_SOURCE_PART: HfSourcePart = {
  comparisons: [['PyTorch', 'TensorFlow']],
  method: 'exact',
};

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

/** Top-level `huggingface = { comparisons?, method? }`, defaults applied. */
export function parseSourcePart(value: unknown, path: string): HfSourcePart {
  if (value === undefined) return { comparisons: DEFAULT_SOURCE_PART.comparisons.map((c) => [...c]), method: DEFAULT_SOURCE_PART.method };
  const record = expectObject(value, path, ['comparisons', 'method']);
  const method = record.method === undefined ? DEFAULT_SOURCE_PART.method : expectOneOf(record.method, `${path}.method`, HF_METHODS);
  let comparisons = DEFAULT_SOURCE_PART.comparisons.map((c) => [...c]);
  if (record.comparisons !== undefined) {
    const list = expectArray(record.comparisons, `${path}.comparisons`);
    if (list.length === 0) fail(`${path}.comparisons`, 'at least one comparison such as [["PyTorch", "TensorFlow"]]', list);
    comparisons = list.map((item, i) => {
      const itemPath = `${path}.comparisons[${i}]`;
      const names = expectArray(item, itemPath).map((name, j) => expectString(name, `${itemPath}[${j}]`));
      if (names.length < 2) fail(itemPath, 'at least 2 framework names', item);
      const distinct = new Set(names.map((n) => n.toLowerCase()));
      if (distinct.size !== names.length) fail(itemPath, 'distinct framework names', item);
      return names;
    });
  }
  return { comparisons, method };
}

/** Framework lookup by name, case-insensitive like the loader's duplicate check. */
export function findFramework(config: AppConfig, name: string): FrameworkConfig | undefined {
  return config.frameworks.find((f) => f.name === name) ?? config.frameworks.find((f) => f.name.toLowerCase() === name.toLowerCase());
}

/** Every comparison name must be a configured framework that has a `huggingface` part. */
export function checkConfig(config: AppConfig): void {
  const source = (config.sources[HF_ID] as HfSourcePart | undefined) ?? DEFAULT_SOURCE_PART;
  source.comparisons.forEach((names, i) => {
    names.forEach((name, j) => {
      const path = `config key ${HF_ID}.comparisons[${i}][${j}]`;
      const framework = findFramework(config, name);
      if (!framework) {
        throw new ConfigError(
          `${path}: framework ${JSON.stringify(name)} is not defined; known: ${config.frameworks.map((f) => f.name).join(', ')} (set ${HF_ID}.comparisons to compare frameworks that exist)`,
        );
      }
      if (framework.sources[HF_ID] === undefined) {
        throw new ConfigError(
          `${path}: framework ${JSON.stringify(framework.name)} has no ${HF_ID} part; add "${HF_ID}": {"tags": [...]} to it`,
        );
      }
    });
  });
}

/** Canonical key of a tag set (order and duplicates do not matter): for memoising queries. */
export function tagSetKey(tags: readonly string[]): string {
  return [...new Set(tags)].sort().join('\u0000');
}
