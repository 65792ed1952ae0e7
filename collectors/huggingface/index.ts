import type { SeriesSpec } from '../../src/analyze/series.js';
import { type CollectContext, type CollectSummary, defineCollector, type Env, type EnvVar } from '../../src/core/collector.js';
import { errorLine, UsageError } from '../../src/core/errors.js';
import type { Observation, StoredObservation } from '../../src/core/observation.js';
import { HostGivenUpError } from '../../src/http/errors.js';
import type { RateLimitPolicy } from '../../src/http/types.js';
import {
  DEFAULT_FRAMEWORK_PARTS,
  HF_ID,
  HF_METHODS,
  HF_METRIC,
  HF_MONTHLY_METRIC,
  type HfMethod,
  type HfSourcePart,
  parseFrameworkPart,
  parseSourcePart,
} from './config.js';
import { createExactCounter, type ExactResult } from './count-exact.js';
import { monthCodeOfDate, monthLabel, UNDATED_CODE } from './created-month.js';
import { createFastCounter } from './count-fast.js';
import type { HfFrameworkPart } from './labels.js';
import { type PlannedFramework, planCounts } from './plan.js';
import { hfSeries } from './series.js';

export { HF_ID, HF_METHODS, HF_METRIC, HF_MONTHLY_METRIC, type HfMethod, type HfSourcePart } from './config.js';
export type { HfFrameworkPart } from './labels.js';

/**
 * Stored with every observation; bump it when the way a number is counted changes. 1.1.0: the exact listing
 * is walked in creation order (a stable cursor) and also gives the monthly counts.
 */
export const HF_VERSION = '1.1.0';

/** Public endpoint; `HF_ENDPOINT` overrides it as in huggingface_hub `constants.py` (reference §4). */
export const DEFAULT_HF_ENDPOINT = 'https://huggingface.co';

/** `both`: exact and fast values further apart than this share of the exact value raise a warning. */
export const DISAGREEMENT_THRESHOLD = 0.01;

export function hfEndpoint(env: Env): string {
  const value = env.HF_ENDPOINT?.trim();
  return (value ? value : DEFAULT_HF_ENDPOINT).replace(/\/+$/, '');
}

/** `HF_TOKEN`, else the legacy `HUGGING_FACE_HUB_TOKEN` (huggingface_hub `utils/_auth.py`, reference §4). */
export function hfToken(env: Env): string | undefined {
  const token = env.HF_TOKEN?.trim() || env.HUGGING_FACE_HUB_TOKEN?.trim();
  return token ? token : undefined;
}

/** The Hub's environment variables, declared once for every source served from the Hub. */
export const HF_ENV: readonly EnvVar[] = [
  {
    name: 'HF_ENDPOINT',
    description: 'Hub base URL (default https://huggingface.co; mirrors such as https://hf-mirror.com work)',
    endpoint: DEFAULT_HF_ENDPOINT,
  },
  { name: 'HF_TOKEN', description: 'Hub token, sent as `Authorization: Bearer`; raises the 5-minute budget', secret: true },
  { name: 'HUGGING_FACE_HUB_TOKEN', description: 'legacy name of HF_TOKEN, read when HF_TOKEN is unset', secret: true },
];

/** The token as a bearer header, and as a secret the HTTP layer redacts. */
export function hfCredentials(env: Env): { headers: Record<string, string>; secrets: string[] } {
  const token = hfToken(env);
  return token ? { headers: { authorization: `Bearer ${token}` }, secrets: [token] } : { headers: {}, secrets: [] };
}

/**
 * https://huggingface.co/docs/hub/rate-limits (hub-docs `docs/hub/rate-limits.md`, September 2025): fixed
 * 5-minute windows; the "API" bucket allows 500 requests per IP anonymously and 1,000 for a free user
 * (PRO 2,500; we assume the lowest plan a token can belong to). The website's `/models-json` probably
 * falls in the "Pages" bucket (100 / 200); `fast` makes one request per count, far below it for the
 * default comparisons. Concurrency 4 lets independent queries overlap (pages of one query are
 * sequential); the 10 ms spacing only keeps starts from bunching, the window does the pacing.
 */
export function hfRateLimit(env: Env): RateLimitPolicy {
  return {
    maxRequests: hfToken(env) ? 1000 : 500,
    windowMs: 300_000,
    concurrency: 4,
    minSpacingMs: 10,
  };
}

