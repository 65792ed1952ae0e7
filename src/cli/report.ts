import { resolve } from 'node:path';
import type { AppConfig } from '../config/types.js';
import { buildReport, renderAudit, renderBacktest, renderSummary, writeReports } from '../report/index.js';
import type { Store } from '../store/store.js';
import type { Logger } from '../core/logger.js';
import type { CliIo } from './io.js';
import type { ParsedOptions } from './options.js';

/** Builds every report from what is stored (the latest good data per series) and writes them to `out`. */
export async function writeAllReports(args: {
  store: Store;
  config: AppConfig;
  asOf: string;
  out: string;
  options: ParsedOptions;
  io: CliIo;
  log: Logger;
}): Promise<void> {
  const observations = args.store.observations().filter((o) => o.observedAt <= args.asOf);
  if (observations.length === 0) args.log.warn(`no observations up to ${args.asOf} in ${args.store.path}; the reports will be empty`);
  const origins = args.store.runOrigins();
  const replayed = observations.some((o) => origins.get(o.runId) === 'replayed');
  const report = buildReport({
    observations,
    config: args.config,
    asOf: args.asOf,
    generatedAt: args.io.now().toISOString(),
    replayed,
  });
  const files = await writeReports(report, observations, resolve(args.out));
  args.log.info(`wrote ${files.length} files to ${resolve(args.out)}${replayed ? ' (from REPLAYED data, not live)' : ''}`);
  args.io.stdout(renderSummary(report));
  if (args.options.audit === true) args.io.stdout('\n' + renderAudit(report));
  if (args.options.backtest === true) args.io.stdout('\n' + renderBacktest(report));
}
