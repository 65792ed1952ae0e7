import type { Driver, Params } from './driver.js';
import { StorageError } from './storage-error.js';
import type { Store } from './store.js';

/** What `copy` moves, in the order it moves them (each refers to the ones before). */
export const COPIED_TABLES = ['runs', 'collector_runs', 'observations', 'suspect_observations', 'suspect_resolutions'] as const;
export type CopiedTable = (typeof COPIED_TABLES)[number];

/** One table's copy, verified by row counts. */
export interface TableCopy {
  table: CopiedTable;
  /** Rows in the source. */
  source: number;
  /** Source rows the target did not hold, added now. */
  added: number;
  /** Source rows the target held already (an earlier copy, or the same run seen by both). */
  present: number;
  /** Rows in the target before and after. */
  before: number;
  after: number;
}

/** Observations per INSERT: 11 parameters each, well within both databases' limits. */
const OBSERVATION_BATCH = 500;

/**
 * Copies the whole history of `from` into `to`, in one transaction on `to` and from one consistent read of `from`:
 * runs, collector runs, observations, and the collapse guard's marks and resolutions. Ids are the target's own:
 * each source run is found in the target by what never changes about it (its start, command, pid, as-of date,
 * origin, collectors, tool version, notice) or added, and every reference follows (a run's collectors and
 * observations, a mark's observation and the value it fell from, a resolution's mark and run); an observation is
 * found by its natural key (series, period, date, query, value), as a same-day re-run is. So a second copy adds
 * nothing; what a copied run did since (finished, its collectors' counts) is brought up to date.
 *
 * Verified before committing by row counts per table: every source row added or already present, and the
 * target grown by exactly the rows added. Anything else rolls the whole copy back.
 */
export async function copyHistory(from: Store, to: Store): Promise<TableCopy[]> {
  const source = from.driver;
  const target = to.driver;
  return source.snapshot(() =>
    target.transaction(async () => {
      const sourceCounts = await countRows(source);
      const before = await countRows(target);
      const added = new Map<CopiedTable, number>();
      const present = new Map<CopiedTable, number>();
      const tally = (table: CopiedTable, wasAdded: boolean) => {
        const into = wasAdded ? added : present;
        into.set(table, (into.get(table) ?? 0) + 1);
      };
      const runIds = await copyRuns(source, target, tally);
      await copyCollectorRuns(source, target, runIds, tally);
      await copyObservations(source, target, runIds, tally);
      const observationIds = await copyMarks(source, target, runIds, tally);
      await copyResolutions(source, target, runIds, observationIds, tally);
      const after = await countRows(target);
      const copies = COPIED_TABLES.map((table) => ({
        table,
        source: sourceCounts[table],
        added: added.get(table) ?? 0,
        present: present.get(table) ?? 0,
        before: before[table],
        after: after[table],
      }));
      const wrong = copies.filter((c) => c.added + c.present !== c.source || c.after !== c.before + c.added);
      if (wrong.length > 0) {
        const said = wrong.map(
          (c) => `${c.table}: ${c.source} in ${from.path}, ${c.added} added + ${c.present} present, ${c.before} → ${c.after}`,
        );
        throw new StorageError(`copy to ${to.path} did not add up (${said.join('; ')}); nothing was copied`);
      }
      return copies;
    }),
  );
}

type Tally = (table: CopiedTable, added: boolean) => void;

/** Rows per copied table. */
export async function countRows(driver: Driver): Promise<Record<CopiedTable, number>> {
  const [row] = await driver.all<Record<CopiedTable, number>>(
    `SELECT ${COPIED_TABLES.map((t) => `(SELECT count(*) FROM ${t}) AS ${t}`).join(', ')}`,
  );
  return Object.fromEntries(COPIED_TABLES.map((t) => [t, Number(row![t])])) as Record<CopiedTable, number>;
}

interface RunRow {
  id: number;
  started_at: string;
  finished_at: string | null;
  command: string;
  collectors: string;
  as_of: string;
  data_origin: string;
  outcome: string;
  errors: string;
  tool_version: string;
  pid: number | null;
  notice: string | null;
}

const RUN_COLUMNS = 'id, started_at, finished_at, command, collectors, as_of, data_origin, outcome, errors, tool_version, pid, notice';

/** What never changes about a run once it began: how the same run is found in another database. */
const runIdentity = (r: RunRow) =>
  JSON.stringify([r.started_at, r.command, r.collectors, r.as_of, r.data_origin, r.tool_version, r.pid, r.notice]);

