import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { collectAll, collectorOutcome, declaredEnv, problemSummary, runOutcome, runRedactor } from '../../src/cli/collect.js';
import type { CliIo } from '../../src/cli/io.js';
import { defineCollector, type Collector } from '../../src/core/collector.js';
import { createMemoryLogger } from '../../src/core/logger.js';
import type { AppConfig } from '../../src/config/types.js';
import { COLLECTORS } from '../../src/registry.js';
import { StorageError } from '../../src/store/storage-error.js';
import { readDb } from '../helpers/db.js';
import { openSqliteStore } from '../../src/store/sqlite/driver.js';

describe('src/cli/collect', () => {
  it('calls a collector failed, not partial, when its problems left nothing stored', () => {
    expect(collectorOutcome(0, 0)).toBe('success');
    expect(collectorOutcome(0, 12)).toBe('success');
    expect(collectorOutcome(2, 10)).toBe('partial');
    expect(collectorOutcome(64, 0)).toBe('failed');
  });

  it('calls a run partial, not failed, when its only collector is partial', () => {
    expect(runOutcome(['success', 'success'])).toBe('success');
    expect(runOutcome(['partial'])).toBe('partial');
    expect(runOutcome(['success', 'failed'])).toBe('partial');
    expect(runOutcome(['failed', 'failed'])).toBe('failed');
  });

  it('keeps the message status shows to the first problem and a count', () => {
    expect(problemSummary([])).toBeNull();
    expect(problemSummary(['PyTorch 2015: refused'])).toBe('PyTorch 2015: refused');
    expect(problemSummary(['a', 'b', 'c'])).toBe("a; and 2 more (see the run's log)");
    expect(problemSummary(['a', 'b', 'c'], 2)).toBe("a; b; and 1 more (see the run's log)");
  });

  it('redacts every declared secret, the ones credentials() does not send included', () => {
    const env = { HF_TOKEN: 'hf_currentTokenValue', HUGGING_FACE_HUB_TOKEN: 'hf_legacyTokenValue', NCBI_EMAIL: 'me@example.org' };
    const redact = runRedactor(COLLECTORS, env).text;
    expect(redact('hf_currentTokenValue hf_legacyTokenValue me@example.org')).toBe('*** *** ***');
  });

  it('gives a collector only the environment variables it declares', () => {
    const hub = COLLECTORS.find((c) => c.id === 'huggingface')!;
    const env = declaredEnv(hub, { HF_ENDPOINT: 'http://mirror', NCBI_API_KEY: 'not-yours', PATH: '/bin' });
    expect(env.HF_ENDPOINT).toBe('http://mirror');
    expect(Object.keys(env)).not.toContain('NCBI_API_KEY');
    expect(Object.keys(env)).not.toContain('PATH');
  });
});

/** A source that "fetches" one item per tick and stores each, as long as it is not told to stop. */
function fetchingCollector(id: string, fetched: string[]): Collector<unknown, unknown> {
  return defineCollector({
    id,
    version: '1.0.0',
    description: 'test source',
    baseUrl: () => 'http://127.0.0.1:9',
    rateLimit: () => ({ maxRequests: 1000, windowMs: 1000, concurrency: 1 }),
    credentials: () => ({ headers: {}, secrets: [] }),
    env: [],
    parseFrameworkPart: (value) => value,
    parseSourcePart: (value) => value,
    defaultFrameworkParts: {},
    series: () => [],
    async collect(ctx) {
      let stored = 0;
      for (let i = 0; i < 500; i++) {
        ctx.signal?.throwIfAborted();
        await new Promise((r) => setTimeout(r, 1));
        fetched.push(`${id} ${i}`);
        // Rows of 2 kB, so the database outgrows its page budget within a few dozen.
        await ctx.emit([
          {
            source: id,
            metric: 'items',
            subject: `item ${i}`,
            period: '2024',
            method: 'test',
            value: i,
            observedAt: '2024-07-20',
            query: 'q'.repeat(2000),
            collectorVersion: '1.0.0',
          },
        ]);
        stored++;
      }
      return { stored, problems: [], warnings: [] };
    },
  });
}

