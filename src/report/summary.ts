import { type Report, sectionsOf } from '../analyze/report-types.js';
import { sectionSummary } from './kinds.js';
import { renderScorecard, type TerminalStyle } from './scorecard-text.js';
import { renderBacktest } from './yearly-count/backtest-text.js';

/**
 * The terminal summary printed by `report` and `run`: the heading and notices, the scorecard, then each series'
 * latest figures, compact, plain text (`style`: the scorecard's marks, plain ASCII unless asked).
 */
export function renderSummary(report: Report, style?: TerminalStyle): string {
  const origin = { replayed: 'REPLAYED data, not live', live: 'live data', none: 'no data' }[report.data_origin];
  const out = [`Adoption metrics as of ${report.as_of} (${origin}; generated ${report.generated_at})`];
  for (const notice of report.data_notices) out.push(`NOTICE: ${notice}`);
  out.push(...renderScorecard(report.scorecard, style));
  for (const section of report.sections) out.push(...sectionSummary(section));
  if (report.warnings.length > 0) out.push('', 'Warnings:', ...report.warnings.map((w) => `  - ${w}`));
  return `${out.join('\n')}\n`;
}

/** `report --backtest`: the partial-year backtest of every yearly series. */
export function renderBacktests(report: Report): string {
  const sections = sectionsOf(report, 'yearly-count');
  if (sections.length === 0) return 'Partial-year backtest: no yearly series is configured\n';
  return sections.map(renderBacktest).join('\n');
}
