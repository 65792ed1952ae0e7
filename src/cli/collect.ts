import { accessSync, constants, existsSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { partsOf } from '../config/parts.js';
import type { CollectContext, Collector, Env } from '../core/collector.js';
import { CollectorError, errorLine, UsageError } from '../core/errors.js';
import { makeDirectory } from '../core/make-directory.js';
import type { Logger } from '../core/logger.js';
import { skippedForMissingEnv } from '../config/required-env.js';
import type { AppConfig } from '../config/types.js';
import { COLLECTORS, collectorById } from '../registry.js';
import { TOOL_VERSION } from '../core/version.js';
import { checkArchiveFolder, readArchiveNotice } from '../http/archive.js';
import { createHttpClient, type HttpMode } from '../http/client.js';
import { createRedactor } from '../http/redact.js';
import { type HostRetries, retrySummaryLines } from '../http/retry-summary.js';
import { type StorageError, storageFailure } from '../store/storage-error.js';
import { type Confirmation, confirmedLine, describeHeld, type HeldValue, heldBackLine } from '../store/drop-guard.js';
import type { Store } from '../store/store.js';
import { createProgress } from './progress.js';
import type { CliIo } from './io.js';
import { requestTimeoutMs, stringOption, type ParsedOptions } from './options.js';

export interface CollectOutcome {
  runId: number;
  failed: string[];
  stored: number;
}

/** The collectors a command runs, and whether the user named them (`--sources`). */
export interface Selection {
  collectors: Collector[];
  explicit: boolean;
}

/**
 * `--sources a,b`, else every configured source (a source no framework has a part for is not collected, and
 * nothing is said about it). Naming an unconfigured source is a usage error.
 */
export function selectCollectors(value: string | undefined, config: AppConfig): Selection {
  const configured = (c: Collector) => partsOf(c, config) !== undefined;
  if (value === undefined) {
    const collectors = COLLECTORS.filter(configured);
    if (collectors.length === 0) {
      throw new UsageError(
        `no framework in ${config.origin} has a part for any source (${COLLECTORS.map((c) => c.id).join(', ')}); nothing to collect`,
      );
    }
    return { collectors, explicit: false };
  }
  const ids = value
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  if (ids.length === 0) throw new UsageError(`--sources is empty; name at least one source, e.g. --sources ${COLLECTORS[0]!.id}`);
  const collectors = [...new Set(ids)].map((id) => {
    const collector = collectorById(id);
    if (!collector) throw new UsageError(`--sources: unknown source ${id}; known sources: ${COLLECTORS.map((c) => c.id).join(', ')}`);
    if (!configured(collector)) {
      throw new UsageError(
        `--sources ${id}: no framework in ${config.origin} has a "${id}" part, so there is nothing to collect; add one or leave ${id} out`,
      );
    }
    return collector;
  });
  return { collectors, explicit: true };
}

/**
 * How requests are answered, with its directory checked before anything is sent or stored: a recording needs a
 * directory it can write; a replay a recording of every source named with --sources. Without --sources a
 * replay runs the sources its archive holds and says which it skips, so an archive made before a source was
 * added still replays.
 */
export function httpMode(options: ParsedOptions, selection: Selection, log: Logger): { mode: HttpMode; collectors: Collector[] } {
  const record = stringOption(options, 'record');
  const replay = stringOption(options, 'replay');
  if (record && replay) throw new UsageError('--record and --replay cannot be combined; choose one');
  if (record) {
    const dir = resolve(record);
    try {
      makeDirectory(dir);
      accessSync(dir, constants.W_OK);
    } catch (err) {
      throw new UsageError(`--record ${dir} cannot be written (${errorLine(err)}); choose a directory you can write`);
    }
    // A source's folder that is a link or not a directory is said before anything is sent.
    for (const collector of selection.collectors) checkArchiveFolder(dir, collector.id);
    return { mode: { kind: 'record', dir }, collectors: selection.collectors };
  }
  if (replay) {
    const dir = resolve(replay);
    if (!isDirectory(dir)) throw new UsageError(`--replay ${dir} is not a directory; pass a directory made with --record`);
    const recorded = (c: Collector) => isDirectory(join(dir, c.id)) && readdirSync(join(dir, c.id)).length > 0;
    const missing = selection.collectors.filter((c) => !recorded(c)).map((c) => c.id);
    const present = selection.collectors.filter(recorded);
    if (missing.length > 0 && (selection.explicit || present.length === 0)) {
      const hint = present.length > 0 ? `replay with --sources ${present.map((c) => c.id).join(',')}, or record` : 'record';
      throw new UsageError(`--replay ${dir} holds no recorded ${missing.join(', ')} responses; ${hint} them with --record ${dir}`);
    }
    if (missing.length > 0)
      log.warn(`--replay ${dir} holds no recording of ${missing.join(', ')}; skipping ${missing.length === 1 ? 'it' : 'them'}`);
    return { mode: { kind: 'replay', dir, notice: readArchiveNotice(dir) }, collectors: present };
  }
  return { mode: { kind: 'live' }, collectors: selection.collectors };
}

/**
 * The collectors that can run: under the built-in defaults (no config file, no --sources), a source whose
 * required variable is unset is left out with one warning, so the defaults run daily without a key for every
 * source; one the user chose keeps it and fails with its own message. A replay needs no key. `skipped` are
 * the warnings, said once the run starts (a usage error before that stays the only line).
 */
export function withRequiredEnv(
  collectors: readonly Collector[],
  context: { selection: Selection; config: AppConfig; mode: HttpMode; env: Env },
): { collectors: Collector[]; skipped: string[] } {
  const { selection, config, mode, env } = context;
  if (mode.kind === 'replay' || selection.explicit) return { collectors: [...collectors], skipped: [] };
  const skipped: string[] = [];
  const runnable = collectors.filter((collector) => {
    const reason = skippedForMissingEnv(collector, config, env);
    if (reason !== undefined) skipped.push(reason);
    return reason === undefined;
  });
  if (runnable.length === 0) throw new UsageError(`nothing to collect: every configured source needs a variable that is not set`);
  return { collectors: runnable, skipped };
}

function isDirectory(path: string): boolean {
  return existsSync(path) && statSync(path).isDirectory();
}

/**
 * A collector that finished: `partial` only when something was measured despite its problems (stored now, or
 * already stored by a run of the same day).
 */
export function collectorOutcome(problems: number, measured: number): 'success' | 'partial' | 'failed' {
  return problems === 0 ? 'success' : measured > 0 ? 'partial' : 'failed';
}

/** A run: `success` when every collector succeeded, `failed` when none measured anything, else `partial`. */
export function runOutcome(collectors: ReadonlyArray<'success' | 'partial' | 'failed'>): 'success' | 'partial' | 'failed' {
  if (collectors.every((o) => o === 'success')) return 'success';
  return collectors.every((o) => o === 'failed') ? 'failed' : 'partial';
}

/** `12 new observations`, and how many of those measured were stored before (a re-run of the same day). */
function storedCount(stored: number, measured: number): string {
  return `${stored} new observations${measured > stored ? ` (${measured - stored} already stored under the same date)` : ''}`;
}

/** The collector's problems for `status`: the first in full (the log has every one). */
export function problemSummary(problems: readonly string[], shown = 1): string | null {
  if (problems.length === 0) return null;
  const more = problems.length - shown;
  return problems.slice(0, shown).join('; ') + (more > 0 ? `; and ${more} more (see the run's log)` : '');
}

/** Every collector's own options, checked before the database is opened. */
export function checkCollectorOptions(collectors: readonly Collector[], options: ParsedOptions): void {
  for (const collector of collectors) collectorOptions(collector, options);
}

/**
 * One database holds one kind of data: replayed answers (the demo, a test archive) must never be mistaken
 * for live ones, nor reused by an incremental live refresh as if the source had said them.
 */
export async function checkDataOrigin(store: Store, mode: HttpMode): Promise<void> {
  const origins = await store.originsOfStoredData();
  if (mode.kind === 'replay' && origins.includes('live')) {
    throw new UsageError(`database ${store.path} holds live data; replay into another database: pass --db with a new file`);
  }
  if (mode.kind !== 'replay' && origins.includes('replayed')) {
    throw new UsageError(
      `database ${store.path} holds replayed data (e.g. the npm start demo); keep live data apart: pass --db with a new file, or delete ${store.path}`,
    );
  }
}

export function collectorOptions(collector: Collector, options: ParsedOptions): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = {};
  for (const option of collector.options ?? []) {
    const value = stringOption(options, option.name);
    if (value !== undefined && option.values && !option.values.includes(value)) {
      throw new UsageError(`--${option.name} ${value} is not allowed; use one of ${option.values.join(', ')}`);
    }
    out[option.name] = value;
  }
  return out;
}

