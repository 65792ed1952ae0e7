import Database from 'better-sqlite3';
import { accessSync, constants, existsSync } from 'node:fs';
import { dirname } from 'node:path';
import { errorLine, UsageError } from '../core/errors.js';
import { makeDirectory } from '../core/make-directory.js';
import { FileSwappedError, notRegularFile, openRegularFile } from '../core/no-follow.js';
import { HISTORY_ORDER, type HistoryRow, type Observation, type StoredObservation } from '../core/observation.js';
import type { RowSelection, RowTake } from '../core/row-selection.js';
import {
  answerReason,
  type Confirmation,
  type GuardRow,
  type HeldValue,
  isGoodState,
  isSnapshot,
  judge,
  sameSeries,
  seriesKeyOf,
} from './drop-guard.js';
import { readableCopy } from './readable-copy.js';
import { APPLICATION_ID, hasColumn, migrate, SCHEMA_VERSION } from './schema.js';
import { lookups, selectionSql } from './select-rows.js';
import { damagedDatabase, StorageError, storageFailure, unwritable } from './storage-error.js';

export type RunOutcome = 'running' | 'success' | 'partial' | 'failed' | 'interrupted';
export type CollectorOutcome = 'running' | 'success' | 'partial' | 'failed' | 'interrupted';

export interface RunRecord {
  id: number;
  startedAt: string;
  finishedAt: string | null;
  command: string;
  collectors: string[];
  asOf: string;
  dataOrigin: string;
  outcome: RunOutcome;
  errors: string[];
  toolVersion: string;
}

export interface CollectorRunRecord {
  runId: number;
  collector: string;
  startedAt: string;
  finishedAt: string | null;
  outcome: CollectorOutcome;
  /**
   * New rows it stored, counted as each batch committed; null when unknown: a collector stopped midway in a
   * database written before schema 4, which counted only at the end, read without upgrading it.
   */
  stored: number | null;
  message: string | null;
  asOf: string;
  dataOrigin: string;
}

export interface RunProvenance {
  /** `live` or `replayed`. */
  origin: string;
  notice: string | null;
  /** ISO timestamp. */
  startedAt: string;
}

export interface ObservationFilter {
  source?: string;
  metric?: string;
  subject?: string;
  /** `YYYY-MM-DD`: only rows observed on or before this date (a report as of a past date). */
  observedBy?: string;
  /** `YYYY-MM-DD`: only rows observed on or after this date. */
  since?: string;
  /** Only rows stored up to this id (`lastObservationId()`): two readers then see the same history. */
  upToId?: number;
}

/**
 * The mark of observation `o.id`: NULL (not marked), `suspect` (pending), or its latest resolution
 * (`confirmed`, `accepted`, `contradicted`).
 */
const MARK_STATE = `(SELECT coalesce((SELECT r.resolution FROM suspect_resolutions r WHERE r.observation_id = o.id
                       ORDER BY r.rowid DESC LIMIT 1), 'suspect')
                     FROM suspect_observations m WHERE m.observation_id = o.id)`;

/** MARK_STATE of the row `alias`. */
const markState = (alias: string) => MARK_STATE.replaceAll('o.id', `${alias}.id`);

/** A row of a series as the collapse guard reads it, with what sameSeries compares. */
type SeriesRow = GuardRow & Pick<Observation, 'source' | 'metric' | 'subject' | 'method' | 'period' | 'observedAt' | 'query' | 'seriesKey'>;

/** What appending a batch did, for the run to say. */
export interface AppendResult {
  /** New rows (a same-day re-run's identical rows are not stored again). */
  added: number;
  /** Falls held back as suspect. */
  held: HeldValue[];
  /** Values held back with the answer in which something fell. */
  heldWith: number;
  /** Falls stored as real (--accept-drops). */
  accepted: HeldValue[];
  /** Suspect values an independent later observation saw again: shown from now on. */
  confirmed: Confirmation[];
}

/** Observation columns, in the order `toObservation` reads them. */
const OBSERVATION_COLUMNS = 'id, run_id, source, metric, subject, period, method, value, observed_at, query, collector_version';
/** Column of each observation field whose name differs. */
const COLUMN_OF: Record<(typeof HISTORY_ORDER)[number], string> = {
  source: 'source',
  metric: 'metric',
  subject: 'subject',
  method: 'method',
  period: 'period',
  observedAt: 'observed_at',
  runId: 'run_id',
  id: 'id',
};
type ObservationRow = [number, number, string, string, string, string, string, number, string, string, string, string | null];

