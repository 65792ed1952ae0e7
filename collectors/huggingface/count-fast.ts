import { HostGivenUpError } from '../../src/http/errors.js';
import type { HttpClient } from '../../src/http/types.js';
import { tagSetKey } from './config.js';
import { QueryError } from './count-exact.js';
import { parseModelsJsonCount } from './schema.js';

/**
 * Tags the website filters with `library=` rather than `other=` (💭: from the "Libraries" filter on
 * huggingface.co/models, which lists the weight-format tags next to the modelling libraries of huggingface.js
 * `packages/tasks/src/model-libraries.ts` whose `filter` flag is set). Any other tag goes to `other=`. A tag
 * in the wrong group is filtered as the wrong thing (or ignored) by the website, so `--hf-method both`
 * is the way to check a new tag: the two methods disagree when it is misplaced.
 */
export const LIBRARY_TAGS: ReadonlySet<string> = new Set([
  // Weight formats and frameworks (set from the files in the repo; reference §3).
  'pytorch',
  'tf',
  'jax',
  'keras',
  'tf-keras',
  'safetensors',
  'onnx',
  'gguf',
  'tflite',
  'coreml',
  'openvino',
  'mlx',
  'paddlepaddle',
  'tensorboard',
  'joblib',
  // Modelling libraries (`library_name` values).
  'transformers',
  'diffusers',
  'sentence-transformers',
  'peft',
  'timm',
  'transformers.js',
  'adapter-transformers',
  'allennlp',
  'asteroid',
  'bertopic',
  'espnet',
  'fairseq',
  'fastai',
  'fasttext',
  'flair',
  'ml-agents',
  'setfit',
  'sklearn',
  'spacy',
  'speechbrain',
  'stable-baselines3',
]);

/**
 * `/models-json?library=a,b&other=c&p=0&withCount=true`. Comma-separated values are meant as an AND of the
 * tags; that form is unverified (reference §1: "repeating library= for an AND query is unverified").
 */
export function fastQuery(tags: readonly string[]): string {
  const library = tags.filter((t) => LIBRARY_TAGS.has(t));
  const other = tags.filter((t) => !LIBRARY_TAGS.has(t));
  const params: string[] = [];
  if (library.length > 0) params.push(`library=${library.map(encodeURIComponent).join(',')}`);
  if (other.length > 0) params.push(`other=${other.map(encodeURIComponent).join(',')}`);
  params.push('p=0', 'withCount=true');
  return `/models-json?${params.join('&')}`;
}

/** More distinct intersections than this for one count would spend most of an anonymous "Pages" budget (100 per 5 min). */
export const MAX_FAST_QUERIES = 64;

export interface FastResult {
  value: number;
  /** The terms' queries joined by ` OR ` (the value of a union comes from their intersections, see README). */
  query: string;
}

/**
 * Fast counts: one request per tag set, reading `numTotalItems`. A union of terms T1…Tk is computed by
 * inclusion–exclusion, |∪Ti| = Σ over non-empty J of (−1)^(|J|+1)·|∩J|, where an intersection of
 * conjunctions is the conjunction of all their tags; counts are memoised by canonical tag set.
 */
export function createFastCounter(options: { http: HttpClient; baseUrl: string; signal?: AbortSignal }) {
  const memo = new Map<string, Promise<number>>();

  function total(tags: readonly string[]): Promise<number> {
    const key = tagSetKey(tags);
    let pending = memo.get(key);
    if (!pending) {
      pending = (async () => {
        options.signal?.throwIfAborted();
        const query = fastQuery(tags);
        let body: string;
        try {
          body = (await options.http.get(options.baseUrl + query)).body;
        } catch (err) {
          // A host given up fails the whole source, not this query: passed on as it is.
          if (err instanceof HostGivenUpError) throw err;
          throw new QueryError(`${query}: page 1: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
        }
        try {
          return parseModelsJsonCount(body);
        } catch (err) {
          throw new QueryError(`${query}: page 1: ${(err as Error).message}`, { cause: err });
        }
      })();
      pending.catch(() => undefined);
      memo.set(key, pending);
    }
    return pending;
  }

  return {
    async count(terms: readonly (readonly string[])[]): Promise<FastResult> {
      const query = terms.map((t) => fastQuery(t)).join(' OR ');
      const signed = inclusionExclusion(terms);
      if (signed.size > MAX_FAST_QUERIES) {
        throw new QueryError(
          `${query}: ${terms.length} alternatives need ${signed.size} website queries (more than ${MAX_FAST_QUERIES}); use --hf-method exact`,
        );
      }
      const parts = await Promise.all([...signed.values()].map(async ({ tags, sign }) => sign * (await total(tags))));
      return { value: parts.reduce((a, b) => a + b, 0), query };
    },
  };
}

/**
 * The signed intersections of inclusion–exclusion, merged by canonical tag set (coefficients of equal
 * intersections add up; zero ones are dropped). A single term gives itself with sign +1.
 */
export function inclusionExclusion(terms: readonly (readonly string[])[]): Map<string, { tags: string[]; sign: number }> {
  if (terms.length > 20) throw new QueryError(`${terms.length} alternatives are too many to combine; use --hf-method exact`);
  const out = new Map<string, { tags: string[]; sign: number }>();
  for (let mask = 1; mask < 1 << terms.length; mask++) {
    const tags: string[] = [];
    let size = 0;
    terms.forEach((term, i) => {
      if (mask & (1 << i)) {
        size++;
        for (const t of term) if (!tags.includes(t)) tags.push(t);
      }
    });
    const key = tagSetKey(tags);
    const entry = out.get(key) ?? { tags, sign: 0 };
    entry.sign += size % 2 === 1 ? 1 : -1;
    out.set(key, entry);
  }
  for (const [key, entry] of out) if (entry.sign === 0) out.delete(key);
  return out;
}