describe('collectAll when the store fails', () => {
  it('a full database (SQLITE_FULL) stops every collector and is said as a storage failure naming the database', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'am-collect-')), 'a.sqlite');
    const store = openSqliteStore(path);
    // A real "database or disk is full" from SQLite: the file may not grow past its current size plus a few pages.
    const db = (store.driver as unknown as { db: Database.Database }).db;
    db.pragma(`max_page_count = ${(db.pragma('page_count', { simple: true }) as number) + 20}`);
    const fetched: string[] = [];
    const log = createMemoryLogger();
    const io: CliIo = { env: {}, now: () => new Date(), stdout: () => undefined, stderr: () => undefined, isTty: false, cwd: '/' };
    const run = collectAll({
      store,
      config: {
        frameworks: [{ name: 'A', sources: { alpha: {}, beta: {} } }],
        sources: { alpha: {}, beta: {} },
        origin: 'test',
      } as AppConfig,
      collectors: [fetchingCollector('alpha', fetched), fetchingCollector('beta', fetched)],
      options: {},
      asOf: '2024-07-20',
      today: '2024-07-20',
      mode: { kind: 'live' },
      io,
      log,
      command: 'collect',
    });
    const error = await run.catch((err: unknown) => err);
    expect(error).toBeInstanceOf(StorageError);
    expect((error as Error).message).toBe(
      `database ${path}: the disk is full (SQLITE_FULL: database or disk is full); free space, then run again`,
    );
    // Neither source went on fetching once the store refused a row: at most one more item each.
    const stored = await store.countObservations();
    expect(stored).toBeGreaterThan(0);
    expect(fetched.length).toBeLessThanOrEqual(stored + 2);
    expect(log.lines.filter((l) => l.startsWith('error'))).toEqual([]);
    expect(log.lines).toEqual(expect.arrayContaining([expect.stringMatching(/^info {2}alpha: stopped, \d+ observations stored$/)]));
    // What was stored before the failure is kept, and the run says why it failed.
    expect((await store.runs())[0]).toMatchObject({ outcome: 'failed', errors: [(error as Error).message] });
    expect(readDb(path).integrity).toBe('ok');
    await store.close();
  });
});

describe('collectAll after a collector has failed', () => {
  it('stores nothing that a request the collector left in flight answers later', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'am-collect-')), 'a.sqlite');
    const store = openSqliteStore(path);
    let lateEmit: unknown = 'not called';
    const base = fetchingCollector('gamma', []);
    const collector: Collector<unknown, unknown> = {
      ...base,
      // Two requests at once; one fails at once (its Promise.all rejects), the other answers 50 ms later.
      async collect(ctx) {
        const late = (async () => {
          await new Promise((r) => setTimeout(r, 50));
          try {
            await ctx.emit([
              {
                source: 'gamma',
                metric: 'items',
                subject: 'late',
                period: '2024',
                method: 'test',
                value: 1,
                observedAt: '2024-07-20',
                query: 'q',
                collectorVersion: '1.0.0',
              },
            ]);
            lateEmit = 'stored';
          } catch (err) {
            lateEmit = err;
          }
        })();
        await Promise.all([late, Promise.reject(new Error('HTTP 500'))]);
        return { stored: 0, problems: [], warnings: [] };
      },
    };
    const io: CliIo = { env: {}, now: () => new Date(), stdout: () => undefined, stderr: () => undefined, isTty: false, cwd: '/' };
    const outcome = await collectAll({
      store,
      config: {
        frameworks: [{ name: 'A', sources: { alpha: {}, beta: {} } }],
        sources: { alpha: {}, beta: {} },
        origin: 'test',
      } as AppConfig,
      collectors: [collector],
      options: {},
      asOf: '2024-07-20',
      today: '2024-07-20',
      mode: { kind: 'live' },
      io,
      log: createMemoryLogger(),
      command: 'collect',
    });
    expect(outcome.failed).toEqual(['[collector:gamma] HTTP 500']);
    await new Promise((r) => setTimeout(r, 100));
    expect(lateEmit).toBeInstanceOf(Error);
    expect(await store.countObservations()).toBe(0);
    await store.close();
  });
});
