import type { StoredObservation } from '../core/observation.js';
import type { HubMethod } from './hub-config.js';
import type { PubmedKeyword } from './pubmed-config.js';
import type { Methodology, QueryRecord } from './report-types.js';
import { TOLERANCES } from './claims-audit.js';

/** The "how was this computed" block of report.json, in words a reader can check against the numbers. */

/** One query per series (source, metric, subject, method): the one behind its most recent period. */
export function queryRecords(rows: readonly StoredObservation[]): QueryRecord[] {
  const bySeries = new Map<string, StoredObservation>();
  for (const o of rows) {
    const key = [o.source, o.metric, o.subject, o.method].join('\u0000');
    const seen = bySeries.get(key);
    if (!seen || o.period > seen.period) bySeries.set(key, o);
  }
  return [...bySeries.values()]
    .sort(
      (a, b) =>
        a.source.localeCompare(b.source) ||
        a.metric.localeCompare(b.metric) ||
        a.subject.localeCompare(b.subject) ||
        a.method.localeCompare(b.method),
    )
    .map((o) => ({
      source: o.source,
      metric: o.metric,
      subject: o.subject,
      method: o.method,
      period: o.period,
      observed_at: o.observedAt,
      query: o.query,
    }));
}

export function methodology(args: {
  hubMethod: HubMethod | null;
  keywords: readonly PubmedKeyword[];
  usedRows: readonly StoredObservation[];
}): Methodology {
  return {
    huggingface: {
      configured_method: args.hubMethod,
      method_choice:
        'per observation date, exact counts when every subset was counted exactly, else fast counts; methods are never mixed within a date',
      segments:
        'the Hub counts models carrying all of a set of framework tags; models in exactly one subset follow by inclusion-exclusion (sum over supersets T of (-1)^(|T|-|S|) count(T)); a negative result is reported as inconsistent data and the date skipped',
      shares:
        'segment models / models carrying at least one framework of the comparison (the union); availability = models carrying a framework (alone or with others) / the union, so availabilities add up to more than 100 %',
    },
    pubmed: {
      terms: args.keywords.map((k) => ({ keyword: k.keyword, term: k.term })),
      shares:
        'keyword count / sum of all configured keywords that year (mentions, not distinct papers: a paper naming two frameworks counts for both); empty when a keyword lacks that year',
      partial_year:
        'a count observed before its year ended is partial; shares and growth use its adjusted value and the point is flagged. lag-aware: count / mean completeness c of the last 3 complete years, c_Y = papers of Y whose record was created by the same month/day of Y (interpolated between the first and last day of that month) / papers of Y; linear: count * days in year / day of year of the observation date (that day counted). Lag-aware is used when every keyword has completeness data, else linear for all',
      growth: 'yoy = value / previous year - 1 on adjusted values; CAGR from the first year with a count above 0 to the last complete year',
      trend: 'least-squares line (simple-statistics linearRegression, rSquared) through the complete years',
      crossovers:
        'for each ordered pair, the first year the leader exceeds the trailer after a year it did not (years with a missing value skipped; on adjusted values)',
    },
    audit: `${TOLERANCES.almost}; ${TOLERANCES.about}; checked against the latest usable date of the PyTorch vs TensorFlow comparison`,
    queries: queryRecords(args.usedRows),
  };
}
