import { balanceProblem, ConfigError, expectObject, expectString, fail } from '../../src/config/validate.js';
import { parseYearRange } from '../../src/config/year-range.js';

/** The collector id: its folder, its config key and its error prefix. */
export const PUBMED_ID = 'pubmed';

/** Parsed `frameworks[].pubmed`. */
export interface PubmedFrameworkPart {
  /** A PubMed query, sent as `(<term>) AND Y:Y[dp]`. */
  term: string;
}

/** Parsed top-level `pubmed` section, defaults applied (except `toYear`, which depends on the as-of date). */
export interface PubmedSourcePart {
  /** First publication year counted. @default 2015 */
  fromYear: number;
  /** Last publication year counted. @default the as-of year, resolved at collect time */
  toYear?: number;
  /** Years up to `toYear` that are re-queried on every run, because PubMed keeps adding records to them. @default 3 */
  recentYears: number;
}

export const DEFAULT_FROM_YEAR = 2015;
/** NLM warns yearly totals "may increase over time"; indexing lags up to ~410 days (pubmed-eutils.md §6), so 3 years. */
export const DEFAULT_RECENT_YEARS = 3;

/** PubMed's oldest citations are from the late 18th century; anything outside this range is a typo. */
const MIN_YEAR = 1800;
const MAX_YEAR = 2200;

/**
 * `[tiab]` so untagged Automatic Term Mapping cannot reach affiliations, a context clause so the jax gene
 * symbol and other "JAX" abbreviations are left out, and `NOT "Jackson Laboratory"[ad]` so the mouse
 * supplier (JAX®) is not counted. See README.md, "The JAX term".
 */
export const JAX_TERM =
  'JAX[tiab] AND (python[tiab] OR "machine learning"[tiab] OR "deep learning"[tiab] OR "neural network"[tiab] OR "automatic differentiation"[tiab]) NOT "Jackson Laboratory"[ad]';

/** Built-in framework definitions, in raw config form (the config loader parses them like a user's). */
export const DEFAULT_FRAMEWORK_PARTS = {
  PyTorch: { term: 'pytorch' },
  TensorFlow: { term: 'tensorflow' },
  Keras: { term: 'keras' },
  JAX: { term: JAX_TERM },
} as const;

/** `frameworks[].pubmed = { term }`. The term is wrapped in parentheses, so it must balance on its own. */
export function parseFrameworkPart(value: unknown, path: string): PubmedFrameworkPart {
  const record = expectObject(value, path, ['term']);
  if (record.term === undefined) throw new ConfigError(`config key ${path}.term is missing; expected e.g. {"term": "pytorch"}`);
  const term = expectString(record.term, `${path}.term`).trim();
  // PubMed answers an unbalanced one with an ordinary result and only a warning (pubmed-eutils.md §2), and
  // `(<term>) AND Y:Y[dp]` would then bind differently.
  const problem = balanceProblem(term);
  if (problem) fail(`${path}.term`, `a PubMed query with ${problem}`, record.term);
  return { term };
}

/** Top-level `pubmed = { fromYear?, toYear?, recentYears? }`. */
export function parseSourcePart(value: unknown, path: string): PubmedSourcePart {
  return parseYearRange(value, path, {
    defaultFromYear: DEFAULT_FROM_YEAR,
    defaultRecentYears: DEFAULT_RECENT_YEARS,
    minYear: MIN_YEAR,
    maxYear: MAX_YEAR,
    maxRecentYears: 100,
  });
}