/**
 * The embedded time-series store. Every write is one transaction; nothing here deletes or rewrites an
 * observation. Runs and per-collector outcomes are kept so `status` can say what last succeeded.
 */
export class Store {
  private insert?: Database.Statement;

  private constructor(
    private readonly db: Database.Database,
    /** The database as the user named it: every message says this path. */
    readonly path: string,
    /** The file actually open: `path`, or a private copy of it (see readableCopy). */
    readonly file: string = path,
    private readonly cleanup?: () => void,
  ) {}

  /**
   * Opens (creating when absent) a store; refuses files that are not ours, without touching them, and a
   * damaged one (PRAGMA quick_check, which reads the whole file: about 20 ms on ten years of daily runs of the
   * built-in frameworks, 0.3 to 1.5 s on a million rows). `quickCheck: false` (a read-only reader that reads only
   * part of the history, as `report` does) skips it: a damaged page it meets still fails as damaged
   * (storageFailure), and one it never reads changes nothing it shows.
   */
  static open(path: string, options: { readonly?: boolean; quickCheck?: boolean } = {}): Store {
    const readonly = options.readonly ?? false;
    refuseUnusableFiles(path);
    if (readonly && !existsSync(path)) {
      throw new UsageError(`database ${path} does not exist; run \`adoption-metrics collect --db ${path}\` first`);
    }
    if (!readonly) {
      try {
        makeDirectory(dirname(path));
      } catch (err) {
        throw new UsageError(`database ${path} cannot be created (${errorLine(err)}); pass --db with a path in a directory you can write`);
      }
    }
    try {
      return new Store(connect(path, path, readonly, options.quickCheck ?? true), path);
    } catch (err) {
      // A reader that may not create the WAL side files beside the database reads a private copy instead.
      if (readonly && needsSideFiles(err)) return Store.openCopy(path, options.quickCheck ?? true);
      throw openFailure(err, path, readonly);
    }
  }

  private static openCopy(path: string, check: boolean): Store {
    const copy = readableCopy(path);
    try {
      const db = connect(copy.file, path, true, check);
      // Removed on close, or when the process ends without closing.
      process.once('exit', copy.remove);
      return new Store(db, path, copy.file, () => {
        process.removeListener('exit', copy.remove);
        copy.remove();
      });
    } catch (err) {
      copy.remove();
      throw openFailure(err, path);
    }
  }

  close(): void {
    this.db.close();
    this.cleanup?.();
  }

  beginRun(run: {
    command: string;
    collectors: string[];
    asOf: string;
    dataOrigin: string;
    toolVersion: string;
    startedAt: string;
    /** Shown with every report made from this run's data (a replayed archive's NOTICE). */
    notice?: string | null;
  }): number {
    const result = this.db
      .prepare(
        `INSERT INTO runs (started_at, command, collectors, as_of, data_origin, tool_version, pid, notice)
         VALUES (@startedAt, @command, @collectors, @asOf, @dataOrigin, @toolVersion, @pid, @notice)`,
      )
      .run({ ...run, collectors: JSON.stringify(run.collectors), pid: process.pid, notice: run.notice ?? null });
    return Number(result.lastInsertRowid);
  }

  /** Runs left `running` by a killed process. Call only while holding the run lock. */
  markInterruptedRuns(finishedAt: string): number {
    return this.db.transaction(() => {
      this.db.prepare(`UPDATE collector_runs SET outcome = 'interrupted', finished_at = ? WHERE outcome = 'running'`).run(finishedAt);
      return this.db.prepare(`UPDATE runs SET outcome = 'interrupted', finished_at = ? WHERE outcome = 'running'`).run(finishedAt).changes;
    })();
  }

  /**
   * A signal stopped run `runId`: it and its collectors still running become `interrupted`, with `reason`.
   * False when the run had already finished (its reports were being written).
   */
  interruptRun(runId: number, reason: string, finishedAt: string): boolean {
    return this.db.transaction(() => {
      this.db
        .prepare(`UPDATE collector_runs SET outcome = 'interrupted', message = ?, finished_at = ? WHERE run_id = ? AND outcome = 'running'`)
        .run(reason, finishedAt, runId);
      return (
        this.db
          .prepare(`UPDATE runs SET outcome = 'interrupted', errors = ?, finished_at = ? WHERE id = ? AND outcome = 'running'`)
          .run(JSON.stringify([reason]), finishedAt, runId).changes > 0
      );
    })();
  }