/** Only the variables a collector declared: an undeclared one it reads is undefined, which tests notice. */
export function declaredEnv(collector: Collector, env: Env): Env {
  return Object.freeze(Object.fromEntries(collector.env.map((v) => [v.name, env[v.name]])));
}

/**
 * A redactor over every secret any selected collector holds, and `more` (the database's password), for messages
 * that leave the run.
 */
export function runRedactor(collectors: readonly Collector[], env: CliIo['env'], more: ReadonlyArray<string | undefined> = []) {
  // What credentials() sends, and every variable declared secret even when unused (a legacy token name, say).
  const secrets = [
    ...collectors.flatMap((c) => [...c.credentials(env).secrets, ...c.env.filter((v) => v.secret).map((v) => env[v.name])]),
    ...more,
  ];
  return createRedactor(
    secrets,
    collectors.flatMap((c) => c.privateParams ?? []),
  );
}

/** What a running collection has done so far, for a signal handler that must say it and mark it interrupted. */
export interface RunState {
  runId?: number;
  stored: number;
}

/**
 * Runs every selected collector concurrently and independently: each stores what it finishes as it goes,
 * and one failing source never stops or undoes another. A failing store (disk full, damaged database) does
 * stop every collector, since nothing more could be kept: the run then throws that StorageError.
 */
