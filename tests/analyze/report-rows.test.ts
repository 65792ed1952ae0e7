import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { type BuildReportInput, buildReport } from '../../src/analyze/build-report.js';
import { readReportRows } from '../../src/analyze/read-rows.js';
import { configuredSeries } from '../../src/config/parts.js';
import type { StoredObservation } from '../../src/core/observation.js';
import type { RowSelection } from '../../src/core/row-selection.js';
import { COLLECTORS } from '../../src/registry.js';
import { copyHistory } from '../../src/store/copy.js';
import type { RunProvenance, Store } from '../../src/store/store.js';
import { openSqliteStore } from '../../src/store/sqlite/driver.js';
import { MESSY_AS_OF, MESSY_TO, messyConfig, writeMessyHistory } from '../helpers/messy-history.js';
import { selectInMemory } from '../helpers/row-selection-reference.js';
import { freshStore, STORE_KINDS } from '../helpers/stores.js';

// The report reads only what each series' kind says its analysis reads (KindAnalysis.rows, answered by the
// store in SQL); over a history with everything real histories hold, that must give the very report the
// whole history gives, at every as-of date, on every store: SQLite, where the history is written through the
// collapse guard, and PostgreSQL, where `copy` moved it (the same rows, marks and resolutions).

const series = configuredSeries(messyConfig(), COLLECTORS);
let messy: Store;

beforeAll(async () => {
  messy = openSqliteStore(join(mkdtempSync(join(tmpdir(), 'am-report-rows-')), 'messy.sqlite'));
  await writeMessyHistory(messy);
}, 120_000);

afterAll(() => messy.close());