  finishRun(runId: number, outcome: RunOutcome, errors: string[], finishedAt: string): void {
    this.db
      .prepare(`UPDATE runs SET outcome = ?, errors = ?, finished_at = ? WHERE id = ?`)
      .run(outcome, JSON.stringify(errors), finishedAt, runId);
  }

  beginCollector(runId: number, collector: string, startedAt: string): void {
    this.db.prepare(`INSERT INTO collector_runs (run_id, collector, started_at) VALUES (?, ?, ?)`).run(runId, collector, startedAt);
  }

  /** Records how a collector ended; what it stored is counted as it stores it (appendObservations). */
  finishCollector(runId: number, collector: string, outcome: CollectorOutcome, message: string | null, finishedAt: string): void {
    this.db
      .prepare(`UPDATE collector_runs SET outcome = ?, message = ?, finished_at = ? WHERE run_id = ? AND collector = ?`)
      .run(outcome, message, finishedAt, runId, collector);
  }

  /**
   * Appends a batch in one transaction, guarded against collapses (drop-guard.ts decides, this records): a
   * value that fell by more than half from the last good one of its series is stored and marked suspect (or
   * marked and accepted, with `acceptDrops`), and the rest of its batch (one answer) is held back with it; an
   * independent later value that repeats it confirms it, one back at the old level contradicts it (a blip, which
   * stays out of reports). `at`: now, an ISO timestamp (when marks are made and resolved). The run's collector
   * record counts the new rows in the same transaction, so a run killed midway still says what it stored.
   */
  appendObservations(runId: number, observations: readonly Observation[], options: { acceptDrops?: boolean; at: string }): AppendResult {
    // The series' recent rows (drop-guard.ts sameSeries), newest first, with their marks. A year's count reads
    // its period's rows through the index up to its date; a snapshot (period = its date) reads its series'.
    const recent = (period: string) =>
      this.db.prepare(
        `SELECT o.id, o.value, o.observed_at AS observedAt, o.source, o.metric, o.subject, o.method, o.period, o.query,
                o.series_key AS seriesKey, ${MARK_STATE} AS state,
                m.marked_at AS markedAt, m.cause, m.previous_id AS previousId, p.value AS previousValue,
                p.observed_at AS previousObservedAt
           FROM observations o
           LEFT JOIN suspect_observations m ON m.observation_id = o.id
           LEFT JOIN observations p ON p.id = m.previous_id
          WHERE o.source = @source AND o.metric = @metric AND o.subject = @subject AND o.method = @method AND ${period}
            AND o.observed_at <= @observedAt AND coalesce(o.series_key, o.query) = @seriesKey
          ORDER BY o.observed_at DESC, o.run_id DESC, o.id DESC LIMIT 50`,
      );
    const ofPeriod = recent('o.period = @period');
    const ofSnapshots = recent('(o.period = @period OR o.period = o.observed_at)');
    const mark = this.db.prepare(
      `INSERT INTO suspect_observations (observation_id, previous_id, run_id, reason, marked_at, cause) VALUES (?, ?, ?, ?, ?, ?)`,
    );
    const resolve = this.db.prepare(
      `INSERT INTO suspect_resolutions (observation_id, run_id, resolution, resolved_at) VALUES (?, ?, ?, ?)`,
    );
    return this.db.transaction((batch: readonly Observation[]) => {
      const result: AppendResult = { added: 0, held: [], heldWith: 0, accepted: [], confirmed: [] };
      const added: Observation[] = [];
      /** New rows nothing marked, with their own last good row: held back with the answer if a value of it fell. */
      const unmarked: Array<{ id: number; o: Observation; good?: GuardRow }> = [];
      let fellFrom: number | undefined;
      for (const o of batch) {
        const key = seriesKeyOf(o);
        // The SQL narrows by index; sameSeries is the rule.
        const lookup = isSnapshot(o) ? ofSnapshots : ofPeriod;
        const rows = (lookup.all({ ...o, seriesKey: key }) as SeriesRow[]).filter((r) => sameSeries(r, o));
        const inserted = this.insertOne(runId, o);
        if (inserted !== undefined) added.push(o);
        const verdict = judge(o, rows, { inserted: inserted !== undefined, at: options.at, acceptDrops: options.acceptDrops ?? false });
        for (const r of verdict.resolve) resolve.run(r.id, runId, r.resolution, options.at);
        if (verdict.mark && inserted !== undefined) {
          mark.run(inserted, verdict.mark.previousId, runId, verdict.mark.reason, options.at, 'fall');
          if (verdict.mark.accepted) resolve.run(inserted, runId, 'accepted', options.at);
        } else if (inserted !== undefined && verdict.confirmed.length === 0) {
          unmarked.push({ id: inserted, o, good: rows.find((r) => isGoodState(r.state)) });
        }
        if (verdict.held?.cause === 'answer') result.heldWith++;
        else if (verdict.held) result.held.push(verdict.held);
        if (verdict.accepted) result.accepted.push(verdict.accepted);
        result.confirmed.push(...verdict.confirmed);
        fellFrom ??= verdict.fellFrom;
      }
      if (result.held.length > 0 && fellFrom !== undefined) {
        const reason = answerReason(result.held);
        for (const { id, good } of unmarked) mark.run(id, good?.id ?? fellFrom, runId, reason, options.at, 'answer');
        result.heldWith += unmarked.length;
      }
      this.countStored(runId, added);
      result.added = added.length;
      return result;
    })(observations);
  }

