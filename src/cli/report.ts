import { existsSync, rmSync, statSync } from 'node:fs';
import { rename } from 'node:fs/promises';
import { errorLine, UsageError } from '../core/errors.js';
import { makeDirectory } from '../core/make-directory.js';
import { removeTemporary, writeNewFileSync } from '../core/no-follow.js';
import { join, resolve } from 'node:path';
import type { AppConfig } from '../config/types.js';
import { temporaryPath } from '../report/atomic-write.js';
import { configuredSeries, partsOf } from '../config/parts.js';
import { skippedForMissingEnv } from '../config/required-env.js';
import { COLLECTORS } from '../registry.js';
import { buildReport, HISTORY_CSV, type Report, renderAudit, renderBacktests, renderSummary, writeReportFiles } from '../report/index.js';
import { storageFailure, unwritable } from '../store/storage-error.js';
import type { Store } from '../store/store.js';
import type { Logger } from '../core/logger.js';
import { writeHistoryCsvInWorker } from './history-csv.js';
import type { CliIo } from './io.js';
import { chartScaleOption, type ParsedOptions } from './options.js';
import type { TerminalStyle } from '../report/scorecard-text.js';

/** Sources that serve only their present state, and how a sentence names their API. */
function presentOnlySources(): Map<string, string> {
  return new Map(COLLECTORS.flatMap((c) => (c.presentOnly ? [[c.id, c.presentOnly] as const] : [])));
}

/** The configured sources the built-in defaults leave out for a missing variable, with the line saying so. */
function skippedSources(config: AppConfig, env: CliIo['env']): Map<string, string> {
  return new Map(
    COLLECTORS.flatMap((c) => {
      const reason = partsOf(c, config) === undefined ? undefined : skippedForMissingEnv(c, config, env);
      return reason === undefined ? [] : [[c.id, reason] as const];
    }),
  );
}

/**
 * `--out` must be a directory, made now if missing, that this process can write: a file is made in it and
 * removed (new, never through a link), so permissions or a read-only mount are said before a run spends its
 * time collecting, not as a raw EACCES/EROFS after it.
 */
export function checkOutDir(out: string, when: 'before' | 'report' = 'before'): void {
  if (existsSync(out) && !statSync(out).isDirectory()) throw new UsageError(`--out ${out} is a file; pass a directory for the reports`);
  try {
    makeDirectory(out);
  } catch (err) {
    throw new UsageError(`--out ${out} cannot be created (${errorLine(err)}); pass a directory you can write`);
  }
  const probe = temporaryPath(join(out, 'write-check'));
  try {
    writeNewFileSync(probe, '');
    rmSync(probe);
  } catch (err) {
    // Checked again when the reports are written: then said as a full disk is, naming the reports.
    const again = 'run `adoption-metrics report` again';
    throw (
      storageFailure(err, `reports in ${out}`, again) ??
      (when === 'report' ? unwritable(err, `reports in ${out}`, again) : undefined) ??
      new UsageError(
        `--out ${out} cannot be written (${errorLine(err)}); pass a directory you can write, or check whether it is mounted read-only`,
      )
    );
  }
}

/** The report options, checked before a run spends its time collecting: `--out`, `--chart-scale`. */
export function checkReportOptions(out: string, options: ParsedOptions): void {
  checkOutDir(out);
  chartScaleOption(options);
}

/**
 * The scorecard's marks: ▲ ▼ ● ○ in colour on a terminal, plain ASCII in a file, a pipe (cron) or with NO_COLOR
 * set to anything but the empty string (https://no-color.org).
 */
export function summaryStyle(io: Pick<CliIo, 'env' | 'stdoutIsTty'>): TerminalStyle {
  return { unicode: io.stdoutIsTty === true && !io.env.NO_COLOR };
}

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
  const out = resolve(args.out);
  checkOutDir(out, 'report');
  // One snapshot of the history for both readers, whatever a concurrent collect commits meanwhile.
  const upToId = args.store.lastObservationId();
  const historyPath = join(out, HISTORY_CSV);
  // Staged beside its target and renamed into place only once the other files are written, so it never
  // describes a report that failed.
  const staged = temporaryPath(historyPath);
  const bom = args.options['csv-bom'] === true || args.config.reports?.csvBom === true;
  const history = writeHistoryCsvInWorker({ dbPath: args.store.file, observedBy: args.asOf, upToId, outPath: staged, bom }, historyPath);
  // Awaited below; handled now too, or a failure while the report is computed would crash the process unreported.
  history.catch(() => undefined);
  let files: string[];
  let replayed: boolean;
  let report: Report;
  try {
    const observations = args.store.observations({ observedBy: args.asOf, upToId });
    if (observations.length === 0) args.log.warn(`no observations up to ${args.asOf} in ${args.store.path}; the reports will be empty`);
    const provenance = args.store.runProvenance();
    const runs = [...new Set(observations.map((o) => o.runId))].sort((a, b) => a - b).map((id) => provenance.get(id));
    replayed = runs.some((run) => run?.origin === 'replayed');
    const notices = [...new Set(runs.map((run) => run?.notice).filter((n): n is string => !!n))];
    report = buildReport({
      observations,
      series: configuredSeries(args.config, COLLECTORS),
      presentOnly: presentOnlySources(),
      skipped: skippedSources(args.config, args.io.env),
      asOf: args.asOf,
      generatedAt: args.io.now().toISOString(),
      replayed,
      notices,
      runs: provenance,
    });
    files = await writeReportFiles(report, out, { bom, chartScale: chartScaleOption(args.options) });
    await history;
    await rename(staged, historyPath);
  } catch (err) {
    await history.catch(() => undefined);
    await removeTemporary(staged);
    // A full disk under the reports, said as such; the database's own failures name the database (main).
    const sqlite = String((err as { code?: unknown })?.code ?? '').startsWith('SQLITE_');
    const again = 'run `adoption-metrics report` again';
    throw (sqlite ? undefined : (storageFailure(err, `reports in ${out}`, again) ?? unwritable(err, `reports in ${out}`, again))) ?? err;
  }
  files.splice(1, 0, historyPath);
  args.log.info(`wrote ${files.length} files to ${out}${replayed ? ' (from REPLAYED data, not live)' : ''}`);
  args.io.stdout(renderSummary(report, summaryStyle(args.io)));
  if (args.options.audit === true) args.io.stdout(`\n${renderAudit(report)}`);
  if (args.options.backtest === true) args.io.stdout(`\n${renderBacktests(report)}`);
}