export async function collectAll(args: {
  store: Store;
  config: AppConfig;
  collectors: readonly Collector[];
  options: ParsedOptions;
  asOf: string;
  today: string;
  mode: HttpMode;
  io: CliIo;
  log: Logger;
  command: string;
  state?: RunState;
}): Promise<CollectOutcome> {
  const { store, io, log } = args;
  const state = args.state ?? { stored: 0 };
  const redact = runRedactor(args.collectors, io.env).text;
  const timeoutMs = requestTimeoutMs(args.options);
  const full = args.options.full === true;
  const acceptDrops = args.options['accept-drops'] === true;
  const perCollector = args.collectors.map((c) => ({ collector: c, opts: collectorOptions(c, args.options) }));
  const runId = await store.beginRun({
    command: args.command,
    collectors: args.collectors.map((c) => c.id),
    asOf: args.asOf,
    dataOrigin: args.mode.kind === 'replay' ? 'replayed' : 'live',
    toolVersion: TOOL_VERSION,
    startedAt: io.now().toISOString(),
    notice: args.mode.kind === 'replay' ? (args.mode.notice ?? null) : null,
  });
  state.runId = runId;
  log.info(
    `run ${runId}: collecting ${args.collectors.map((c) => c.id).join(', ')} as of ${args.asOf}${args.mode.kind === 'replay' ? ` (replaying ${args.mode.dir})` : ''}`,
  );
  const progress = createProgress(io.isTty, io.stderr);
  const failed: string[] = [];
  const outcomes: Array<'success' | 'partial' | 'failed'> = [];
  let total = 0;
  // Collectors stop fetching once this is aborted: the store failed, so nothing more could be kept.
  const stop = new AbortController();
  let storage: StorageError | undefined;
  // Each collector's retries, summed up per host once every collector is done.
  const retries: HostRetries[][] = [];
  /** The storage failure `err` is, if it is one; the first one stops every collector. */
  const storageFailed = (err: unknown): StorageError | undefined => {
    const failure = storageFailure(err, `database ${store.path}`);
    if (failure && !storage) {
      storage = failure;
      stop.abort(failure);
    }
    return failure;
  };

  await Promise.all(
    perCollector.map(async ({ collector, opts }) => {
      /** Observations the collector emitted; `stored`: the new rows among them (not those stored before the same day). */
      let measured = 0;
      let stored = 0;
      // Aborted once this collector is recorded: a request it left in flight (it failed early) stores nothing.
      const finished = new AbortController();
      const signal = AbortSignal.any([stop.signal, finished.signal]);
      // What the collapse guard said of this collector's values (drop-guard.ts).
      const guard = { held: [] as HeldValue[], heldWith: 0, accepted: [] as HeldValue[], confirmed: [] as Confirmation[] };
      const heldLine = () => heldBackLine(guard.held, guard.heldWith);
      const env = declaredEnv(collector, io.env);
      const credentials = collector.credentials(env);
      const http = createHttpClient({
        collector: collector.id,
        policy: collector.rateLimit(env),
        headers: credentials.headers,
        secrets: credentials.secrets,
        privateParams: collector.privateParams,
        timeoutMs,
        mode: args.mode,
        log,
      });
      try {
        await store.beginCollector(runId, collector.id, io.now().toISOString());
        const ctx: CollectContext = {
          ...partsOf(collector, args.config)!,
          http,
          env,
          asOf: args.asOf,
          today: args.today,
          full,
          options: opts,
          history: { latest: (filter) => store.latestObservations({ ...filter, source: collector.id, withSuspects: false }) },
          emit: async (batch) => {
            signal.throwIfAborted();
            try {
              const result = await store.appendObservations(runId, batch, { acceptDrops, at: io.now().toISOString() });
              guard.held.push(...result.held);
              guard.heldWith += result.heldWith;
              guard.accepted.push(...result.accepted);
              guard.confirmed.push(...result.confirmed);
              stored += result.added;
              state.stored += result.added;
            } catch (err) {
              // Thrown to the collector as a storage failure, after the signal that stops it is set.
              throw storageFailed(err) ?? err;
            }
            measured += batch.length;
            progress.update(collector.id, measured);
          },
          log,
          signal,
        };
        const summary = await collector.collect(ctx);
        const problems = [...summary.problems, ...[heldLine()].filter((l): l is string => l !== undefined)];
        for (const warning of summary.warnings) log.warn(`${collector.id}: ${warning}`);
        for (const problem of problems) log.error(`${collector.id}: ${problem}`);
        if (guard.accepted.length > 0) {
          log.warn(
            `${collector.id}: --accept-drops: ${guard.accepted.length} fall(s) by more than half stored as real (${describeHeld(guard.accepted)})`,
          );
        }
        const confirmed = confirmedLine(guard.confirmed);
        if (confirmed) log.warn(`${collector.id}: ${confirmed}`);
        const outcome = collectorOutcome(problems.length, measured);
        outcomes.push(outcome);
        if (outcome !== 'success') failed.push(`${collector.id}: ${problems.length} item(s) could not be measured or were held back`);
        await store.finishCollector(runId, collector.id, outcome, problemSummary(problems), io.now().toISOString());
        log.info(`${collector.id}: ${outcome}, ${storedCount(stored, measured)}`);
      } catch (err) {
        storageFailed(err);
        if (storage) {
          // Said once, by the caller; this collector's record is written if the store still takes it.
          const message = storage.message;
          await bestEffort(() =>
            store.finishCollector(runId, collector.id, measured > 0 ? 'partial' : 'failed', message, io.now().toISOString()),
          );
          log.info(`${collector.id}: stopped, ${stored} observations stored`);
          return;
        }
        const message = redact(
          errorLine(err instanceof CollectorError || !(err instanceof Error) ? err : new CollectorError(collector.id, err.message)),
        );
        failed.push(message);
        const outcome = measured > 0 ? 'partial' : 'failed';
        outcomes.push(outcome);
        await store.finishCollector(runId, collector.id, outcome, message, io.now().toISOString());
        log.error(message);
        const line = heldLine();
        if (line) log.error(`${collector.id}: ${line}`);
        const confirmed = confirmedLine(guard.confirmed);
        if (confirmed) log.warn(`${collector.id}: ${confirmed}`);
      } finally {
        finished.abort(new Error(`${collector.id} has finished`));
        // Whatever the collector left running (a retry wait, a request in flight) ends with it.
        http.stop();
        retries.push(http.retries());
        total += stored;
      }
    }),
  );
  progress.done();
  for (const line of retrySummaryLines(retries)) log.warn(line);
  if (storage) {
    const message = storage.message;
    await bestEffort(() => store.finishRun(runId, 'failed', [message], io.now().toISOString()));
    throw storage;
  }
  const outcome = runOutcome(outcomes);
  await store.finishRun(runId, outcome, failed, io.now().toISOString());
  log.info(`run ${runId}: ${outcome}, ${total} observations (${await store.countObservations()} in ${store.path})`);
  return { runId, failed, stored: total };
}

/** A record of what happened, written if the failing store still takes it; the next run marks it interrupted otherwise. */
async function bestEffort(write: () => Promise<void>): Promise<void> {
  try {
    await write();
  } catch {
    // The failure being reported is the store's own.
  }
}