  /** Appends a batch in one transaction, unguarded; returns how many rows were new (re-runs of the same day add none). */
  insertObservations(runId: number, observations: readonly Observation[]): number {
    return this.db.transaction((batch: readonly Observation[]) => {
      const added = batch.filter((o) => this.insertOne(runId, o) !== undefined);
      this.countStored(runId, added);
      return added.length;
    })(observations);
  }

  /** Inserts one observation; its id, or undefined when the very same row was stored before (a same-day re-run). */
  private insertOne(runId: number, o: Observation): number | undefined {
    if (!Number.isFinite(o.value))
      throw new Error(`refusing to store non-finite value for ${o.source} ${o.metric} ${o.subject} ${o.period}`);
    this.insert ??= this.db.prepare(
      `INSERT OR IGNORE INTO observations
         (source, metric, subject, period, method, value, observed_at, run_id, query, collector_version, series_key)
       VALUES (@source, @metric, @subject, @period, @method, @value, @observedAt, @runId, @query, @collectorVersion, @seriesKey)`,
    );
    const key = o.seriesKey !== undefined && o.seriesKey !== o.query ? o.seriesKey : null;
    const inserted = this.insert.run({ ...o, runId, seriesKey: key });
    return inserted.changes === 0 ? undefined : Number(inserted.lastInsertRowid);
  }

  /**
   * Adds a batch's new rows to its collector's record of the run, in the batch's transaction (a collector's id
   * is the source of what it stores), so the count is true whenever the run stops, SIGKILL included.
   */
  private countStored(runId: number, added: readonly Observation[]): void {
    const bySource = new Map<string, number>();
    for (const o of added) bySource.set(o.source, (bySource.get(o.source) ?? 0) + 1);
    const update = this.db.prepare(`UPDATE collector_runs SET stored = stored + ? WHERE run_id = ? AND collector = ?`);
    for (const [source, n] of bySource) update.run(n, runId, source);
  }

  /** Every stored observation, oldest first (the whole history, or the part the filter keeps). */
  observations(filter: ObservationFilter = {}): StoredObservation[] {
    const { where, params } = whereClause(filter);
    const statement = this.db
      .prepare(`SELECT ${OBSERVATION_COLUMNS}, ${this.suspectColumn()} FROM observations ${where} ORDER BY observed_at, run_id, id`)
      .raw();
    return readObservations(statement.iterate(params) as IterableIterator<ObservationRow>);
  }

