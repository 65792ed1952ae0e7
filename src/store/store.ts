import { HISTORY_ORDER, type HistoryRow, type Observation, type StoredObservation } from '../core/observation.js';
import { addDays } from '../core/dates.js';
import type { RowSelection, RowTake } from '../core/row-selection.js';
import type { Driver, LockOptions, Params, RunLock } from './driver.js';
import {
  answerReason,
  type Confirmation,
  DROP_RULE,
  type GuardRow,
  type HeldValue,
  isGoodState,
  isSnapshot,
  judge,
  sameSeries,
  seriesKeyOf,
} from './drop-guard.js';
import { markState, usableRow } from './marks-sql.js';
import { lookups, selectionSql } from './select-rows.js';

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

/** Rows per read of `historyRows`: the memory bound of an export, whatever the history's length. */
const HISTORY_BATCH = 10_000;

/**
 * The time-series store, one for every database (driver.ts): every write is one transaction; nothing here deletes
 * or rewrites an observation. Runs and per-collector outcomes are kept so `status` can say what last succeeded.
 *
 * One connection serves a store, so its operations run one after another (`serial`): a batch's transaction is
 * never interleaved with another collector's write.
 */
export class Store {
  private queue: Promise<unknown> = Promise.resolve();
  /** Set when the run lock was lost: nothing more is written. */
  private failure: Error | undefined;

  constructor(readonly driver: Driver) {}

  /** The database as every message names it: the file, or the URL without its password. */
  get path(): string {
    return this.driver.name;
  }

  /** Runs `work` after every operation asked before it. */
  private serial<T>(work: () => Promise<T>): Promise<T> {
    const result = this.queue.then(() => {
      if (this.failure) throw this.failure;
      return work();
    });
    this.queue = result.catch(() => undefined);
    return result;
  }

  private all<T>(sql: string, params?: Params): Promise<T[]> {
    return this.serial(() => this.driver.all<T>(sql, params));
  }

  private run(sql: string, params?: Params): Promise<number> {
    return this.serial(() => this.driver.run(sql, params));
  }

  private transaction<T>(work: () => Promise<T>): Promise<T> {
    return this.serial(() => this.driver.transaction(work));
  }

  async close(): Promise<void> {
    await this.queue;
    await this.driver.close();
  }

  /** Serializes runs on this database; a lock lost while held stops every later write of this store. */
  async lockRuns(options: LockOptions): Promise<RunLock> {
    const lock = await this.driver.lockRuns(options);
    lock.onLost?.((err) => {
      this.failure ??= err;
    });
    return lock;
  }

  async beginRun(run: {
    command: string;
    collectors: string[];
    asOf: string;
    dataOrigin: string;
    toolVersion: string;
    startedAt: string;
    /** Shown with every report made from this run's data (a replayed archive's NOTICE). */
    notice?: string | null;
  }): Promise<number> {
    const [row] = await this.all<{ id: number }>(
      `INSERT INTO runs (started_at, command, collectors, as_of, data_origin, tool_version, pid, notice)
       VALUES (@startedAt, @command, @collectors, @asOf, @dataOrigin, @toolVersion, @pid, @notice) RETURNING id`,
      {
        startedAt: run.startedAt,
        command: run.command,
        collectors: JSON.stringify(run.collectors),
        asOf: run.asOf,
        dataOrigin: run.dataOrigin,
        toolVersion: run.toolVersion,
        pid: process.pid,
        notice: run.notice ?? null,
      },
    );
    return row!.id;
  }

  /** Runs left `running` by a killed process. Call only while holding the run lock. */
  markInterruptedRuns(finishedAt: string): Promise<number> {
    return this.transaction(async () => {
      await this.driver.run(`UPDATE collector_runs SET outcome = 'interrupted', finished_at = @finishedAt WHERE outcome = 'running'`, {
        finishedAt,
      });
      return this.driver.run(`UPDATE runs SET outcome = 'interrupted', finished_at = @finishedAt WHERE outcome = 'running'`, {
        finishedAt,
      });
    });
  }

  /**
   * A signal stopped run `runId`: it and its collectors still running become `interrupted`, with `reason`.
   * False when the run had already finished (its reports were being written).
   */
  interruptRun(runId: number, reason: string, finishedAt: string): Promise<boolean> {
    return this.transaction(async () => {
      await this.driver.run(
        `UPDATE collector_runs SET outcome = 'interrupted', message = @reason, finished_at = @finishedAt
          WHERE run_id = @runId AND outcome = 'running'`,
        { reason, finishedAt, runId },
      );
      const changed = await this.driver.run(
        `UPDATE runs SET outcome = 'interrupted', errors = @errors, finished_at = @finishedAt WHERE id = @runId AND outcome = 'running'`,
        { errors: JSON.stringify([reason]), finishedAt, runId },
      );
      return changed > 0;
    });
  }

