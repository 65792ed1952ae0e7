import { resolve } from 'node:path';
import { type Floor, parseAsOf, utcDate } from '../core/dates.js';
import { errorLine, UsageError } from '../core/errors.js';
import { createLogger, type Logger } from '../core/logger.js';
import { COLLECTORS } from '../registry.js';
import { TOOL_VERSION } from '../core/version.js';
import { loadConfig } from '../config/load.js';
import type { RunLock } from '../store/driver.js';
import { locationSecrets, type StoreLocation, storeLocation } from '../store/location.js';
import { openStore } from '../store/open.js';
import { storageFailure } from '../store/storage-error.js';
import type { Store } from '../store/store.js';
import {
  checkCollectorOptions,
  checkDataOrigin,
  collectAll,
  httpMode,
  type RunState,
  runRedactor,
  selectCollectors,
  withRequiredEnv,
} from './collect.js';
import { copyCommand } from './copy.js';
import { exportHistory, exportRequest } from './export.js';
import { processIo, type CliIo } from './io.js';
import {
  COMMANDS,
  commandHelp,
  globalHelp,
  parseCommandArgs,
  requestTimeoutMs,
  secondsOption,
  stringOption,
  type Command,
} from './options.js';
import { checkReportOptions, writeAllReports } from './report.js';
import { renderStatus } from './status.js';
import { onStopSignal, type StopSignal } from './stop-signals.js';

/** The oldest source's first day: no `--as-of` can observe anything before it. */
function earliestSource(): Floor | undefined {
  const dated = COLLECTORS.filter((c) => c.since !== undefined).sort((a, b) => a.since!.localeCompare(b.since!));
  const first = dated[0];
  return first ? { date: first.since!, source: `${first.id} since ${first.since}` } : undefined;
}

export const DEFAULT_OUT = 'output';

/**
 * Exit codes: 0 success, 1 a source or the storage failed (what succeeded is stored), 2 bad usage or config,
 * 143/130 stopped by SIGTERM/SIGINT (collect and run).
 */
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
  // Messages may quote URLs and API answers: strip every secret any collector holds, and the database's
  // password (PGPASSWORD, or the one in a URL), before printing.
  const secrets: string[] = [];
  let redactor = runRedactor(COLLECTORS, io.env, [io.env.PGPASSWORD]);
  const addSecrets = (more: readonly string[]) => {
    secrets.push(...more);
    redactor = runRedactor(COLLECTORS, io.env, [io.env.PGPASSWORD, ...secrets]);
  };
  let verbose = false;
  const log = createLogger({ verbose: () => verbose, redact: (text) => redactor.text(text), write: (line) => io.stderr(`${line}\n`) });
  let location: StoreLocation | undefined;
  try {
    const options = parseCommandArgs(command, rest);
    if (options.help === true) {
      io.stdout(commandHelp(command));
      return 0;
    }
    verbose = options.verbose === true;
    if (command !== 'copy') {
      location = storeLocation(stringOption(options, 'db'), { cwd: io.cwd, env: io.env });
      addSecrets(locationSecrets(location));
    }
    return await runCommand(command, options, location, io, log, addSecrets);
  } catch (err) {
    // A full disk or a damaged database met while reading or writing it: said naming the database.
    const failure = location?.kind === 'sqlite' ? storageFailure(err, `database ${location.name}`) : undefined;
    log.error(errorLine(failure ?? err));
    return err instanceof UsageError ? 2 : 1;
  }
}