  /**
   * The rows answering `selections` (src/core/row-selection.ts), each once, oldest first: only rows reports use,
   * stored up to `upToId` (`lastObservationId()`), so every read of one report sees the same history.
   */
  selectRows(selections: readonly RowSelection[], options: { upToId: number }): StoredObservation[] {
    const good = hasMarks(this.db)
      ? (alias: string) => `coalesce(${markState(alias)}, 'unmarked') NOT IN ('suspect', 'contradicted')`
      : undefined;
    const ids = (['latest', 'every'] as const satisfies readonly RowTake[])
      .filter((take) => selections.some((s) => s.take === take))
      .map((take) => `SELECT id FROM (${selectionSql(take, good).replaceAll('@lookups', `@${take}`)})`);
    if (ids.length === 0) return [];
    const params: Record<string, string | number> = { upToId: options.upToId };
    for (const take of ['latest', 'every'] as const) params[take] = lookups(selections.filter((s) => s.take === take));
    const statement = this.db
      .prepare(
        `SELECT ${OBSERVATION_COLUMNS}, NULL AS suspect FROM observations
          WHERE id IN (${ids.join(' UNION ')}) ORDER BY observed_at, run_id, id`,
      )
      .raw();
    return readObservations(statement.iterate(params) as IterableIterator<ObservationRow>);
  }

  /** The values held back (suspect, or a blip a later run contradicted) observed by `observedBy`, oldest first, each with why. */
  heldBackRows(filter: { observedBy: string; upToId: number }): StoredObservation[] {
    if (!hasMarks(this.db)) return [];
    const statement = this.db
      .prepare(
        `SELECT * FROM (SELECT ${OBSERVATION_COLUMNS}, ${this.suspectColumn()} FROM observations
                         WHERE id IN (SELECT observation_id FROM suspect_observations) AND observed_at <= @observedBy AND id <= @upToId)
          WHERE suspect IS NOT NULL ORDER BY observed_at, run_id, id`,
      )
      .raw();
    return readObservations(statement.iterate(filter) as IterableIterator<ObservationRow>);
  }

  /** Whether anything was observed by `observedBy` (stored up to `upToId`). */
  hasObservations(filter: { observedBy: string; upToId: number }): boolean {
    return (
      this.db.prepare(`SELECT 1 FROM observations WHERE observed_at <= @observedBy AND id <= @upToId LIMIT 1`).get(filter) !== undefined
    );
  }

  /**
   * Why a row is held back (suspect, or a blip a later run contradicted), or NULL for a row reports use (a
   * version-2 database, read-only, has no marks).
   */
  private suspectColumn(): string {
    if (!hasMarks(this.db)) return 'NULL AS suspect';
    const state = markState('observations');
    return `(SELECT CASE ${state} WHEN 'suspect' THEN s.reason WHEN 'contradicted' THEN s.reason || '; a later run saw the old level again'
              END FROM suspect_observations s WHERE s.observation_id = observations.id) AS suspect`;
  }

  /**
   * The history as `export` writes it (the columns of observations.csv), in HISTORY_ORDER, one row at a time, as
   * arrays: in the order of an index, so nothing is sorted, and never built into objects. The connection is
   * busy until the loop ends (or `return()` is called).
   */
  historyRows(filter: ObservationFilter = {}): IterableIterator<HistoryRow> {
    const { where, params } = whereClause(filter);
    const order = HISTORY_ORDER.map((key) => COLUMN_OF[key]).join(', ');
    // Held back: a suspect value, or a blip a later run contradicted (drop-guard.ts); 'false' in a version-2 database.
    const heldBack = hasMarks(this.db) ? `CASE WHEN ${MARK_STATE} IN ('suspect', 'contradicted') THEN 'true' ELSE 'false' END` : `'false'`;
    const statement = this.db.prepare(
      `SELECT source, metric, subject, period, value, observed_at, run_id, query, method, ${heldBack}
         FROM observations o ${where} ORDER BY ${order}`,
    );
    return statement.raw().iterate(params) as IterableIterator<HistoryRow>;
  }

  /**
   * The latest observation of each (source, metric, subject, period, method): newest observed_at, then newest
   * run. `withSuspects: false` skips values held back as suspect, so an incremental refresh asks for them again.
   */
  latestObservations(filter: ObservationFilter & { withSuspects?: boolean } = {}): StoredObservation[] {
    const { where, params } = whereClause(filter);
    const keep = filter.withSuspects === false ? 'AND suspect IS NULL' : '';
    const statement = this.db
      .prepare(
        `SELECT ${OBSERVATION_COLUMNS}, suspect FROM (
           SELECT *, row_number() OVER (
             PARTITION BY source, metric, subject, period, method
             ORDER BY observed_at DESC, run_id DESC, id DESC) AS rank
           FROM (SELECT *, ${this.suspectColumn()} FROM observations ${where}) WHERE 1 ${keep})
         WHERE rank = 1 ORDER BY source, metric, subject, period, method`,
      )
      .raw();
    return readObservations(statement.iterate(params) as IterableIterator<ObservationRow>);
  }

