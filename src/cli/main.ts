import { resolve } from 'node:path';
import { parseAsOf, utcDate } from '../core/dates.js';
import { errorLine, UsageError } from '../core/errors.js';
import { createLogger, type Logger } from '../core/logger.js';
import { COLLECTORS } from '../core/registry.js';
import { TOOL_VERSION } from '../core/version.js';
import { loadConfig } from '../config/load.js';
import { acquireRunLock, type RunLock } from '../store/run-lock.js';
import { Store } from '../store/store.js';
import { checkCollectorOptions, checkDataOrigin, collectAll, httpMode, runRedactor, selectCollectors } from './collect.js';
import { processIo, type CliIo } from './io.js';
import { COMMANDS, commandHelp, globalHelp, parseCommandArgs, secondsOption, stringOption, type Command } from './options.js';
import { checkReportOptions, writeAllReports } from './report.js';
import { renderStatus } from './status.js';

export const DEFAULT_DB = 'output/adoption.sqlite';
export const DEFAULT_OUT = 'output';

/** Exit codes: 0 success, 1 a source failed (what succeeded is stored), 2 bad usage or config. */
export async function main(argv: string[], io: CliIo = processIo()): Promise<number> {
  const [first, ...rest] = argv;
  if (first === '--version' || first === '-V') {
    io.stdout(`${TOOL_VERSION}\n`);
    return 0;
  }
  if (first === undefined || first === '--help' || first === '-h' || first === 'help') {
    io.stdout(globalHelp(TOOL_VERSION));
    return first === undefined ? 2 : 0;
  }
  if (!COMMANDS.includes(first as Command)) {
    io.stderr(`error unknown command ${first}; use one of ${COMMANDS.join(', ')} (see adoption-metrics --help)\n`);
    return 2;
  }
  const command = first as Command;
  // Messages may quote URLs and API answers: strip every secret any collector holds before printing.
  const redactor = runRedactor(COLLECTORS, io.env);
  let verbose = false;
  const log = createLogger({ verbose: () => verbose, redact: redactor.text, write: (line) => io.stderr(`${line}\n`) });
  try {
    const options = parseCommandArgs(command, rest);
    if (options.help === true) {
      io.stdout(commandHelp(command));
      return 0;
    }
    verbose = options.verbose === true;
    return await runCommand(command, options, io, log);
  } catch (err) {
    log.error(errorLine(err));
    return err instanceof UsageError ? 2 : 1;
  }
}

async function runCommand(command: Command, options: ReturnType<typeof parseCommandArgs>, io: CliIo, log: Logger): Promise<number> {
  const today = utcDate(io.now());
  const asOf = parseAsOf(stringOption(options, 'as-of') ?? today, today);
  const dbPath = resolve(io.cwd, stringOption(options, 'db') ?? DEFAULT_DB);
  const config = loadConfig({ path: stringOption(options, 'config'), collectors: COLLECTORS, cwd: io.cwd });

  if (command === 'status') {
    const store = Store.open(dbPath, { readonly: true });
    try {
      io.stdout(renderStatus(store));
    } finally {
      store.close();
    }
    return 0;
  }

  const out = resolve(io.cwd, stringOption(options, 'out') ?? DEFAULT_OUT);
  if (command === 'report') {
    checkReportOptions(out, options);
    const store = Store.open(dbPath, { readonly: true });
    try {
      await writeAllReports({ store, config, asOf, out, options, io, log });
    } finally {
      store.close();
    }
    return 0;
  }

  // collect / run: validate everything before taking the lock or touching the database.
  const selection = selectCollectors(stringOption(options, 'sources'), config);
  checkCollectorOptions(selection.collectors, options);
  const { mode, collectors } = httpMode(options, selection, log);
  const lockWaitMs = secondsOption(options, 'lock-wait', 1800);
  secondsOption(options, 'timeout', 30);
  if (command === 'run') checkReportOptions(out, options);
  const store = Store.open(dbPath);
  try {
    checkDataOrigin(store, mode);
  } catch (err) {
    store.close();
    throw err;
  }
  let lock: RunLock | undefined;
  const release = () => lock?.release();
  process.once('exit', release);
  try {
    lock = await acquireRunLock(dbPath, { waitMs: lockWaitMs, onWait: (m) => log.warn(m) });
    const interrupted = store.markInterruptedRuns(io.now().toISOString());
    if (interrupted > 0) log.warn(`${interrupted} earlier run(s) had been interrupted; their committed observations are kept`);
    if (mode.kind === 'replay') {
      log.warn(`REPLAYING recorded responses from ${mode.dir}: these numbers are not live`);
      if (mode.notice) log.warn(`NOTICE from ${mode.dir}: ${mode.notice}`);
    }
    const outcome = await collectAll({ store, config, collectors, options, asOf, today, mode, io, log, command });
    if (command === 'run') await writeAllReports({ store, config, asOf, out, options, io, log });
    return outcome.failed.length > 0 ? 1 : 0;
  } finally {
    release();
    process.removeListener('exit', release);
    store.close();
  }
}
