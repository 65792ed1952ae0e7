import { balanceProblem, ConfigError, expectObject, expectString, fail } from '../../src/config/validate.js';
import { parseYearRange } from '../../src/config/year-range.js';

/** The collector id: its folder, its config key and its error prefix. */
export const OPENALEX_ID = 'openalex';

/** Parsed `frameworks[].openalex`. */
export interface OpenAlexFrameworkPart {
  /** The `search=` text: title, abstract and full text where OpenAlex has it (README, "What search matches"). */
  term: string;
}

/** Parsed top-level `openalex` section, defaults applied (except `toYear`, which depends on the as-of date). */
export interface OpenAlexSourcePart {
  /** First publication year counted. @default 2015 */
  fromYear: number;
  /** Last publication year counted. @default the as-of year, resolved at collect time */
  toYear?: number;
  /** Years up to `toYear` that are re-counted on every run (OpenAlex keeps adding works to them). @default 3 */
  recentYears: number;
}

export const DEFAULT_FROM_YEAR = 2015;
export const DEFAULT_RECENT_YEARS = 3;

/** OpenAlex answers at most 200 groups a page (openalex.md): one request covers at most this many years. */
export const MAX_YEARS = 200;
const MIN_YEAR = 1500;
const MAX_YEAR = 2200;

/**
 * "JAX" is also the Jackson Laboratory (its mice are "JAX mice", it signs "The Jackson Laboratory"): the term
 * asks for a word of the framework's world and leaves out every work whose indexed text names the laboratory.
 * README.md, "The built-in terms", says what this keeps and what it loses.
 */
export const JAX_TERM =
  'jax AND (python OR "machine learning" OR "deep learning" OR "neural network" OR "automatic differentiation") NOT "Jackson Laboratory"';

/**
 * "keras" is an everyday Indonesian and Malay word ("hard", "strong": kerja keras, minuman keras), and OpenAlex
 * indexes many Indonesian journals: the framework's context is required.
 */
export const KERAS_TERM = 'keras AND ("deep learning" OR "neural network" OR "machine learning" OR tensorflow OR python)';

/** Built-in framework definitions, in raw config form (the config loader parses them like a user's). */
export const DEFAULT_FRAMEWORK_PARTS = {
  PyTorch: { term: 'pytorch' },
  TensorFlow: { term: 'tensorflow' },
  Keras: { term: KERAS_TERM },
  JAX: { term: JAX_TERM },
} as const;

/**
 * The longest `search=` text, URL-encoded, a request may carry. OpenAlex answers a URL that is too long with a
 * bare HTTP 431 (issue 19) and does not document where its limit lies, so a term is held to 3,000 characters,
 * which with the rest of the URL (about 150 more) stays inside the 4 KB request line common servers take
 * (gunicorn's default `limit_request_line` is 4,094 bytes). Checked when the config is read: a long term is a
 * config error, not a failure every day.
 */
export const MAX_ENCODED_TERM = 3_000;

/** `frameworks[].openalex = { term }`. */
export function parseFrameworkPart(value: unknown, path: string): OpenAlexFrameworkPart {
  const record = expectObject(value, path, ['term']);
  if (record.term === undefined) throw new ConfigError(`config key ${path}.term is missing; expected e.g. {"term": "pytorch"}`);
  const term = expectString(record.term, `${path}.term`).trim();
  // search= reads Boolean operators, parentheses and "phrases" (openalex.md): unbalanced, it silently means something else.
  const problem = balanceProblem(term);
  if (problem) fail(`${path}.term`, `an OpenAlex search with ${problem}`, record.term);
  // OpenAlex refuses a wildcard in search= with HTTP 400 (a genuine answer: README.md, Faults): said now, not every run.
  if (/[*?]/.test(term)) {
    throw new ConfigError(
      `config key ${path}.term holds a wildcard (* or ?), which OpenAlex's search refuses (HTTP 400); write the words out instead, e.g. "pytorch OR torch"`,
    );
  }
  const encoded = encodeURIComponent(term).length;
  if (encoded > MAX_ENCODED_TERM) {
    throw new ConfigError(
      `config key ${path}.term is ${encoded.toLocaleString('en-US')} characters once URL-encoded, more than the ${MAX_ENCODED_TERM.toLocaleString('en-US')} an OpenAlex request can carry (a longer URL is refused with HTTP 431); shorten it, or split it over two frameworks`,
    );
  }
  return { term };
}

/** Top-level `openalex = { fromYear?, toYear?, recentYears? }`. */
export function parseSourcePart(value: unknown, path: string): OpenAlexSourcePart {
  const range = parseYearRange(value, path, {
    defaultFromYear: DEFAULT_FROM_YEAR,
    defaultRecentYears: DEFAULT_RECENT_YEARS,
    minYear: MIN_YEAR,
    maxYear: MAX_YEAR,
    maxRecentYears: MAX_YEARS,
  });
  const { fromYear, toYear } = range;
  if (toYear !== undefined && toYear - fromYear + 1 > MAX_YEARS) {
    throw new ConfigError(
      `config key ${path}.fromYear: ${fromYear}–${toYear} is ${toYear - fromYear + 1} years, more than the ${MAX_YEARS} groups OpenAlex answers in one page; narrow the range`,
    );
  }
  return range;
}