  /** Every source with stored observations, in order: one index seek per source, not a scan. */
  storedSources(): string[] {
    const rows = this.db
      .prepare(
        `WITH RECURSIVE s(source) AS (
           SELECT min(source) FROM observations
           UNION ALL SELECT (SELECT min(source) FROM observations WHERE source > s.source) FROM s WHERE s.source IS NOT NULL)
         SELECT source FROM s WHERE source IS NOT NULL`,
      )
      .all() as Array<{ source: string }>;
    return rows.map((r) => r.source);
  }

  /** The id of the newest stored observation, 0 when none: ids only grow, since rows are never deleted. */
  lastObservationId(): number {
    return (this.db.prepare(`SELECT coalesce(max(id), 0) AS id FROM observations`).get() as { id: number }).id;
  }

  countObservations(): number {
    return (this.db.prepare(`SELECT count(*) AS n FROM observations`).get() as { n: number }).n;
  }

  runs(limit = 20): RunRecord[] {
    const rows = this.db.prepare(`SELECT * FROM runs ORDER BY id DESC LIMIT ?`).all(limit) as Array<Record<string, unknown>>;
    return rows.map((r) => ({
      id: r.id as number,
      startedAt: r.started_at as string,
      finishedAt: (r.finished_at as string | null) ?? null,
      command: r.command as string,
      collectors: JSON.parse(r.collectors as string) as string[],
      asOf: r.as_of as string,
      dataOrigin: r.data_origin as string,
      outcome: r.outcome as RunOutcome,
      errors: JSON.parse(r.errors as string) as string[],
      toolVersion: r.tool_version as string,
    }));
  }

  /** Per collector: its last run and its last successful run. */
  collectorStatus(): Array<{ collector: string; last: CollectorRunRecord; lastSuccess: CollectorRunRecord | null }> {
    const rows = this.db
      .prepare(`SELECT c.*, r.as_of, r.data_origin FROM collector_runs c JOIN runs r ON r.id = c.run_id ORDER BY c.run_id DESC`)
      .all() as Array<Record<string, unknown>>;
    const countedAtEnd = (this.db.pragma('user_version', { simple: true }) as number) < 4;
    const toRecord = (r: Record<string, unknown>): CollectorRunRecord => ({
      runId: r.run_id as number,
      collector: r.collector as string,
      startedAt: r.started_at as string,
      finishedAt: (r.finished_at as string | null) ?? null,
      outcome: r.outcome as CollectorOutcome,
      stored: countedAtEnd && (r.outcome === 'running' || r.outcome === 'interrupted') ? null : (r.stored as number),
      message: (r.message as string | null) ?? null,
      asOf: r.as_of as string,
      dataOrigin: r.data_origin as string,
    });
    const byCollector = new Map<string, { collector: string; last: CollectorRunRecord; lastSuccess: CollectorRunRecord | null }>();
    for (const row of rows) {
      const record = toRecord(row);
      const entry = byCollector.get(record.collector) ?? { collector: record.collector, last: record, lastSuccess: null };
      if (!entry.lastSuccess && record.outcome === 'success') entry.lastSuccess = record;
      byCollector.set(record.collector, entry);
    }
    return [...byCollector.values()].sort((a, b) => a.collector.localeCompare(b.collector));
  }

  /** The origins (`live`, `replayed`) of the runs that stored observations. */
  originsOfStoredData(): string[] {
    const rows = this.db
      .prepare(`SELECT DISTINCT data_origin FROM runs WHERE id IN (SELECT run_id FROM observations) ORDER BY data_origin`)
      .all() as Array<{ data_origin: string }>;
    return rows.map((r) => r.data_origin);
  }

  /**
   * Where each run's data came from, and its notice if any (a version-1 database, read-only, has none): of every
   * run, or of the runs `ids`.
   */
  runProvenance(ids?: Iterable<number>): Map<number, RunProvenance> {
    const notice = hasColumn(this.db, 'runs', 'notice') ? 'notice' : 'NULL AS notice';
    const where = ids === undefined ? '' : 'WHERE id IN (SELECT value FROM json_each(?))';
    const statement = this.db.prepare(`SELECT id, data_origin, ${notice}, started_at FROM runs ${where}`);
    const rows = (ids === undefined ? statement.all() : statement.all(JSON.stringify([...ids]))) as Array<{
      id: number;
      data_origin: string;
      notice: string | null;
      started_at: string;
    }>;
    return new Map(rows.map((r) => [r.id, { origin: r.data_origin, notice: r.notice, startedAt: r.started_at }]));
  }

