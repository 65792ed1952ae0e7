import { existsSync, rmSync, statSync } from 'node:fs';
import { errorLine, UsageError } from '../core/errors.js';
import { makeDirectory } from '../core/make-directory.js';
import { writeNewFileSync } from '../core/no-follow.js';
import { join, resolve } from 'node:path';
import { readReportRows } from '../analyze/read-rows.js';
import type { AppConfig } from '../config/types.js';
import { temporaryPath } from '../report/atomic-write.js';
import { configuredSeries, partsOf } from '../config/parts.js';
import { skippedForMissingEnv } from '../config/required-env.js';
import { COLLECTORS } from '../registry.js';
import { buildReport, type Report, renderAudit, renderBacktests, renderSummary, writeReports } from '../report/index.js';
import { storageFailure, unwritable } from '../store/storage-error.js';
import type { Store } from '../store/store.js';
import type { Logger } from '../core/logger.js';
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

/**
 * Builds every report from what is stored (the latest good data per series) and writes them to `out`. It reads
 * only the rows its figures rest on (what each series' kind says its analysis reads, answered by the store), and
 * observations.csv lists exactly those, with the values held back as suspect that its warnings name.
 */
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
  const { store, asOf } = args;
  // One history for every read, whatever a concurrent collect commits meanwhile.
  const upToId = await store.lastObservationId();
  const bom = args.options['csv-bom'] === true || args.config.reports?.csvBom === true;
  const series = configuredSeries(args.config, COLLECTORS);
  const used = await readReportRows(series, asOf, (selections) => store.selectRows(selections, { upToId }));
  const observations = [...used, ...(await store.heldBackRows({ observedBy: asOf, upToId }))];
  if (observations.length === 0) {
    const why = (await store.hasObservations({ observedBy: asOf, upToId })) ? 'of the configured series ' : '';
    args.log.warn(`no observations ${why}up to ${asOf} in ${store.path}; the reports will be empty`);
  }
  const runIds = new Set(observations.map((o) => o.runId));
  const provenance = await store.runProvenance(runIds);
  const runs = [...runIds].sort((a, b) => a - b).map((id) => provenance.get(id));
  const replayed = runs.some((run) => run?.origin === 'replayed');
  const notices = [...new Set(runs.map((run) => run?.notice).filter((n): n is string => !!n))];
  const report: Report = buildReport({
    observations,
    selected: true,
    series,
    presentOnly: presentOnlySources(),
    skipped: skippedSources(args.config, args.io.env),
    asOf,
    generatedAt: args.io.now().toISOString(),
    replayed,
    notices,
    runs: provenance,
  });
  let files: string[];
  try {
    files = await writeReports(report, observations, out, { bom, chartScale: chartScaleOption(args.options) });
  } catch (err) {
    // A full disk or an unwritable folder under the reports, said as such.
    const again = 'run `adoption-metrics report` again';
    throw storageFailure(err, `reports in ${out}`, again) ?? unwritable(err, `reports in ${out}`, again) ?? err;
  }
  args.log.info(`wrote ${files.length} files to ${out}${replayed ? ' (from REPLAYED data, not live)' : ''}`);
  args.io.stdout(renderSummary(report, summaryStyle(args.io)));
  if (args.options.audit === true) args.io.stdout(`\n${renderAudit(report)}`);
  if (args.options.backtest === true) args.io.stdout(`\n${renderBacktests(report)}`);
}