async function runCommand(
  command: Command,
  options: ReturnType<typeof parseCommandArgs>,
  location: StoreLocation | undefined,
  io: CliIo,
  log: Logger,
  addSecrets: (secrets: string[]) => void,
): Promise<number> {
  // `copy` names two databases of its own (--from, --to).
  if (command === 'copy' || location === undefined) return copyCommand(options, io, log, addSecrets);
  // `status` reads only the database: a broken config file must not hide what the last runs did.
  if (command === 'status') {
    const store = await openStore(location, { readonly: true });
    try {
      io.stdout(await renderStatus(store));
    } finally {
      await store.close();
    }
    return 0;
  }
  // `export` too: its flags are checked before the database is opened.
  if (command === 'export') {
    const request = exportRequest(options, io.cwd);
    const store = await openStore(location, { readonly: true, quickCheck: false });
    try {
      const written = await exportHistory(store, request, log);
      log.info(`wrote ${written} observation(s) to ${request.out} (${request.format})`);
    } finally {
      await store.close();
    }
    return 0;
  }

  const today = utcDate(io.now());
  const asOf = parseAsOf(stringOption(options, 'as-of') ?? today, today, '--as-of', earliestSource());
  const config = loadConfig({ path: stringOption(options, 'config'), collectors: COLLECTORS, cwd: io.cwd });
  const out = resolve(io.cwd, stringOption(options, 'out') ?? DEFAULT_OUT);
  if (command === 'report') {
    checkReportOptions(out, options);
    const store = await openStore(location, { readonly: true, quickCheck: false });
    try {
      await writeAllReports({ store, config, asOf, out, options, io, log });
    } finally {
      await store.close();
    }
    return 0;
  }

  // collect / run: validate everything before taking the lock or touching the database.
  const selection = selectCollectors(stringOption(options, 'sources'), config);
  checkCollectorOptions(selection.collectors, options);
  const { mode, collectors: selected } = httpMode(options, selection, log);
  const { collectors, skipped } = withRequiredEnv(selected, { selection, config, mode, env: io.env });
  const lockWaitMs = secondsOption(options, 'lock-wait', 1800, { allowZero: true });
  requestTimeoutMs(options);
  if (command === 'run') checkReportOptions(out, options);
  const store = await openStore(location);
  try {
    await checkDataOrigin(store, mode);
  } catch (err) {
    await store.close();
    throw err;
  }
  let lock: RunLock | undefined;
  const release = () => void lock?.release();
  process.once('exit', release);
  const state: RunState = { stored: 0 };
  // SIGTERM (systemd, kill, a timeout) or SIGINT (Ctrl-C): every write is one transaction, so none is
  // half-done (SQLite's run to their end before a signal is heard; PostgreSQL rolls back one the exit cuts);
  // say so in one line, mark the run interrupted, release the lock, and exit.
  const removeSignalHandlers = onStopSignal((signal, exitCode) => {
    void (async () => {
      const said = await interruptRun(store, state, io.now().toISOString(), signal);
      log.error(`${signal}: ${said}${lock ? '; lock released' : ''}`);
      await lock?.release();
      await store.close();
    })()
      .catch(() => undefined)
      // The lock goes with the process in any case: the kernel drops a file lock, the server ends the session.
      .finally(() => process.exit(exitCode));
  });
  try {
    lock = await store.lockRuns({ waitMs: lockWaitMs, onWait: (m) => log.warn(m), onWarn: (m) => log.warn(m) });
    const interrupted = await store.markInterruptedRuns(io.now().toISOString());
    if (interrupted > 0) log.warn(`${interrupted} earlier run(s) had been interrupted; their committed observations are kept`);
    if (mode.kind === 'replay') {
      log.warn(`REPLAYING recorded responses from ${mode.dir}: these numbers are not live`);
      if (mode.notice) log.warn(`NOTICE from ${mode.dir}: ${mode.notice}`);
    }
    for (const line of skipped) log.warn(line);
    const outcome = await collectAll({ store, config, collectors, options, asOf, today, mode, io, log, command, state });
    if (command === 'run') await writeAllReports({ store, config, asOf, out, options, io, log });
    return outcome.failed.length > 0 ? 1 : 0;
  } finally {
    removeSignalHandlers();
    await lock?.release();
    process.removeListener('exit', release);
    await store.close();
  }
}

/** How long a stopped run waits to mark itself interrupted (a batch being committed on a database server). */
const INTERRUPT_DEADLINE_MS = 5000;

/** Marks the run a signal stopped, and says what became of it, for the one line the signal gets. */
async function interruptRun(store: Store, state: RunState, finishedAt: string, signal: StopSignal): Promise<string> {
  if (state.runId === undefined) return 'stopped before collecting; nothing was stored';
  const kept = `its ${state.stored} stored observation(s) are kept`;
  let timer: NodeJS.Timeout | undefined;
  try {
    const late = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no answer within ${INTERRUPT_DEADLINE_MS / 1000} s`)), INTERRUPT_DEADLINE_MS);
    });
    return (await Promise.race([store.interruptRun(state.runId, `stopped by ${signal}`, finishedAt), late]))
      ? `stopped run ${state.runId}, marked interrupted; ${kept}`
      : `stopped while writing the reports of run ${state.runId}, which had finished; ${kept}`;
  } catch (err) {
    return `stopped run ${state.runId}; ${kept}, but it could not be marked interrupted (${errorLine(err)}); the next run will`;
  } finally {
    clearTimeout(timer);
  }
}