  integrityCheck(): string {
    return this.db.pragma('integrity_check', { simple: true }) as string;
  }
}

/**
 * Rows to objects, one string per distinct text. Years of daily runs repeat the same few hundred subjects,
 * queries and dates; sharing them keeps a 10-year history a few MB instead of tens, which is most of what
 * keeps `report` under a second (the garbage collector otherwise copies every row string twice).
 */
function readObservations(rows: IterableIterator<ObservationRow>): StoredObservation[] {
  const strings = new Map<string, string>();
  const shared = (text: string): string => {
    const seen = strings.get(text);
    if (seen !== undefined) return seen;
    strings.set(text, text);
    return text;
  };
  const observations: StoredObservation[] = [];
  for (const [id, runId, source, metric, subject, period, method, value, observedAt, query, collectorVersion, suspect] of rows) {
    const observation: StoredObservation = {
      id,
      runId,
      source: shared(source),
      metric: shared(metric),
      subject: shared(subject),
      period: shared(period),
      method: shared(method),
      value,
      observedAt: shared(observedAt),
      query: shared(query),
      collectorVersion: shared(collectorVersion),
    };
    // Only on the few held-back rows, so ten years of rows keep their shape.
    if (suspect !== null && suspect !== undefined) observation.suspect = suspect;
    observations.push(observation);
  }
  return observations;
}

/**
 * Connects to `file` (the database at `path`, or a copy of it) and checks it is ours, undamaged and not
 * from a newer version; a writer then brings its schema up to date. Closed again on any failure.
 */
function connect(file: string, path: string, readonly: boolean, check: boolean): Database.Database {
  let db: Database.Database;
  try {
    // SQLite opens by name and follows links: it must get the regular file that is there (no-follow.ts).
    db = openRegularFile(
      file,
      { create: !readonly },
      () => new Database(file, { readonly, fileMustExist: readonly }),
      (opened) => opened.close(),
    );
  } catch (err) {
    if (err instanceof FileSwappedError || (err as NodeJS.ErrnoException).code === 'ELOOP') {
      throw new UsageError(`database ${path} cannot be used (${errorLine(err)}); pass --db with the database file itself`);
    }
    throw err;
  }
  try {
    // Any read fails here on a file that is not SQLite ("file is not a database").
    const appId = db.pragma('application_id', { simple: true }) as number;
    const tables = db.prepare(`SELECT count(*) AS n FROM sqlite_master WHERE type = 'table'`).get() as { n: number };
    if (appId !== APPLICATION_ID && (appId !== 0 || tables.n > 0)) {
      throw new UsageError(`database ${path} belongs to another program; pass --db with a path for adoption-metrics`);
    }
    if (readonly && tables.n === 0) {
      throw new UsageError(`database ${path} is empty; run \`adoption-metrics collect --db ${path}\` first`);
    }
    if (check || !readonly) {
      const problem = quickCheck(db);
      if (problem) throw damagedDatabase(path, problem);
    }
    const version = db.pragma('user_version', { simple: true }) as number;
    if (version > SCHEMA_VERSION) {
      throw new UsageError(`database ${path} was written by a newer adoption-metrics (schema ${version}); upgrade the tool`);
    }
    if (!readonly) {
      db.pragma('journal_mode = WAL');
      db.pragma('synchronous = NORMAL');
      db.pragma('busy_timeout = 10000');
      migrate(db);
    }
    return db;
  } catch (err) {
    db.close();
    throw err;
  }
}

/**
 * The database and the side files SQLite writes beside it (`-wal`, `-shm`, a rollback `-journal`) are only ever
 * regular files, never reached through a link: checked before SQLite opens them by name (no-follow.ts). A FIFO
 * is refused here too, before an open that would wait on it forever.
 */
