import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, startCli, tempWorkdir, waitFor } from '../helpers/cli.js';
import { countObservations, readDb } from '../helpers/db.js';
import { articleConfig } from '../helpers/config.js';
import { startEsearchServer, type EsearchServer } from '../helpers/esearch-server.js';
import { pairedModels, startHfServer, type HfServer } from '../helpers/hf-server.js';

// What cron does to the tool: runs that overlap, and runs that die. Real CLI processes, one database.
const CONFIG = articleConfig({ fromYear: 2015, toYear: 2023 });
/** Test values, not PubMed data: keyword length × 100 + year offset, so every (keyword, year) differs. */
const papers = (keyword: string, year: number) => keyword.length * 100 + (year - 2000);

let hub: HfServer;
let ncbi: EsearchServer;

beforeAll(async () => {
  // Slow on purpose (a few seconds per run), so a second run or a kill lands in the middle of one.
  hub = await startHfServer({ models: pairedModels(['pytorch', 'tf'], { a: 3_000, b: 1_000, both: 400 }), pageSize: 200, latencyMs: 60 });
  ncbi = await startEsearchServer({ count: (term) => (term ? papers(term.keyword, term.year) : undefined), latencyMs: 150 });
});
afterAll(async () => {
  await hub.close();
  await ncbi.close();
});

function workdir(): string {
  const dir = tempWorkdir('am-cron-');
  writeFileSync(join(dir, 'adoption.config.json'), JSON.stringify(CONFIG));
  return dir;
}

// A key only to pace at NCBI's 10/s against the local server.
const env = () => ({ ...hub.env(), ...ncbi.env({ NCBI_API_KEY: 'cron-test-key' }) });

/** The database as the tests check it: integrity, runs and observations (tests/helpers/db.ts). */
const snapshot = readDb;

describe('cron: overlapping runs', () => {
  it('serializes two overlapping runs on one database: the second waits, then completes; nothing interleaves', async () => {
    const dir = workdir();
    const db = join(dir, 'output/adoption.sqlite');
    const first = startCli(['run', '--as-of', '2024-07-20'], { cwd: dir, env: env() });
    await waitFor(() => countObservations(db) > 0, 30_000, 'the first run to store something');
    const second = startCli(['run', '--as-of', '2024-07-21'], { cwd: dir, env: env() });
    // A third, impatient one gives up with a clear message and changes nothing.
    const impatient = await runCli(['collect', '--as-of', '2024-07-22', '--lock-wait', '1'], { cwd: dir, env: env() });
    expect(impatient.code).toBe(1);
    expect(impatient.stderr).toMatch(
      /another adoption-metrics run holds .*adoption\.sqlite\.lock; waited 1 s\. Try again later or raise --lock-wait/,
    );

    const [a, b] = await Promise.all([first.done, second.done]);
    expect(a.code, a.stderr).toBe(0);
    expect(b.code, b.stderr).toBe(0);
    expect(b.stderr).toMatch(/another run is using .* waiting for it to finish/);

    const { integrity, runs, observations } = snapshot(db);
    expect(integrity).toBe('ok');
    expect(runs.map((r) => [r.as_of, r.outcome])).toEqual([
      ['2024-07-20', 'success'],
      ['2024-07-21', 'success'],
    ]);
    // The second run began only after the first had finished, and its rows all come after the first's.
    expect(runs[1]!.started_at >= runs[0]!.finished_at!).toBe(true);
    const lastOfFirst = Math.max(...observations.filter((o) => o.run_id === runs[0]!.id).map((o) => o.id));
    const firstOfSecond = Math.min(...observations.filter((o) => o.run_id === runs[1]!.id).map((o) => o.id));
    expect(lastOfFirst).toBeLessThan(firstOfSecond);
    // Both runs stored every count (3 Hub totals, papers, completeness counts per as-of date); the Hub's
    // histograms are stored whole once, then only the months that changed (here none).
    const counts = (id: number) => observations.filter((o) => o.run_id === id && o.metric !== 'models_created').length;
    expect(counts(runs[0]!.id)).toBe(counts(runs[1]!.id));
    const months = (id: number) => observations.filter((o) => o.run_id === id && o.metric === 'models_created').length;
    expect(months(runs[0]!.id)).toBeGreaterThan(0);
    expect(months(runs[1]!.id)).toBe(0);
    expect(
      observations.filter((o) => o.source === 'huggingface' && o.observed_at === '2024-07-21').map((o) => [o.subject, o.value]),
    ).toEqual(
      expect.arrayContaining([
        ['pytorch', 3_000],
        ['tf', 1_000],
        ['pytorch+tf', 400],
      ]),
    );
  });
});