/** Source run id → target run id. */
async function copyRuns(source: Driver, target: Driver, tally: Tally): Promise<Map<number, number>> {
  const known = new Map((await target.all<RunRow>(`SELECT ${RUN_COLUMNS} FROM runs`)).map((r) => [runIdentity(r), r]));
  const ids = new Map<number, number>();
  for (const run of await source.all<RunRow>(`SELECT ${RUN_COLUMNS} FROM runs ORDER BY id`)) {
    const same = known.get(runIdentity(run));
    if (same) {
      ids.set(run.id, same.id);
      tally('runs', false);
      // A run copied while it was still going has ended since.
      if (same.finished_at !== run.finished_at || same.outcome !== run.outcome || same.errors !== run.errors) {
        await target.run(`UPDATE runs SET finished_at = @finished_at, outcome = @outcome, errors = @errors WHERE id = @id`, {
          ...params(run, ['finished_at', 'outcome', 'errors']),
          id: same.id,
        });
      }
      continue;
    }
    const [row] = await target.all<{ id: number }>(
      `INSERT INTO runs (started_at, finished_at, command, collectors, as_of, data_origin, outcome, errors, tool_version, pid, notice)
       VALUES (@started_at, @finished_at, @command, @collectors, @as_of, @data_origin, @outcome, @errors, @tool_version, @pid, @notice)
       RETURNING id`,
      params(run, [
        'started_at',
        'finished_at',
        'command',
        'collectors',
        'as_of',
        'data_origin',
        'outcome',
        'errors',
        'tool_version',
        'pid',
        'notice',
      ]),
    );
    ids.set(run.id, Number(row!.id));
    known.set(runIdentity(run), { ...run, id: Number(row!.id) });
    tally('runs', true);
  }
  return ids;
}

interface CollectorRunRow {
  run_id: number;
  collector: string;
  started_at: string;
  finished_at: string | null;
  outcome: string;
  stored: number;
  message: string | null;
}

async function copyCollectorRuns(source: Driver, target: Driver, runIds: Map<number, number>, tally: Tally): Promise<void> {
  const rows = await source.all<CollectorRunRow>(
    `SELECT run_id, collector, started_at, finished_at, outcome, stored, message FROM collector_runs ORDER BY run_id, collector`,
  );
  for (const row of rows) {
    const values = {
      ...params(row, ['collector', 'started_at', 'finished_at', 'outcome', 'stored', 'message']),
      run_id: mapped(runIds, row.run_id),
    };
    const inserted = await target.all(
      `INSERT INTO collector_runs (run_id, collector, started_at, finished_at, outcome, stored, message)
       VALUES (@run_id, @collector, @started_at, @finished_at, @outcome, @stored, @message)
       ON CONFLICT (run_id, collector) DO NOTHING RETURNING run_id`,
      values,
    );
    tally('collector_runs', inserted.length > 0);
    if (inserted.length === 0) {
      // Brought up to date: a collector copied while it ran has finished since.
      await target.run(
        `UPDATE collector_runs SET finished_at = @finished_at, outcome = @outcome, stored = @stored, message = @message
          WHERE run_id = @run_id AND collector = @collector`,
        values,
      );
    }
  }
}

const OBSERVATION_FIELDS = [
  'source',
  'metric',
  'subject',
  'period',
  'method',
  'value',
  'observed_at',
  'run_id',
  'query',
  'collector_version',
  'series_key',
] as const;

/** Every observation, a batch at a time in storage order (ids only grow), each batch one INSERT. */
async function copyObservations(source: Driver, target: Driver, runIds: Map<number, number>, tally: Tally): Promise<void> {
  let after = 0;
  for (;;) {
    const rows = await source.all<Record<(typeof OBSERVATION_FIELDS)[number] | 'id', string | number | null>>(
      `SELECT id, ${OBSERVATION_FIELDS.join(', ')} FROM observations WHERE id > @after ORDER BY id LIMIT ${OBSERVATION_BATCH}`,
      { after },
    );
    if (rows.length === 0) return;
    after = Number(rows.at(-1)!.id);
    const values: Record<string, string | number | null> = {};
    const tuples = rows.map((row, i) => {
      for (const field of OBSERVATION_FIELDS) values[`${field}${i}`] = row[field] ?? null;
      values[`run_id${i}`] = mapped(runIds, Number(row.run_id));
      // Typed where the database cannot tell from a VALUES list alone.
      const cast = (field: string) =>
        field === 'value' ? `CAST(@value${i} AS DOUBLE PRECISION)` : field === 'run_id' ? `CAST(@run_id${i} AS BIGINT)` : `@${field}${i}`;
      return `(${OBSERVATION_FIELDS.map(cast).join(', ')})`;
    });
    const inserted = await target.all(
      `WITH v(${OBSERVATION_FIELDS.join(', ')}) AS (VALUES ${tuples.join(', ')})
       INSERT INTO observations (${OBSERVATION_FIELDS.join(', ')}) SELECT ${OBSERVATION_FIELDS.join(', ')} FROM v WHERE TRUE
       ON CONFLICT DO NOTHING RETURNING id`,
      values,
    );
    for (let i = 0; i < rows.length; i++) tally('observations', i < inserted.length);
  }
}