describe.each(STORE_KINDS)('reports from the rows they read, on $kind', (kind) => {
  let store: Store;
  let upToId: number;
  let history: StoredObservation[];
  let runs: Map<number, RunProvenance>;
  const it = test.skipIf(kind.skip);

  beforeAll(async () => {
    if (kind.skip) return;
    if (kind.kind === 'sqlite') store = messy;
    else {
      store = (await freshStore(kind, 'messy')).store;
      await copyHistory(messy, store);
    }
    upToId = await store.lastObservationId();
    history = await store.observations();
    runs = await store.runProvenance();
  }, 120_000);

  afterAll(async () => {
    if (store !== messy) await store?.close();
  });

  function reportFrom(observations: readonly StoredObservation[], asOf: string, selected = false) {
    const input: BuildReportInput = {
      observations,
      selected,
      series,
      asOf,
      generatedAt: '2025-03-11T00:00:00.000Z',
      replayed: false,
      runs,
      presentOnly: new Map([['huggingface', 'the Hub API']]),
    };
    return JSON.stringify(buildReport(input), null, 1);
  }

  async function readAsOf(asOf: string): Promise<StoredObservation[]> {
    const used = await readReportRows(series, asOf, (selections) => store.selectRows(selections, { upToId }));
    return [...used, ...(await store.heldBackRows({ observedBy: asOf, upToId }))];
  }

  describe('src/analyze/read-rows over a messy history', () => {
    it('holds what the cases below are about', () => {
      const held = history.filter((o) => o.suspect !== undefined);
      // A blip a later run contradicted, a collapse still suspect on its day, and one a later run confirmed.
      expect(held.some((o) => o.subject === 'PyTorch' && o.value === 1 && /old level again/.test(o.suspect!))).toBe(true);
      expect(held.some((o) => o.subject === 'tf' && o.value === 0)).toBe(true);
      expect(
        history.some((o) => o.subject === 'TensorFlow' && o.period === '2023' && o.observedAt > '2024-09-05' && o.suspect === undefined),
      ).toBe(true);
      // Re-runs the same day, and Keras last counted on PubMed in June 2024.
      const days = new Set(history.map((o) => `${o.observedAt} ${o.runId}`));
      expect(days.size).toBeGreaterThan(new Set(history.map((o) => o.observedAt)).size);
      expect(history.filter((o) => o.source === 'pubmed' && o.subject === 'Keras').at(-1)!.observedAt <= '2024-06-30').toBe(true);
    });

    it.each(MESSY_AS_OF)('gives the report the whole history gives, as of %s', async (asOf) => {
      const read = await readAsOf(asOf);
      const full = await store.observations({ observedBy: asOf, upToId });
      expect(reportFrom(read, asOf, true)).toBe(reportFrom(full, asOf));
      expect(read.length).toBeLessThan(full.length);
    });

    it('reads a small part of a long history: the snapshots it shows, the latest values, what the estimates rest on', async () => {
      const read = await readAsOf(MESSY_TO);
      const of = (source: string, metric: string, subject?: string) => (o: StoredObservation) =>
        o.source === source && o.metric === metric && (subject === undefined || o.subject === subject);
      const count = (...what: Parameters<typeof of>) => read.filter(of(...what)).length;
      const stored = (...what: Parameters<typeof of>) => history.filter(of(...what)).length;
      // The Hub snapshots the history keeps: every one from 2024-01-01 (14 months before March 2025) and a month's
      // first before, with the months whose first date cannot be used read whole; only the histogram rows of the date
      // used (a comparison never counted exact reads its subsets' every histogram and total, to say why each date
      // cannot be used).
      const both = (rows: readonly StoredObservation[], since: boolean) =>
        rows.filter(
          (o) => of('huggingface', 'models', 'pytorch+tf')(o) && o.suspect === undefined && o.observedAt >= '2024-01-01' === since,
        );
      expect(both(read, true)).toEqual(both(history, true));
      expect(both(read, false).length).toBeLessThan(both(history, false).length / 3);
      expect(count('huggingface', 'models_created', 'pytorch+tf')).toBeLessThan(stored('huggingface', 'models_created', 'pytorch+tf') / 4);
      // PubMed's counts: the latest of each year, and those as of the days the estimates and the backtest look at.
      expect(count('pubmed', 'papers')).toBeLessThan(stored('pubmed', 'papers') / 20);
      // PyPI's daily counts: the days the partial month's backtest reads and the partial month's (12 × 8 + 8, a few
      // held back with the collapses of their runs), of the hundreds stored; Keras, no longer collected, has none in
      // March 2025, so its latest is looked for since March 2024.
      const pytorchDays = read.filter((o) => of('pypi', 'downloads_per_day', 'PyTorch')(o) && o.suspect === undefined).length;
      expect(pytorchDays).toBeLessThanOrEqual(13 * 8);
      expect(pytorchDays).toBeGreaterThan(12 * 8);
      expect(stored('pypi', 'downloads_per_day', 'PyTorch')).toBeGreaterThan(800);
      expect(count('pypi', 'downloads_per_day')).toBeLessThan(stored('pypi', 'downloads_per_day') / 5);
      // One Papers with Code snapshot of the dozens stored.
      expect(count('paperswithcode', 'papers')).toBeLessThan(stored('paperswithcode', 'papers') / 10);
    });
  });

  describe('Store.selectRows', () => {
    const selections = (asOf: string): RowSelection[] => [
      { take: 'latest', source: 'pubmed', metrics: ['papers', 'papers_all'], to: asOf },
      {
        take: 'latest',
        source: 'pubmed',
        metrics: ['papers'],
        subjects: ['TensorFlow'],
        periods: ['2023', '2019'],
        from: '2024-06-01',
        to: asOf,
      },
      {
        take: 'every',
        source: 'huggingface',
        metrics: ['models'],
        subjects: ['tf', 'jax'],
        methods: ['exact'],
        from: '2024-11-20',
        to: asOf,
      },
      { take: 'every', source: 'huggingface', metrics: ['models_created', 'models'], to: asOf, periods: ['2022-10', '2024-12-01'] },
      {
        take: 'latest',
        source: 'paperswithcode',
        metrics: ['papers_left_out', 'papers_all'],
        methods: ['archive'],
        from: '2024-05-01',
        to: '2024-05-31',
      },
      {
        take: 'latest',
        source: 'openalex',
        metrics: ['works'],
        subjects: ['PyTorch'],
        periods: ['2023'],
        from: '2023-03-01',
        to: '2023-03-07',
      },
      { take: 'latest', source: 'nowhere', metrics: ['papers'], to: asOf },
      // The first snapshot of each month: a month whose first day is held back (tf's collapse), a gap, a window.
      { take: 'latest', source: 'huggingface', metrics: ['models'], perMonth: 'first', to: asOf },
      {
        take: 'latest',
        source: 'huggingface',
        metrics: ['models'],
        subjects: ['tf'],
        methods: ['exact'],
        perMonth: 'first',
        from: '2023-08-20',
        to: asOf,
      },
    ];

    it.each(['2024-03-08', '2024-12-01', MESSY_TO])('answers as the whole history read in memory does, as of %s', async (asOf) => {
      for (const s of selections(asOf)) {
        const answer = await store.selectRows([s], { upToId });
        expect(answer, JSON.stringify(s)).toEqual(selectInMemory(history, [s], upToId));
      }
      expect(await store.selectRows(selections(asOf), { upToId })).toEqual(selectInMemory(history, selections(asOf), upToId));
    });

    it('leaves out rows stored after the snapshot id, and held-back values', async () => {
      const s: RowSelection = { take: 'every', source: 'huggingface', metrics: ['models'], subjects: ['tf'], to: MESSY_TO };
      const early = Math.floor(upToId / 2);
      expect(await store.selectRows([s], { upToId: early })).toEqual(selectInMemory(history, [s], early));
      expect((await store.selectRows([s], { upToId })).some((o) => o.value === 0)).toBe(false);
      expect((await store.heldBackRows({ observedBy: MESSY_TO, upToId })).map((o) => [o.subject, o.observedAt])).toEqual(
        history.filter((o) => o.suspect !== undefined).map((o) => [o.subject, o.observedAt]),
      );
    });
  });
});