function refuseUnusableFiles(path: string): void {
  const problem = notRegularFile(path);
  if (problem) {
    const advice = problem.includes('symbolic link')
      ? 'pass --db with the database file itself'
      : 'pass --db with an adoption-metrics database';
    throw new UsageError(`database ${path} cannot be used: ${problem}; ${advice}`);
  }
  for (const side of ['-wal', '-shm', '-journal']) {
    const sideProblem = notRegularFile(`${path}${side}`);
    if (sideProblem) {
      throw new UsageError(
        `database ${path} cannot be used: ${path}${side} ${sideProblem.replace(/^it /, '')}; it is SQLite's own file: delete it when no adoption-metrics run is going, then run again`,
      );
    }
  }
}

/** The first problem PRAGMA quick_check finds (a damaged page, a broken b-tree), or undefined when there is none. */
function quickCheck(db: Database.Database): string | undefined {
  const rows = db.pragma('quick_check') as Array<{ quick_check: string }>;
  const lines = rows.flatMap((r) => r.quick_check.split('\n')).filter((l) => l !== 'ok' && !l.startsWith('***'));
  return rows.length === 1 && rows[0]!.quick_check === 'ok' ? undefined : (lines[0] ?? 'quick_check failed');
}

/** SQLite could not make the `-shm`/`-wal` files a WAL reader needs (SQLITE_READONLY_DIRECTORY, _CANTINIT…). */
function needsSideFiles(err: unknown): boolean {
  const code = (err as { code?: unknown })?.code;
  return typeof code === 'string' && (code.startsWith('SQLITE_READONLY') || code === 'SQLITE_CANTOPEN');
}

/** One line for a database that could not be opened: ours to say (usage, damage, full disk) or SQLite's. */
function openFailure(err: unknown, path: string, readonly = true): Error {
  if (err instanceof UsageError || err instanceof StorageError) return err;
  return (
    (readonly ? undefined : notWritable(err, path)) ??
    storageFailure(err, `database ${path}`) ??
    new UsageError(`database ${path} cannot be opened (${errorLine(err)}); pass --db with an adoption-metrics database or a new path`)
  );
}

/**
 * A writer that could not open the database because it may not write the file or its directory (where SQLite
 * makes its -wal and -shm files), by permissions or a read-only mount: said as that (exit 1), not as a file
 * that is not a database. SQLite says only "unable to open database file", so both are asked.
 */
function notWritable(err: unknown, path: string): StorageError | undefined {
  const code = String((err as { code?: unknown })?.code ?? '');
  if (!['EACCES', 'EPERM', 'EROFS', 'SQLITE_CANTOPEN'].includes(code) && !code.startsWith('SQLITE_READONLY')) return undefined;
  const probes: Array<[string, string | undefined]> = [
    ...(existsSync(path) ? [[path, undefined] as [string, undefined]] : []),
    [dirname(path), 'its directory'],
  ];
  for (const [target, part] of probes) {
    try {
      accessSync(target, constants.W_OK);
    } catch (probe) {
      const said = unwritable(probe, `database ${path}`, 'run again', part);
      if (said) return said;
    }
  }
  return undefined;
}

function hasTable(db: Database.Database, table: string): boolean {
  return db.prepare(`SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?`).get(table) !== undefined;
}

/**
 * Whether any value was ever marked suspect: without marks (a version-2 database, read-only, or the usual
 * history) readers skip the per-row lookup, a fifth of the time of reading ten years of rows.
 */
function hasMarks(db: Database.Database): boolean {
  return hasTable(db, 'suspect_observations') && db.prepare('SELECT 1 FROM suspect_observations LIMIT 1').get() !== undefined;
}

function whereClause(filter: ObservationFilter): { where: string; params: Record<string, string | number> } {
  const parts: string[] = [];
  const params: Record<string, string | number> = {};
  for (const key of ['source', 'metric', 'subject'] as const) {
    const value = filter[key];
    if (value !== undefined) {
      parts.push(`${key} = @${key}`);
      params[key] = value;
    }
  }
  if (filter.observedBy !== undefined) {
    parts.push('observed_at <= @observedBy');
    params.observedBy = filter.observedBy;
  }
  if (filter.since !== undefined) {
    parts.push('observed_at >= @since');
    params.since = filter.since;
  }
  if (filter.upToId !== undefined) {
    parts.push('id <= @upToId');
    params.upToId = filter.upToId;
  }
  return { where: parts.length ? `WHERE ${parts.join(' AND ')}` : '', params };
}
