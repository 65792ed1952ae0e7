/**
 * OpenAlex charges every `group_by` request 1 credit, $0.0001, with or without `search=` or filters: a genuine
 * keyed answer says `meta.cost_usd: 0.0001` and `X-RateLimit-Cost-USD: 0.0001` (issue 19), and OpenAlex's own
 * API proxy prices any group_by at one credit (ourresearch/openalex-api-proxy, src/endpointClassifier.ts). A
 * free key gets $1 a day, 10,000 credits, renewed at midnight UTC. The run says what it will cost before it
 * starts; what OpenAlex actually charged, and what is left of the day, is read from its answers (index.ts).
 * Counted in whole credits, so no sum of dollars drifts by a rounding error.
 */
export const CREDIT_USD = 0.0001;
/** Credits of one `group_by` request. */
export const GROUP_BY_CREDITS = 1;
/** A free key's daily allowance: $1. */
export const FREE_DAILY_CREDITS = 10_000;

export interface RunCost {
  requests: number;
  credits: number;
  usd: number;
}

export function runCost(requests: readonly unknown[]): RunCost {
  const credits = requests.length * GROUP_BY_CREDITS;
  return { requests: requests.length, credits, usd: credits * CREDIT_USD };
}

/** `$1.00`, `$0.0005`, `$0.9997`: cents when the amount is whole cents, else the credit's four decimals. */
export function usd(value: number): string {
  return `$${Number.isInteger(Math.round(value * 10_000) / 100) ? value.toFixed(2) : value.toFixed(4)}`;
}
const FREE_DAILY_USD = usd(FREE_DAILY_CREDITS * CREDIT_USD);

/** `5 group_by requests at $0.0001 each = $0.0005, 0.05 % of a free key's $1.00 daily allowance (2,000 such runs a day fit in it)`. */
export function costLine(cost: RunCost): string {
  const share = (100 * cost.credits) / FREE_DAILY_CREDITS;
  const runs = cost.credits > 0 ? Math.floor(FREE_DAILY_CREDITS / cost.credits) : 0;
  return (
    `${cost.requests} group_by request${cost.requests === 1 ? '' : 's'} at ${usd(GROUP_BY_CREDITS * CREDIT_USD)} each = ${usd(cost.usd)}, ` +
    `${share < 1 ? share.toFixed(2) : share.toFixed(1)} % of a free key's ${FREE_DAILY_USD} daily allowance` +
    (runs >= 1 ? ` (${runs.toLocaleString('en-US')} such run${runs === 1 ? '' : 's'} a day fit in it)` : '')
  );
}

/** Said when one run alone would spend more than a free key's day (over 10,000 requests: about 10,000 frameworks). */
export function overAllowance(cost: RunCost): string | undefined {
  if (cost.credits <= FREE_DAILY_CREDITS) return undefined;
  return `this run's ${cost.requests} requests cost ${usd(cost.usd)}, more than a free key's ${FREE_DAILY_USD} daily allowance: OpenAlex will refuse the rest with HTTP 429 once it is spent (fewer frameworks, or a paid plan)`;
}
