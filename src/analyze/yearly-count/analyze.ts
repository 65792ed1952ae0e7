import { yearSpan } from '../../core/dates.js';
import type { StoredObservation } from '../../core/observation.js';
import { crossovers } from '../crossovers.js';
import { describedOn } from '../backdated.js';
import { cagr, yoyGrowth } from '../growth.js';
import { estimate, fraction } from '../rounding.js';
import { trendLine } from '../trend-line.js';
import { adjustedValue, completenessInputs, describeAdjustment, estimatePartial, type PartialEstimate } from './adjustment.js';
import { backtest, type BacktestInput, cutoffSummary } from './backtest.js';
import { brokenTotal, matchingTotal, perMillion, totalsByYear } from './per-million.js';
import { latestCountsByYear, rowsByKeyword } from './rows.js';
import { reportYears, type YearlyCountSeries } from './spec.js';
import type { KeywordSeries, YearlyPoint, YearlyReport } from './types.js';

/**
 * Counts per keyword and year: the partial-year adjustment, shares among keywords, growth, CAGR, crossovers,
 * a linear trend and the adjustment backtest. A count observed before its year ended is partial: it enters
 * shares and growth only through its adjusted value and the point is flagged.
 */

export interface YearlyAnalysis {
  report: YearlyReport;
  warnings: string[];
  /** The rows behind the points, for provenance. */
  usedRows: StoredObservation[];
}

/** The year of the day a count describes: a year is partial in it only if it was not over that day. */
const countedYear = (o: StoredObservation) => Number(describedOn(o).slice(0, 4));