  async finishRun(runId: number, outcome: RunOutcome, errors: string[], finishedAt: string): Promise<void> {
    await this.run(`UPDATE runs SET outcome = @outcome, errors = @errors, finished_at = @finishedAt WHERE id = @runId`, {
      outcome,
      errors: JSON.stringify(errors),
      finishedAt,
      runId,
    });
  }

  async beginCollector(runId: number, collector: string, startedAt: string): Promise<void> {
    await this.run(`INSERT INTO collector_runs (run_id, collector, started_at) VALUES (@runId, @collector, @startedAt)`, {
      runId,
      collector,
      startedAt,
    });
  }

  /** Records how a collector ended; what it stored is counted as it stores it (appendObservations). */
  async finishCollector(runId: number, collector: string, outcome: CollectorOutcome, message: string | null, finishedAt: string) {
    await this.run(
      `UPDATE collector_runs SET outcome = @outcome, message = @message, finished_at = @finishedAt
        WHERE run_id = @runId AND collector = @collector`,
      { outcome, message, finishedAt, runId, collector },
    );
  }

  /**
   * Appends a batch in one transaction, guarded against collapses (drop-guard.ts decides, this records): a
   * value that fell by more than half from the last good one of its series is stored and marked suspect (or
   * marked and accepted, with `acceptDrops`), and the rest of its batch (one answer) is held back with it; an
   * independent later value that repeats it confirms it, one back at the old level contradicts it (a blip, which
   * stays out of reports). `at`: now, an ISO timestamp (when marks are made and resolved). The run's collector
   * record counts the new rows in the same transaction, so a run killed midway still says what it stored.
   */
  appendObservations(runId: number, batch: readonly Observation[], options: { acceptDrops?: boolean; at: string }): Promise<AppendResult> {
    const { driver } = this;
    // The series' recent rows (drop-guard.ts sameSeries), newest first, with their marks. A year's count reads
    // its period's rows through the index up to its date; a snapshot (period = its date) reads its series'.
    const rowsOf = (period: string, window: string, order: string) =>
      `SELECT o.id, o.value, o.observed_at AS "observedAt", o.source, o.metric, o.subject, o.method, o.period, o.query,
              o.series_key AS "seriesKey", ${markState(driver.dialect, 'o')} AS state,
              m.marked_at AS "markedAt", m.cause, m.previous_id AS "previousId", p.value AS "previousValue",
              p.observed_at AS "previousObservedAt"
         FROM observations o
         LEFT JOIN suspect_observations m ON m.observation_id = o.id
         LEFT JOIN observations p ON p.id = m.previous_id
        WHERE o.source = @source AND o.metric = @metric AND o.subject = @subject AND o.method = @method AND ${period}
          AND ${window} AND coalesce(o.series_key, o.query) = @seriesKey
        ORDER BY ${order}, o.run_id DESC, o.id DESC LIMIT 50`;
    const onePeriod = 'o.period = @period';
    const snapshots = '(o.period = @period OR o.period = o.observed_at)';
    const upTo = ['o.observed_at <= @observedAt', 'o.observed_at DESC'] as const;
    const ofPeriod = rowsOf(onePeriod, ...upTo);
    const ofSnapshots = rowsOf(snapshots, ...upTo);
    // A back-dated backfill runs its as-of days newest first: a series with no good row on or before a day is
    // judged against its nearest good row of the DROP_RULE.laterDays after.
    const after = ['o.observed_at > @observedAt AND o.observed_at <= @until', 'o.observed_at'] as const;
    const nextOfPeriod = rowsOf(onePeriod, ...after);
    const nextOfSnapshots = rowsOf(snapshots, ...after);
    const mark = (id: number, previousId: number, reason: string, cause: string) =>
      driver.run(
        `INSERT INTO suspect_observations (observation_id, previous_id, run_id, reason, marked_at, cause)
         VALUES (@id, @previousId, @runId, @reason, @at, @cause)`,
        { id, previousId, runId, reason, at: options.at, cause },
      );
    const resolve = (id: number, resolution: string) =>
      driver.run(
        `INSERT INTO suspect_resolutions (observation_id, run_id, resolution, resolved_at) VALUES (@id, @runId, @resolution, @at)`,
        { id, runId, resolution, at: options.at },
      );
    return this.transaction(async () => {
      const result: AppendResult = { added: 0, held: [], heldWith: 0, accepted: [], confirmed: [] };
      const added: Observation[] = [];
      /** New rows nothing marked, with their own last good row: held back with the answer if a value of it fell. */
      const unmarked: Array<{ id: number; o: Observation; good?: GuardRow }> = [];
      let fellFrom: number | undefined;
      for (const o of batch) {
        // The SQL narrows by index; sameSeries is the rule.
        const series = {
          source: o.source,
          metric: o.metric,
          subject: o.subject,
          method: o.method,
          period: o.period,
          observedAt: o.observedAt,
          seriesKey: seriesKeyOf(o),
        };
        const rows = (await driver.all<SeriesRow>(isSnapshot(o) ? ofSnapshots : ofPeriod, series)).filter((r) => sameSeries(r, o));
        const later = rows.some((r) => isGoodState(r.state))
          ? undefined
          : (
              await driver.all<SeriesRow>(isSnapshot(o) ? nextOfSnapshots : nextOfPeriod, {
                ...series,
                until: addDays(o.observedAt, DROP_RULE.laterDays),
              })
            ).find((r) => sameSeries(r, o) && isGoodState(r.state));
        const inserted = await this.insertOne(runId, o);
        if (inserted !== undefined) added.push(o);
        const verdict = judge(o, rows, {
          inserted: inserted !== undefined,
          at: options.at,
          acceptDrops: options.acceptDrops ?? false,
          ...(later ? { later } : {}),
        });
        for (const r of verdict.resolve) await resolve(r.id, r.resolution);
        if (verdict.mark && inserted !== undefined) {
          await mark(inserted, verdict.mark.previousId, verdict.mark.reason, 'fall');
          if (verdict.mark.accepted) await resolve(inserted, 'accepted');
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
        for (const { id, good } of unmarked) await mark(id, good?.id ?? fellFrom, reason, 'answer');
        result.heldWith += unmarked.length;
      }
      await this.countStored(runId, added);
      result.added = added.length;
      return result;
    });
  }

  /** Appends a batch in one transaction, unguarded; returns how many rows were new (re-runs of the same day add none). */
  insertObservations(runId: number, batch: readonly Observation[]): Promise<number> {
    return this.transaction(async () => {
      const added: Observation[] = [];
      for (const o of batch) if ((await this.insertOne(runId, o)) !== undefined) added.push(o);
      await this.countStored(runId, added);
      return added.length;
    });
  }

  /** Inserts one observation; its id, or undefined when the very same row was stored before (a same-day re-run). */
  private async insertOne(runId: number, o: Observation): Promise<number | undefined> {
    if (!Number.isFinite(o.value))
      throw new Error(`refusing to store non-finite value for ${o.source} ${o.metric} ${o.subject} ${o.period}`);
    const [row] = await this.driver.all<{ id: number }>(
      `INSERT INTO observations
         (source, metric, subject, period, method, value, observed_at, run_id, query, collector_version, series_key)
       VALUES (@source, @metric, @subject, @period, @method, @value, @observedAt, @runId, @query, @collectorVersion, @seriesKey)
       ON CONFLICT DO NOTHING RETURNING id`,
      {
        source: o.source,
        metric: o.metric,
        subject: o.subject,
        period: o.period,
        method: o.method,
        value: o.value,
        observedAt: o.observedAt,
        runId,
        query: o.query,
        collectorVersion: o.collectorVersion,
        seriesKey: o.seriesKey !== undefined && o.seriesKey !== o.query ? o.seriesKey : null,
      },
    );
    return row?.id;
  }

  /**
   * Adds a batch's new rows to its collector's record of the run, in the batch's transaction (a collector's id
   * is the source of what it stores), so the count is true whenever the run stops, SIGKILL included.
   */
  private async countStored(runId: number, added: readonly Observation[]): Promise<void> {
    const bySource = new Map<string, number>();
    for (const o of added) bySource.set(o.source, (bySource.get(o.source) ?? 0) + 1);
    for (const [source, n] of bySource) {
      await this.driver.run(`UPDATE collector_runs SET stored = stored + @n WHERE run_id = @runId AND collector = @source`, {
        n,
        runId,
        source,
      });
    }
  }

  /** Every stored observation, oldest first (the whole history, or the part the filter keeps). */
  observations(filter: ObservationFilter = {}): Promise<StoredObservation[]> {
    return this.serial(async () => {
      const { where, params } = whereClause(filter);
      const rows = await this.driver.arrays<ObservationRow>(
        `SELECT ${OBSERVATION_COLUMNS}, ${this.suspectColumn(await this.hasMarks())} FROM observations ${where} ORDER BY observed_at, run_id, id`,
        params,
      );
      return readObservations(rows);
    });
  }

  /**
   * The rows answering `selections` (src/core/row-selection.ts), each once, oldest first: only rows reports use,
   * stored up to `upToId` (`lastObservationId()`), so every read of one report sees the same history.
   */
  selectRows(selections: readonly RowSelection[], options: { upToId: number }): Promise<StoredObservation[]> {
    return this.serial(async () => {
      const { dialect } = this.driver;
      const good = (await this.hasMarks()) ? (alias: string) => usableRow(dialect, alias) : undefined;
      const ids = (['latest', 'every'] as const satisfies readonly RowTake[])
        .filter((take) => selections.some((s) => s.take === take))
        .map((take) => `SELECT id FROM (${selectionSql(take, good, dialect).replaceAll('@lookups', `@${take}`)}) AS ${take}_ids`);
      if (ids.length === 0) return [];
      const params: Record<string, string | number> = { upToId: options.upToId };
      for (const take of ['latest', 'every'] as const) {
        if (selections.some((s) => s.take === take)) params[take] = lookups(selections.filter((s) => s.take === take));
      }
      const rows = await this.driver.arrays<ObservationRow>(
        `SELECT ${OBSERVATION_COLUMNS}, NULL AS suspect FROM observations
          WHERE id IN (${ids.join(' UNION ')}) ORDER BY observed_at, run_id, id`,
        params,
      );
      return readObservations(rows);
    });
  }

  /** The values held back (suspect, or a blip a later run contradicted) observed by `observedBy`, oldest first, each with why. */
  heldBackRows(filter: { observedBy: string; upToId: number }): Promise<StoredObservation[]> {
    return this.serial(async () => {
      if (!(await this.hasMarks())) return [];
      const rows = await this.driver.arrays<ObservationRow>(
        `SELECT * FROM (SELECT ${OBSERVATION_COLUMNS}, ${this.suspectColumn(true)} FROM observations
                         WHERE id IN (SELECT observation_id FROM suspect_observations) AND observed_at <= @observedBy AND id <= @upToId) AS h
          WHERE suspect IS NOT NULL ORDER BY observed_at, run_id, id`,
        filter,
      );
      return readObservations(rows);
    });
  }

  /** Whether anything was observed by `observedBy` (stored up to `upToId`). */
  async hasObservations(filter: { observedBy: string; upToId: number }): Promise<boolean> {
    const rows = await this.all(`SELECT 1 AS found FROM observations WHERE observed_at <= @observedBy AND id <= @upToId LIMIT 1`, filter);
    return rows.length > 0;
  }

  /**
   * Why a row is held back (suspect, or a blip a later run contradicted), or NULL for a row reports use;
   * `marked`: hasMarks(), without which every row is NULL (a version-2 database, read-only, has no marks).
   */
  private suspectColumn(marked: boolean): string {
    if (!marked) return 'NULL AS suspect';
    const state = markState(this.driver.dialect, 'observations');
    return `(SELECT CASE ${state} WHEN 'suspect' THEN s.reason WHEN 'contradicted' THEN s.reason || '; a later run saw the old level again'
              END FROM suspect_observations s WHERE s.observation_id = observations.id) AS suspect`;
  }

  /**
   * Whether any value was ever marked suspect: without marks (a version-2 database, read-only, or the usual
   * history) readers skip the per-row lookup, a fifth of the time of reading ten years of rows.
   */
  private async hasMarks(): Promise<boolean> {
    if (this.driver.schemaVersion < 3) return false;
    return (await this.driver.all('SELECT 1 AS found FROM suspect_observations LIMIT 1')).length > 0;
  }

  /**
   * The history as `export` writes it (the columns of observations.csv), in HISTORY_ORDER, as arrays, a batch at a
   * time from one consistent read: in the order of an index, so nothing is sorted, and never built into objects.
   * The connection is busy until the loop ends (or `return()` is called): nothing else may use the store meanwhile.
   */
  async *historyRows(filter: ObservationFilter = {}): AsyncGenerator<HistoryRow> {
    const { where, params } = whereClause(filter);
    const order = HISTORY_ORDER.map((key) => COLUMN_OF[key]).join(', ');
    // Held back: a suspect value, or a blip a later run contradicted (drop-guard.ts); 'false' in a version-2 database.
    const heldBack = (await this.serial(() => this.hasMarks()))
      ? `CASE WHEN ${markState(this.driver.dialect, 'o')} IN ('suspect', 'contradicted') THEN 'true' ELSE 'false' END`
      : `'false'`;
    const batches = this.driver.stream<HistoryRow>(
      `SELECT source, metric, subject, period, value, observed_at, run_id, query, method, ${heldBack}
         FROM observations o ${where} ORDER BY ${order}`,
      params,
      HISTORY_BATCH,
    );
    for await (const batch of batches) yield* batch;
  }

  /**
   * The latest observation of each (source, metric, subject, period, method): newest observed_at, then newest
   * run. `withSuspects: false` skips values held back as suspect, so an incremental refresh asks for them again.
   */
  latestObservations(filter: ObservationFilter & { withSuspects?: boolean } = {}): Promise<StoredObservation[]> {
    return this.serial(async () => {
      const { where, params } = whereClause(filter);
      const keep = filter.withSuspects === false ? 'AND suspect IS NULL' : '';
      const rows = await this.driver.arrays<ObservationRow>(
        `SELECT ${OBSERVATION_COLUMNS}, suspect FROM (
           SELECT *, row_number() OVER (
             PARTITION BY source, metric, subject, period, method
             ORDER BY observed_at DESC, run_id DESC, id DESC) AS rank
           FROM (SELECT *, ${this.suspectColumn(await this.hasMarks())} FROM observations ${where}) AS filtered WHERE TRUE ${keep}) AS ranked
         WHERE rank = 1 ORDER BY source, metric, subject, period, method`,
        params,
      );
      return readObservations(rows);
    });
  }

  /** Every source with stored observations, in order: one index seek per source, not a scan. */
  async storedSources(): Promise<string[]> {
    const rows = await this.all<{ source: string }>(
      `WITH RECURSIVE s(source) AS (
         SELECT min(source) FROM observations
         UNION ALL SELECT (SELECT min(source) FROM observations WHERE source > s.source) FROM s WHERE s.source IS NOT NULL)
       SELECT source FROM s WHERE source IS NOT NULL`,
    );
    return rows.map((r) => r.source);
  }

  /** The id of the newest stored observation, 0 when none: ids only grow, since rows are never deleted. */
  async lastObservationId(): Promise<number> {
    const [row] = await this.all<{ id: number }>(`SELECT coalesce(max(id), 0) AS id FROM observations`);
    return Number(row!.id);
  }

  async countObservations(): Promise<number> {
    const [row] = await this.all<{ n: number }>(`SELECT count(*) AS n FROM observations`);
    return Number(row!.n);
  }

  async runs(limit = 20): Promise<RunRecord[]> {
    const rows = await this.all<Record<string, unknown>>(`SELECT * FROM runs ORDER BY id DESC LIMIT @limit`, { limit });
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
  async collectorStatus(): Promise<Array<{ collector: string; last: CollectorRunRecord; lastSuccess: CollectorRunRecord | null }>> {
    const rows = await this.all<Record<string, unknown>>(
      `SELECT c.*, r.as_of, r.data_origin FROM collector_runs c JOIN runs r ON r.id = c.run_id ORDER BY c.run_id DESC`,
    );
    const countedAtEnd = this.driver.schemaVersion < 4;
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
  async originsOfStoredData(): Promise<string[]> {
    const rows = await this.all<{ data_origin: string }>(
      `SELECT DISTINCT data_origin FROM runs WHERE id IN (SELECT run_id FROM observations) ORDER BY data_origin`,
    );
    return rows.map((r) => r.data_origin);
  }

  /**
   * Where each run's data came from, and its notice if any (a version-1 database, read-only, has none): of every
   * run, or of the runs `ids`.
   */
  async runProvenance(ids?: Iterable<number>): Promise<Map<number, RunProvenance>> {
    const notice = this.driver.schemaVersion >= 2 ? 'notice' : 'NULL AS notice';
    const where = ids === undefined ? '' : `WHERE id IN (SELECT j.value FROM ${this.driver.dialect.jsonIntegers('@ids', 'j')})`;
    const rows = await this.all<{ id: number; data_origin: string; notice: string | null; started_at: string }>(
      `SELECT id, data_origin, ${notice}, started_at FROM runs ${where}`,
      ids === undefined ? {} : { ids: JSON.stringify([...ids]) },
    );
    return new Map(rows.map((r) => [r.id, { origin: r.data_origin, notice: r.notice, startedAt: r.started_at }]));
  }
}

/**
 * Rows to objects, one string per distinct text. Years of daily runs repeat the same few hundred subjects,
 * queries and dates; sharing them keeps a 10-year history a few MB instead of tens, which is most of what
 * keeps `report` under a second (the garbage collector otherwise copies every row string twice).
 */
function readObservations(rows: readonly ObservationRow[]): StoredObservation[] {
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