export const huggingface = defineCollector<HfFrameworkPart, HfSourcePart, SeriesSpec>({
  id: HF_ID,
  version: HF_VERSION,
  description: 'Hugging Face Hub: models carrying each framework tag and each combination, at request time',
  env: HF_ENV,
  baseUrl: hfEndpoint,
  rateLimit: hfRateLimit,
  credentials: hfCredentials,
  options: [
    {
      name: 'hf-method',
      description: 'Hub counting: exact (page through /api/models), fast (website numTotalItems, unofficial) or both',
      values: HF_METHODS,
    },
  ],
  presentOnly: 'the Hub API',
  parseFrameworkPart,
  parseSourcePart,
  defaultFrameworkParts: DEFAULT_FRAMEWORK_PARTS,
  series: hfSeries,
  collect,
});

function resolveMethod(option: string | undefined, configured: HfMethod): HfMethod {
  if (option === undefined) return configured;
  if (!(HF_METHODS as readonly string[]).includes(option)) {
    throw new UsageError(`--hf-method ${option} is not known; use one of ${HF_METHODS.join(', ')}`);
  }
  return option as HfMethod;
}

/** The comparisons with each framework's parsed tags (names were checked against the frameworks when parsed). */
function plannedComparisons(ctx: CollectContext<HfFrameworkPart, HfSourcePart>): PlannedFramework[][] {
  const parts = new Map(ctx.frameworks.map((f) => [f.name, f.part]));
  return ctx.source.comparisons.map((names) => names.map((name) => ({ name, part: parts.get(name)! })));
}

async function collect(ctx: CollectContext<HfFrameworkPart, HfSourcePart>): Promise<CollectSummary> {
  const method = resolveMethod(ctx.options['hf-method'], ctx.source.method);
  const plan = planCounts(plannedComparisons(ctx));
  const baseUrl = hfEndpoint(ctx.env);
  const redact = (text: string) => ctx.http.redact(text);
  if (plan.length === 0) {
    ctx.log.info(`${HF_ID}: nothing to count, no comparison is configured (${HF_ID}.comparisons)`);
    return { stored: 0, problems: [], warnings: [] };
  }

  if (ctx.http.replaying) {
    ctx.log.info(`${HF_ID}: replaying recorded Hub answers; the counts are the Hub's at recording time, stored under ${ctx.asOf}`);
  } else if (ctx.asOf < ctx.today) {
    ctx.log.warn(
      `${HF_ID}: the Hub has no history; counts reflect the time of the request (${ctx.today}), not the as-of date ${ctx.asOf}, under which they are stored`,
    );
  }
  ctx.log.info(`${HF_ID}: ${plan.length} count(s) by ${method} from ${baseUrl}: ${plan.map((c) => c.subject).join(', ')}`);

  const storedMonths = storedHistograms(await ctx.history.latest({ metric: HF_MONTHLY_METRIC }), ctx.asOf);
  const exact = createExactCounter({ http: ctx.http, baseUrl, log: ctx.log, signal: ctx.signal, today: ctx.today });
  const fast = createFastCounter({ http: ctx.http, baseUrl, signal: ctx.signal });
  // By plan position, so problems are listed in plan order whatever order the counts end in.
  const problems: (string | undefined)[][] = plan.map(() => []);
  const warnings: string[] = [];
  let stored = 0;

  async function measure(index: number, how: 'exact' | 'fast'): Promise<number | undefined> {
    const count = plan[index]!;
    try {
      const exactResult = how === 'exact' ? await exact.count(count.terms) : undefined;
      const result = exactResult ?? (await fast.count(count.terms));
      const observation: Observation = {
        source: HF_ID,
        metric: HF_METRIC,
        subject: count.subject,
        period: ctx.asOf,
        method: how,
        value: result.value,
        observedAt: ctx.asOf,
        query: redact(result.query),
        collectorVersion: HF_VERSION,
      };
      const months = exactResult ? changedMonths(monthlyObservations(observation, exactResult, ctx.asOf), storedMonths) : [];
      const batch = [observation, ...months];
      // Stored as soon as the count is complete, the total and its months in one transaction, so a later
      // failure keeps them and no histogram is ever stored without its total.
      await ctx.emit(batch);
      stored += batch.length;
      const detail = exactResult ? `, ${exactResult.pages} page(s), ${months.length} changed monthly count(s)` : '';
      ctx.log.info(`${HF_ID}: ${count.subject} = ${result.value} (${how}${detail})`);
      return result.value;
    } catch (err) {
      // A host given up (refused, unreachable, a rate limit that does not clear) stops the whole source.
      if (ctx.signal?.aborted || err instanceof HostGivenUpError) throw err;
      problems[index]![how === 'exact' ? 0 : 1] = `${count.subject} (${how}): ${redact(errorLine(err))}`;
      return undefined;
    }
  }

  await Promise.all(
    plan.map(async (count, index) => {
      const [exactValue, fastValue] = await Promise.all([
        method === 'fast' ? undefined : measure(index, 'exact'),
        method === 'exact' ? undefined : measure(index, 'fast'),
      ]);
      if (exactValue === undefined || fastValue === undefined) return;
      const warning = disagreement(count.subject, exactValue, fastValue);
      if (warning) warnings.push(warning);
    }),
  );
  ctx.signal?.throwIfAborted();
  return { stored, problems: problems.flat().filter((p): p is string => p !== undefined), warnings };
}

