import type { PlannedRequest } from './plan.js';

/**
 * OpenAlex prices every call against a daily allowance (openalex.md, "Access"): a `search=` call costs $1 per
 * 1,000, a list call (no search) $0.10 per 1,000, and a free key gets $1 a day. The run says what it will cost
 * in those terms, so a configuration with many frameworks shows where it stands before the allowance runs out.
 */
export const SEARCH_USD = 0.001;
export const LIST_USD = 0.0001;
export const FREE_DAILY_USD = 1;

export interface RunCost {
  searches: number;
  lists: number;
  usd: number;
}

export function runCost(requests: readonly Pick<PlannedRequest, 'search'>[]): RunCost {
  const searches = requests.filter((r) => r.search !== undefined).length;
  const lists = requests.length - searches;
  return { searches, lists, usd: searches * SEARCH_USD + lists * LIST_USD };
}

const usd = (value: number) => `$${value < 0.01 ? value.toFixed(4) : value.toFixed(2)}`;

/** `4 searches ($1 per 1,000) + 1 list call ($0.10 per 1,000) = about $0.0041, 0.41 % of a free key's $1 daily allowance`. */
export function costLine(cost: RunCost): string {
  const share = (100 * cost.usd) / FREE_DAILY_USD;
  const runs = cost.usd > 0 ? Math.floor(FREE_DAILY_USD / cost.usd) : 0;
  return (
    `${cost.searches} search${cost.searches === 1 ? '' : 'es'} ($1 per 1,000) + ${cost.lists} list call${cost.lists === 1 ? '' : 's'} ($0.10 per 1,000) = about ${usd(cost.usd)}, ` +
    `${share < 1 ? share.toFixed(2) : share.toFixed(1)} % of a free key's ${usd(FREE_DAILY_USD)} daily allowance` +
    (runs >= 1 ? ` (${runs.toLocaleString('en-US')} such run${runs === 1 ? '' : 's'} a day fit in it)` : '')
  );
}

/** Said when one run alone would spend more than a free key's day. */
export function overAllowance(cost: RunCost): string | undefined {
  if (cost.usd <= FREE_DAILY_USD) return undefined;
  return `this run's ${cost.searches + cost.lists} requests cost about ${usd(cost.usd)}, more than a free key's ${usd(FREE_DAILY_USD)} daily allowance: OpenAlex will refuse the rest with HTTP 429 once it is spent (fewer frameworks, or a paid plan)`;
}