describe('cron: a run killed midway (SIGKILL)', () => {
  it('leaves the database intact with every committed observation, and the next run completes', async () => {
    const dir = workdir();
    const db = join(dir, 'output/adoption.sqlite');
    const victim = startCli(['run', '--as-of', '2024-07-20', '--sources', 'pubmed'], { cwd: dir, env: env() });
    await waitFor(() => countObservations(db) >= 8, 30_000, 'some committed observations');
    victim.child.kill('SIGKILL');
    const killed = await victim.done;
    expect(killed.signal).toBe('SIGKILL');

    const after = snapshot(db);
    expect(after.integrity).toBe('ok');
    expect(after.runs.map((r) => r.outcome)).toEqual(['running']);
    expect(after.observations.length).toBeGreaterThanOrEqual(8);
    // Whatever was committed is right.
    for (const o of after.observations) {
      expect(o.value).toBe(papers(o.subject.toLowerCase(), Number(o.period)));
    }
    // The collector's record counts what it had committed (counted with each batch), and status says so.
    expect(after.collectorRuns).toEqual([
      expect.objectContaining({ collector: 'pubmed', outcome: 'running', stored: after.observations.length }),
    ]);
    const killedStatus = await runCli(['status'], { cwd: dir });
    expect(killedStatus.stdout).toMatch(
      new RegExp(`pubmed\\s+#1 \\S+ \\S+\\s+running\\s+2024-07-20\\s+live\\s+${after.observations.length}\\s+never`),
    );

    // The next run takes the lock at once (the kernel released the dead run's), completes, and says what happened.
    const next = await runCli(['run', '--as-of', '2024-07-20', '--sources', 'pubmed'], { cwd: dir, env: env() });
    expect(next.code, next.stderr).toBe(0);
    expect(next.stderr).not.toMatch(/waiting for it to finish/);
    expect(next.stderr).toMatch(/1 earlier run\(s\) had been interrupted; their committed observations are kept/);

    const final = snapshot(db);
    expect(final.integrity).toBe('ok');
    expect(final.runs.map((r) => r.outcome)).toEqual(['interrupted', 'success']);
    // Every observation committed before the kill is still there, unchanged, under the killed run.
    expect(final.observations.slice(0, after.observations.length)).toEqual(after.observations);
    // And the series are complete: 3 keywords × 2015–2023, none twice.
    const papersRows = final.observations.filter((o) => o.period.length === 4 && o.observed_at === '2024-07-20');
    const keys = new Set(papersRows.map((o) => `${o.subject} ${o.period}`));
    for (const k of ['PyTorch', 'TensorFlow', 'Keras']) for (let y = 2015; y <= 2023; y++) expect(keys.has(`${k} ${y}`)).toBe(true);

    const status = await runCli(['status'], { cwd: dir });
    expect(status.stdout).toMatch(/pubmed\s+#2 .*success/);
  });
});

describe('cron: a run stopped by a signal (SIGTERM from systemd or kill, SIGINT from Ctrl-C)', () => {
  /** A PubMed that answers the first 4 requests, then holds every later one unanswered. */
  async function stallingPubmed(): Promise<EsearchServer> {
    return startEsearchServer({
      count: (term) => (term ? papers(term.keyword, term.year) : undefined),
      faults: [{ match: (req) => req.index >= 4, reply: { stall: 'headers' } }],
    });
  }

  /** Starts a pubmed run that stores 4 counts and then waits on the stalled requests. */
  async function stalledRun(dir: string, server: EsearchServer) {
    const db = join(dir, 'output/adoption.sqlite');
    const run = startCli(['collect', '--as-of', '2024-07-20', '--sources', 'pubmed'], {
      cwd: dir,
      env: server.env({ NCBI_API_KEY: 'cron-test-key' }),
    });
    await waitFor(() => countObservations(db) === 4 && server.requests.length > 4, 30_000, '4 stored counts and a stalled request');
    return { db, run };
  }

  for (const [signal, code] of [
    ['SIGTERM', 143],
    ['SIGINT', 130],
  ] as const) {
    it(`${signal}: one log line, exit ${code}, the run and its collector marked interrupted, the lock free`, async (t) => {
      const server = await stallingPubmed();
      t.onTestFinished(() => server.close());
      const dir = workdir();
      const { db, run } = await stalledRun(dir, server);
      const before = snapshot(db).observations;
      const stderrBefore = run.stderr;
      run.child.kill(signal);
      const result = await run.done;

      expect([result.code, result.signal]).toEqual([code, null]);
      expect(result.stderr.slice(stderrBefore.length).trim().split('\n')).toEqual([
        `error ${signal}: stopped run 1, marked interrupted; its 4 stored observation(s) are kept; lock released`,
      ]);
      const after = snapshot(db);
      expect(after.integrity).toBe('ok');
      expect(after.observations).toEqual(before);
      expect(after.runs).toEqual([expect.objectContaining({ id: 1, outcome: 'interrupted', finished_at: expect.any(String) })]);
      expect(after.collectorRuns).toEqual([
        expect.objectContaining({
          collector: 'pubmed',
          outcome: 'interrupted',
          finished_at: expect.any(String),
          message: `stopped by ${signal}`,
          stored: 4,
        }),
      ]);

      // The lock is free at once, and the next run finds nothing left running.
      const next = await runCli(['collect', '--as-of', '2024-07-20', '--sources', 'huggingface', '--lock-wait', '0'], {
        cwd: dir,
        env: env(),
      });
      expect(next.code, next.stderr).toBe(0);
      expect(next.stderr).not.toMatch(/waiting for it to finish|had been interrupted/);
      const status = await runCli(['status'], { cwd: dir });
      // What it committed before the signal, never a false 0.
      expect(status.stdout).toMatch(/pubmed\s+#1 \S+ \S+\s+interrupted\s+2024-07-20\s+live\s+4\s+never/);
    });
  }

  it('a second signal while the first is being handled ends the run at once', async (t) => {
    const server = await stallingPubmed();
    t.onTestFinished(() => server.close());
    const dir = workdir();
    const { db, run } = await stalledRun(dir, server);
    // Another writer holds the database, so marking the run interrupted waits (up to its 10 s busy timeout).
    const writer = new Database(db);
    writer.exec('BEGIN IMMEDIATE');
    try {
      run.child.kill('SIGTERM');
      await new Promise((r) => setTimeout(r, 500));
      const second = Date.now();
      run.child.kill('SIGTERM');
      const result = await run.done;
      expect(Date.now() - second).toBeLessThan(2_000);
      expect(result.signal).toBe('SIGTERM');
    } finally {
      writer.exec('ROLLBACK');
      writer.close();
    }
    expect(snapshot(db).integrity).toBe('ok');
    expect(snapshot(db).observations).toHaveLength(4);
  });
});