/** A warning when the two methods differ by more than DISAGREEMENT_THRESHOLD of the exact value. */
export function disagreement(subject: string, exactValue: number, fastValue: number): string | undefined {
  const diff = Math.abs(exactValue - fastValue);
  const share = exactValue === 0 ? (diff === 0 ? 0 : Infinity) : diff / exactValue;
  if (share <= DISAGREEMENT_THRESHOLD) return undefined;
  const pct = Number.isFinite(share) ? `${(share * 100).toFixed(1)} %` : 'more than 100 %';
  return `${subject}: exact ${exactValue} and fast ${fastValue} differ by ${pct} (over ${DISAGREEMENT_THRESHOLD * 100} %); the website count is unofficial and may filter differently`;
}

/**
 * The models of one exact count per creation month: `undated` always (so a histogram with no model is still
 * told apart from one never stored), then every month from the earliest dated one to the as-of month (or the
 * latest, if later), zeros included, so they sum to the total. `changedMonths` then keeps only what moved
 * since the stored histogram.
 */
export function monthlyObservations(total: Observation, result: ExactResult, asOf: string): Observation[] {
  const dated = [...result.months.keys()].filter((code) => code !== UNDATED_CODE);
  const codes = [UNDATED_CODE];
  if (dated.length > 0) {
    const last = Math.max(...dated, monthCodeOfDate(asOf));
    for (let code = Math.min(...dated); code <= last; code++) codes.push(code);
  }
  return codes.map((code) => ({
    ...total,
    metric: HF_MONTHLY_METRIC,
    period: monthLabel(code),
    value: result.months.get(code) ?? 0,
  }));
}

/**
 * The histograms already stored, as the latest good value of each (subject, query, month); undefined for a
 * subject stored under a later date than `asOf` (a back-dated run then stores its whole histogram).
 */
export function storedHistograms(latest: readonly StoredObservation[], asOf: string): Map<string, Map<string, number> | undefined> {
  const bySeries = new Map<string, Map<string, number> | undefined>();
  for (const o of latest) {
    if (o.method !== 'exact') continue;
    const key = `${o.subject}\u0000${o.query}`;
    // Marked undefined once: a row stored under a later date than this run's.
    if (bySeries.has(key) && bySeries.get(key) === undefined) continue;
    if (o.observedAt > asOf) {
      bySeries.set(key, undefined);
      continue;
    }
    const months = bySeries.get(key) ?? new Map<string, number>();
    months.set(o.period, o.value);
    bySeries.set(key, months);
  }
  return bySeries;
}

/**
 * Only the months whose count differs from the stored histogram, and a 0 for a month stored before that is no
 * longer listed. A histogram changes little from day to day (this month's count, a deletion now and then), and
 * storing it whole every day would add about 170 rows a day to the history every report reads; the analysis
 * rebuilds each day's histogram from the latest value of each month (src/analyze/monthly-overlap). A subject
 * with nothing stored (or stored later than this run's date) gets its whole histogram.
 */
export function changedMonths(
  months: readonly Observation[],
  stored: ReadonlyMap<string, ReadonlyMap<string, number> | undefined>,
): Observation[] {
  const [first] = months;
  if (!first) return [];
  const before = stored.get(`${first.subject}\u0000${first.query}`);
  if (!before) return [...months];
  const now = new Set(months.map((m) => m.period));
  const gone = [...before].filter(([period, value]) => !now.has(period) && value !== 0).map(([period]) => ({ ...first, period, value: 0 }));
  return [...months.filter((m) => before.get(m.period) !== m.value), ...gone];
}
