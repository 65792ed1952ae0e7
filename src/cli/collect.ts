import { accessSync, constants, existsSync, mkdirSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { CollectContext, Collector } from '../core/collector.js';
import { CollectorError, errorLine, UsageError } from '../core/errors.js';
import type { Logger } from '../core/logger.js';
import type { AppConfig } from '../config/types.js';
import { COLLECTORS, collectorById } from '../core/registry.js';
import { TOOL_VERSION } from '../core/version.js';
import { readArchiveNotice } from '../http/archive.js';
import { createHttpClient, type HttpMode } from '../http/client.js';
import { createRedactor } from '../http/redact.js';
import type { Store } from '../store/store.js';
import { createProgress } from './progress.js';
import type { CliIo } from './io.js';
import { requestTimeoutMs, stringOption, type ParsedOptions } from './options.js';

export interface CollectOutcome {
  runId: number;
  failed: string[];
  stored: number;
}

export function selectCollectors(value: string | undefined): Collector<unknown, unknown>[] {
  if (value === undefined) return [...COLLECTORS];
  const ids = value
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  if (ids.length === 0) throw new UsageError('--sources is empty; name at least one source, e.g. --sources pubmed');
  return [...new Set(ids)].map((id) => {
    const collector = collectorById(id);
    if (!collector) throw new UsageError(`--sources: unknown source ${id}; known sources: ${COLLECTORS.map((c) => c.id).join(', ')}`);
    return collector;
  });
}

/**
 * How requests are answered, with its directory checked before anything is sent or stored: a replay needs a
 * recording of every selected source, a recording a directory it can write.
 */
export function httpMode(options: ParsedOptions, collectors: readonly Collector<unknown, unknown>[]): HttpMode {
  const record = stringOption(options, 'record');
  const replay = stringOption(options, 'replay');
  if (record && replay) throw new UsageError('--record and --replay cannot be combined; choose one');
  if (record) {
    const dir = resolve(record);
    try {
      mkdirSync(dir, { recursive: true });
      accessSync(dir, constants.W_OK);
    } catch (err) {
      throw new UsageError(`--record ${dir} cannot be written (${errorLine(err)}); choose a directory you can write`);
    }
    return { kind: 'record', dir };
  }
  if (replay) {
    const dir = resolve(replay);
    if (!isDirectory(dir)) throw new UsageError(`--replay ${dir} is not a directory; pass a directory made with --record`);
    const missing = collectors.filter((c) => !isDirectory(join(dir, c.id)) || readdirSync(join(dir, c.id)).length === 0).map((c) => c.id);
    if (missing.length > 0) {
      const recorded = collectors.filter((c) => !missing.includes(c.id)).map((c) => c.id);
      const hint = recorded.length > 0 ? `replay with --sources ${recorded.join(',')}, or record` : 'record';
      throw new UsageError(`--replay ${dir} holds no recorded ${missing.join(', ')} responses; ${hint} them with --record ${dir}`);
    }
    return { kind: 'replay', dir, notice: readArchiveNotice(dir) };
  }
  return { kind: 'live' };
}

function isDirectory(path: string): boolean {
  return existsSync(path) && statSync(path).isDirectory();
}

/** A collector that finished: `partial` only when something was stored despite its problems. */
export function collectorOutcome(problems: number, stored: number): 'success' | 'partial' | 'failed' {
  return problems === 0 ? 'success' : stored > 0 ? 'partial' : 'failed';
}

/** The collector's problems for `status`: the first in full (the log has every one). */
export function problemSummary(problems: readonly string[], shown = 1): string | null {
  if (problems.length === 0) return null;
  const more = problems.length - shown;
  return problems.slice(0, shown).join('; ') + (more > 0 ? `; and ${more} more (see the run's log)` : '');
}

/** Every collector's own options, checked before the database is opened. */
export function checkCollectorOptions(collectors: readonly Collector<unknown, unknown>[], options: ParsedOptions): void {
  for (const collector of collectors) collectorOptions(collector, options);
}

/**
 * One database holds one kind of data: replayed answers (the demo, a test archive) must never be mistaken
 * for live ones, nor reused by an incremental live refresh as if PubMed had said them.
 */
export function checkDataOrigin(store: Store, mode: HttpMode): void {
  const origins = store.originsOfStoredData();
  if (mode.kind === 'replay' && origins.includes('live')) {
    throw new UsageError(`database ${store.path} holds live data; replay into another database: pass --db with a new file`);
  }
  if (mode.kind !== 'replay' && origins.includes('replayed')) {
    throw new UsageError(
      `database ${store.path} holds replayed data (e.g. the npm start demo); keep live data apart: pass --db with a new file, or delete ${store.path}`,
    );
  }
}

export function collectorOptions(collector: Collector<unknown, unknown>, options: ParsedOptions): Record<string, string | undefined> {
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

/** A redactor over every secret any selected collector holds, for messages that leave the run. */
export function runRedactor(collectors: readonly Collector<unknown, unknown>[], env: CliIo['env']) {
  const secrets = collectors.flatMap((c) => c.credentials(env).secrets);
  return createRedactor(
    secrets,
    collectors.flatMap((c) => c.privateParams ?? []),
  );
}

/**
 * Runs every selected collector concurrently and independently: each stores what it finishes as it goes,
 * and one failing source never stops or undoes another.
 */
export async function collectAll(args: {
  store: Store;
  config: AppConfig;
  collectors: readonly Collector<unknown, unknown>[];
  options: ParsedOptions;
  asOf: string;
  today: string;
  mode: HttpMode;
  io: CliIo;
  log: Logger;
  command: string;
}): Promise<CollectOutcome> {
  const { store, io, log } = args;
  const redact = runRedactor(args.collectors, io.env).text;
  const timeoutMs = requestTimeoutMs(args.options);
  const full = args.options.full === true;
  const perCollector = args.collectors.map((c) => ({ collector: c, opts: collectorOptions(c, args.options) }));
  const runId = store.beginRun({
    command: args.command,
    collectors: args.collectors.map((c) => c.id),
    asOf: args.asOf,
    dataOrigin: args.mode.kind === 'replay' ? 'replayed' : 'live',
    toolVersion: TOOL_VERSION,
    startedAt: io.now().toISOString(),
    notice: args.mode.kind === 'replay' ? (args.mode.notice ?? null) : null,
  });
  log.info(
    `run ${runId}: collecting ${args.collectors.map((c) => c.id).join(', ')} as of ${args.asOf}${args.mode.kind === 'replay' ? ` (replaying ${args.mode.dir})` : ''}`,
  );
  const progress = createProgress(io.isTty, io.stderr);
  const failed: string[] = [];
  let total = 0;

  await Promise.all(
    perCollector.map(async ({ collector, opts }) => {
      const credentials = collector.credentials(io.env);
      store.beginCollector(runId, collector.id, io.now().toISOString());
      let stored = 0;
      const http = createHttpClient({
        collector: collector.id,
        policy: collector.rateLimit(io.env),
        headers: credentials.headers,
        secrets: credentials.secrets,
        privateParams: collector.privateParams,
        timeoutMs,
        mode: args.mode,
        log,
      });
      const ctx: CollectContext = {
        http,
        config: args.config,
        env: io.env,
        asOf: args.asOf,
        today: args.today,
        full,
        options: opts,
        history: { latest: (filter) => store.latestObservations({ ...filter, source: collector.id }) },
        emit: (batch) => {
          store.insertObservations(runId, batch);
          stored += batch.length;
          progress.update(collector.id, stored);
        },
        log,
      };
      try {
        const summary = await collector.collect(ctx);
        for (const warning of summary.warnings) log.warn(`${collector.id}: ${warning}`);
        for (const problem of summary.problems) log.error(`${collector.id}: ${problem}`);
        const outcome = collectorOutcome(summary.problems.length, stored);
        if (outcome !== 'success') failed.push(`${collector.id}: ${summary.problems.length} item(s) could not be measured`);
        store.finishCollector(runId, collector.id, outcome, stored, problemSummary(summary.problems), io.now().toISOString());
        log.info(`${collector.id}: ${outcome}, ${stored} observations`);
      } catch (err) {
        const message = redact(
          errorLine(err instanceof CollectorError || !(err instanceof Error) ? err : new CollectorError(collector.id, err.message)),
        );
        failed.push(message);
        store.finishCollector(runId, collector.id, stored > 0 ? 'partial' : 'failed', stored, message, io.now().toISOString());
        log.error(message);
      } finally {
        // Whatever the collector left running (a retry wait, a request in flight) ends with it.
        http.stop();
        total += stored;
      }
    }),
  );
  progress.done();
  const outcome = failed.length === 0 ? 'success' : failed.length < args.collectors.length ? 'partial' : 'failed';
  store.finishRun(runId, outcome, failed, io.now().toISOString());
  log.info(`run ${runId}: ${outcome}, ${total} observations (${store.countObservations()} in ${store.path})`);
  return { runId, failed, stored: total };
}