/** `rows`: deduplicated rows observed by the as-of date. */
export function analyzeYearly(series: YearlyCountSeries, rows: readonly StoredObservation[], asOf: string): YearlyAnalysis {
  const { keywords } = series;
  const years = reportYears(series, asOf);
  const source = series.source;
  const warnings: string[] = [];
  if (keywords.length > 0 && !years) {
    warnings.push(`${source}: no year range up to ${asOf} is configured (${source}.fromYear), so no years are reported`);
  }
  const usedRows: StoredObservation[] = [];
  const yearList: number[] = [];
  if (years) for (let y = years.fromYear; y <= years.toYear; y++) yearList.push(y);

  // 1. Raw counts, partial flags and partial-year estimates per keyword.
  const byKeyword = rowsByKeyword(rows, series);
  const perKeyword = keywords.map((k) => {
    const mine = byKeyword.get(k.keyword)!;
    const latest = latestCountsByYear(mine, series.metric);
    const estimates = new Map<number, PartialEstimate>();
    for (const year of yearList) {
      const row = latest.get(year);
      if (!row) continue;
      usedRows.push(row);
      if (countedYear(row) <= year) estimates.set(year, estimatePartial(series, mine, k.keyword, row));
    }
    return { ...k, rows: mine, latest, estimates };
  });
  const allEstimates = perKeyword.flatMap((k) => [...k.estimates.values()]);
  const adjustment = describeAdjustment(series, allEstimates);
  const latestPartial = adjustment.partial_year;
  // One line per (year, outcome, reason), naming every keyword it applies to.
  const notices = new Map<string, string[]>();
  for (const e of allEstimates) {
    const { decision } = e;
    let what: string | undefined;
    if (decision.method === 'withheld') what = `${e.year}: no estimate shown: ${decision.reason}`;
    else if (decision.method === 'linear' && series.completeness) {
      what = `${e.year} uses the linear estimate, not lag-aware: ${decision.rejected['lag-aware']}`;
    }
    if (what) notices.set(what, [...(notices.get(what) ?? []), e.keyword]);
  }
  for (const [what, names] of notices) warnings.push(`${source}: ${names.join(', ')} ${what}`);
  for (const e of allEstimates) {
    if (latestPartial !== null && e.year < latestPartial) {
      warnings.push(
        `${source}: ${e.keyword} ${e.year} was last observed on ${e.observedAt}, before the year ended; it is treated as partial and adjusted`,
      );
    }
  }

  // 2. Points with the value used for shares and growth, and the count per million items of its year.
  const asOfYear = Number(asOf.slice(0, 4));
  const points = new Map<string, YearlyPoint[]>();
  const totals = totalsByYear(rows, series);
  const usedTotals = new Set<StoredObservation>();
  const yearsWithoutTotal = new Set<number>();
  // Keyword and year whose total is smaller than the count: per_million withheld (per-million.ts).
  const brokenTotals: string[] = [];
  for (const k of perKeyword) {
    points.set(
      k.keyword,
      yearList.map((year): YearlyPoint => {
        const row = k.latest.get(year);
        const e = k.estimates.get(year);
        const total = row && series.denominator ? matchingTotal(row, totals.get(year)) : undefined;
        if (total) usedTotals.add(total);
        else if (row && series.denominator) yearsWithoutTotal.add(year);
        if (row && total && brokenTotal(row.value, total)) {
          brokenTotals.push(`${k.keyword} ${year} (${row.value} over a total of ${total.value}, observed ${total.observedAt})`);
        }
        const adjusted = e ? adjustedValue(e) : (row?.value ?? null);
        const shown = (method: 'linear' | 'lag-aware') => e !== undefined && e.decision.rejected[method] === undefined;
        return {
          year,
          count: row?.value ?? null,
          adjusted: adjusted === null ? null : estimate(adjusted),
          // An unobserved as-of year is still an unfinished year.
          partial: e !== undefined || (row === undefined && year === asOfYear),
          adjusted_linear: shown('linear') ? estimate(e!.linear) : null,
          adjusted_lag_aware: shown('lag-aware') && e!.lagAware !== undefined ? estimate(e!.lagAware) : null,
          share: null,
          yoy: null,
          observed_at: row?.observedAt ?? null,
          estimate_method: e?.decision.method ?? null,
          withheld_reason: e?.decision.method === 'withheld' ? e.decision.reason : null,
          per_million: row ? perMillion(row.value, total) : null,
        };
      }),
    );
  }
  usedRows.push(...usedTotals);
  if (series.denominator && brokenTotals.length > 0) {
    warnings.push(
      `${source}: per_million is left empty for ${brokenTotals.join('; ')}: a year's total of all ${series.denominator.text.unit} cannot be smaller than one keyword's count, so the stored total is wrong (a broken totals answer); \`collect --full\` asks it again`,
    );
  }
  if (series.denominator && yearsWithoutTotal.size > 0) {
    warnings.push(
      `${source}: per_million is empty for ${yearRanges([...yearsWithoutTotal])}: no total of all ${series.denominator.text.unit} is stored for it yet`,
    );
  }

  // 3. Shares need every keyword's value that year; growth needs the previous year's. Unrounded values feed both.
  const rawAdjusted = (keyword: string, year: number): number | null => {
    const k = perKeyword.find((p) => p.keyword === keyword)!;
    const e = k.estimates.get(year);
    return e ? adjustedValue(e) : (k.latest.get(year)?.value ?? null);
  };
  for (const year of yearList) {
    const values = keywords.map((k) => rawAdjusted(k.keyword, year));
    const sum = values.every((v) => v !== null) ? values.reduce<number>((a, v) => a + v!, 0) : null;
    keywords.forEach((k, i) => {
      const point = points.get(k.keyword)!.find((p) => p.year === year)!;
      if (sum !== null && sum > 0) point.share = fraction(values[i]! / sum);
      const growth = yoyGrowth(rawAdjusted(k.keyword, year - 1), values[i]);
      if (growth !== undefined && year > yearList[0]!) point.yoy = fraction(growth);
    });
  }

  // 4. Per-series summaries over complete years.
  const neverStored: string[] = [];
  const keywordSeries = perKeyword.map((k): KeywordSeries => {
    const pts = points.get(k.keyword)!;
    const complete = pts.filter((p) => !p.partial && p.count !== null);
    const growth = cagr(pts.map((p) => ({ year: p.year, value: p.count, complete: !p.partial })));
    const trend = trendLine(complete.map((p) => ({ year: p.year, value: p.count! })));
    const missing = pts.filter((p) => p.count === null).map((p) => p.year);
    if (missing.length > 0 && missing.length === pts.length) {
      // Never collected (only another source was refreshed so far, say): one line for them all, not every year.
      neverStored.push(k.keyword);
    } else if (missing.length > 0) {
      warnings.push(`${source}: ${k.keyword} has no stored count for ${missing.join(', ')}`);
    }
    const observed = pts
      .map((p) => p.observed_at)
      .filter((d): d is string => d !== null)
      .sort();
    return {
      keyword: k.keyword,
      term: k.term,
      observed_at: observed.at(-1) ?? null,
      points: pts,
      missing_years: missing,
      cagr: growth ? { ...growth, rate: fraction(growth.rate) } : null,
      trend: trend
        ? {
            ...trend,
            slope_per_year: estimate(trend.slope_per_year),
            intercept: estimate(trend.intercept),
            r_squared: fraction(trend.r_squared),
          }
        : null,
    };
  });
  if (neverStored.length > 0) {
    const range = yearList.length > 0 ? ` (${yearSpan(yearList[0]!, yearList.at(-1)!)})` : '';
    warnings.push(
      `${source}: no counts stored yet for ${neverStored.join(', ')}${range}; run \`adoption-metrics collect --sources ${source}\``,
    );
  }

  // 5. Backtest on the completeness data the adjustment used (or the latest stored, when no year is partial).
  const basis = series.completeness;
  const backtestInputs: BacktestInput[] = [];
  // The same scores at the early-year calibration cutoffs, each keyword with what was stored by its date.
  const byCutoff = new Map<string, BacktestInput[]>();
  for (const k of basis ? perKeyword : []) {
    const current = latestPartial === null ? undefined : k.estimates.get(latestPartial);
    const date = current?.observedAt ?? basis!.latestDate(k.rows);
    if (!date) continue;
    const year = Number(date.slice(0, 4));
    backtestInputs.push({ keyword: k.keyword, monthDay: date.slice(5), ...completenessInputs(series, basis!, k.rows, year, date) });
    for (const at of new Set([date, ...basis!.calibration(year)])) {
      const monthDay = at.slice(5);
      const inputs = byCutoff.get(monthDay) ?? [];
      inputs.push({ keyword: k.keyword, monthDay, ...completenessInputs(series, basis!, k.rows, year, date, at) });
      byCutoff.set(monthDay, inputs);
    }
  }
  const cutoffs = [...byCutoff]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([monthDay, inputs]) => cutoffSummary(monthDay, inputs))
    .filter((c) => c.n.linear > 0);
  const backtestText = basis
    ? { missing: basis.text.missing, visible: basis.text.backtest }
    : { missing: `${source} gives no completeness data, so the adjustments cannot be backtested`, visible: '' };

  return {
    report: {
      from_year: years?.fromYear ?? null,
      to_year: years?.toYear ?? null,
      keywords: keywords.map((k) => k.keyword),
      adjustment,
      series: keywordSeries,
      crossovers: crossovers(
        keywordSeries.map((s) => ({
          keyword: s.keyword,
          points: s.points.map((p) => ({ year: p.year, value: p.adjusted, partial: p.partial })),
        })),
      ),
      backtest: backtest(backtestInputs, backtestText, cutoffs),
    },
    warnings,
    usedRows,
  };
}

/** `2015–2019, 2022`: consecutive years as one range, so a long gap stays one short line. */
function yearRanges(years: readonly number[]): string {
  const sorted = [...new Set(years)].sort((a, b) => a - b);
  const parts: string[] = [];
  for (let i = 0; i < sorted.length; i++) {
    let j = i;
    while (j + 1 < sorted.length && sorted[j + 1] === sorted[j]! + 1) j++;
    parts.push(j === i ? String(sorted[i]) : `${sorted[i]}–${sorted[j]}`);
    i = j;
  }
  return parts.join(', ');
}