interface MarkRow {
  observation_id: number;
  previous_id: number;
  run_id: number;
  reason: string;
  marked_at: string | null;
  cause: string;
}

/** The natural key of an observation: what makes a row the same row in any database. */
const NATURAL_KEY = ['source', 'metric', 'subject', 'method', 'period', 'observed_at', 'query', 'value'] as const;

/** Source observation id → target observation id, for every marked observation and every value a mark fell from. */
async function copyMarks(source: Driver, target: Driver, runIds: Map<number, number>, tally: Tally): Promise<Map<number, number>> {
  const marks = await source.all<MarkRow>(
    `SELECT observation_id, previous_id, run_id, reason, marked_at, cause FROM suspect_observations ORDER BY observation_id`,
  );
  const ids = new Map<number, number>();
  const targetId = async (id: number): Promise<number> => {
    const known = ids.get(id);
    if (known !== undefined) return known;
    const [key] = await source.all<Record<(typeof NATURAL_KEY)[number], string | number>>(
      `SELECT ${NATURAL_KEY.join(', ')} FROM observations WHERE id = @id`,
      { id },
    );
    const [row] = key
      ? await target.all<{ id: number }>(
          `SELECT id FROM observations WHERE ${NATURAL_KEY.map((c) => `${c} = @${c}`).join(' AND ')} ORDER BY id LIMIT 1`,
          params(key, NATURAL_KEY),
        )
      : [];
    if (!row) throw new StorageError(`copy: observation ${id}, marked in the source, is not in the target; nothing was copied`);
    ids.set(id, Number(row.id));
    return Number(row.id);
  };
  for (const mark of marks) {
    const inserted = await target.all(
      `INSERT INTO suspect_observations (observation_id, previous_id, run_id, reason, marked_at, cause)
       VALUES (@observation_id, @previous_id, @run_id, @reason, @marked_at, @cause)
       ON CONFLICT (observation_id) DO NOTHING RETURNING observation_id`,
      {
        ...params(mark, ['reason', 'marked_at', 'cause']),
        observation_id: await targetId(mark.observation_id),
        previous_id: await targetId(mark.previous_id),
        run_id: mapped(runIds, mark.run_id),
      },
    );
    tally('suspect_observations', inserted.length > 0);
  }
  return ids;
}

/**
 * Every resolution, in the order it was made (a mark's latest is its state). The same resolution twice (the same
 * mark, run, outcome and time) is copied as many times as the source holds it.
 */
async function copyResolutions(
  source: Driver,
  target: Driver,
  runIds: Map<number, number>,
  observationIds: Map<number, number>,
  tally: Tally,
): Promise<void> {
  const rows = await source.all<{ observation_id: number; run_id: number; resolution: string; resolved_at: string }>(
    `SELECT observation_id, run_id, resolution, resolved_at FROM suspect_resolutions ORDER BY ${source.dialect.resolutionOrder}`,
  );
  const seen = new Map<string, number>();
  for (const row of rows) {
    const values = {
      observation_id: mapped(observationIds, row.observation_id),
      run_id: mapped(runIds, row.run_id),
      resolution: row.resolution,
      resolved_at: row.resolved_at,
    };
    const key = JSON.stringify(values);
    const wanted = (seen.get(key) ?? 0) + 1;
    seen.set(key, wanted);
    const [held] = await target.all<{ n: number }>(
      `SELECT count(*) AS n FROM suspect_resolutions
        WHERE observation_id = @observation_id AND run_id = @run_id AND resolution = @resolution AND resolved_at = @resolved_at`,
      values,
    );
    const add = Number(held!.n) < wanted;
    if (add) {
      await target.run(
        `INSERT INTO suspect_resolutions (observation_id, run_id, resolution, resolved_at)
         VALUES (@observation_id, @run_id, @resolution, @resolved_at)`,
        values,
      );
    }
    tally('suspect_resolutions', add);
  }
}

function mapped(ids: Map<number, number>, id: number): number {
  const to = ids.get(Number(id));
  if (to === undefined) throw new StorageError(`copy: a row refers to ${id}, which the source does not hold; nothing was copied`);
  return to;
}

/** The named fields of a row, as statement parameters. */
function params<K extends string>(row: Partial<Record<K, unknown>>, keys: readonly K[]): Params {
  return Object.fromEntries(keys.map((k) => [k, (row[k] ?? null) as string | number | null]));
}
