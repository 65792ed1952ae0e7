import { describe, expect, it, test } from 'vitest';
import type { Observation } from '../../src/core/observation.js';
import { confirmedLine, confirms, heldBackLine, isDrop, isIndependentRepeat, sameSeries } from '../../src/store/drop-guard.js';
import { freshStore, STORE_KINDS, type StoreKind } from '../helpers/stores.js';

/** The Hub's pytorch count on a day (the article's 185,382, then whatever a run is told). */
const hub = (value: number, observedAt: string, over: Partial<Observation> = {}): Observation => ({
  source: 'huggingface',
  metric: 'models',
  subject: 'pytorch',
  period: observedAt,
  method: 'exact',
  value,
  observedAt,
  query: '/api/models?filter=pytorch',
  collectorVersion: '1.0.0',
  ...over,
});
/** A settled PubMed year, counted again on a later day. */
const year = (value: number, observedAt: string, over: Partial<Observation> = {}): Observation => ({
  source: 'pubmed',
  metric: 'papers',
  subject: 'PyTorch',
  period: '2023',
  method: 'esearch',
  value,
  observedAt,
  query: '(pytorch) AND 2023:2023[dp]',
  collectorVersion: '1.1.0',
  ...over,
});

/** A new store of `kind` (the rules hold alike on every store: marks, resolutions, what reports read). */
async function open(kind: StoreKind) {
  const { store } = await freshStore(kind, 'guard');
  /** `at`: when the batch is stored; by default 06:01 UTC on its observation date (a daily run's). */
  const append = async (batch: Observation[], acceptDrops = false, at = `${batch[0]!.observedAt}T06:01:00.000Z`) => {
    const runId = await store.beginRun({
      command: 'collect',
      collectors: ['huggingface', 'pubmed'],
      asOf: batch[0]!.observedAt,
      dataOrigin: 'live',
      toolVersion: 'test',
      startedAt: `${batch[0]!.observedAt}T06:00:00Z`,
    });
    await store.beginCollector(runId, batch[0]!.source, at);
    return store.appendObservations(runId, batch, { acceptDrops, at });
  };
  const suspects = async () => (await store.observations()).filter((o) => o.suspect !== undefined);
  return { store, append, suspects };
}

describe('src/store/drop-guard', () => {
  it('a fall under half of at least 10 is a collapse; a repeat within 10 % confirms it', () => {
    expect(isDrop(185_382, 0)).toBe(true);
    expect(isDrop(4_310, 2_000)).toBe(true);
    expect(isDrop(4_310, 2_200)).toBe(false);
    expect(isDrop(9, 0)).toBe(false); // too small to say
    expect(confirms(0, 0)).toBe(true);
    expect(confirms(100, 95)).toBe(true);
    expect(confirms(100, 180)).toBe(false);
  });
});

describe.each(STORE_KINDS)('Store.appendObservations (collapses held back as suspect), on $kind', (kind) => {
  const it = test.skipIf(kind.skip);
  it('stores an empty-list answer (every count 0) as suspect, keeps the last good value readable, and says what fell', async () => {
    const { store, append, suspects } = await open(kind);
    await append([hub(185_382, '2024-07-20'), year(4_310, '2024-07-20')]);
    const result = await append([hub(0, '2024-07-21'), year(0, '2024-07-21')]);
    expect(result.added).toBe(2);
    expect(result.held).toEqual([
      { subject: 'pytorch', metric: 'models', period: '2024-07-21', value: 0, previous: 185_382, previousObservedAt: '2024-07-20' },
      { subject: 'PyTorch', metric: 'papers', period: '2023', value: 0, previous: 4_310, previousObservedAt: '2024-07-20' },
    ]);
    // Append-only: both rows are stored, marked.
    expect(await store.countObservations()).toBe(4);
    expect((await suspects()).map((o) => [o.value, o.suspect])).toEqual([
      [0, 'fell from 185382 (observed 2024-07-20) to 0, more than half'],
      [0, 'fell from 4310 (observed 2024-07-20) to 0, more than half'],
    ]);
    // What an incremental refresh reads back skips the suspect one, so it asks again.
    expect((await store.latestObservations({ source: 'pubmed', withSuspects: false })).map((o) => o.value)).toEqual([4_310]);
    expect((await store.latestObservations({ source: 'pubmed' })).map((o) => o.value)).toEqual([0]);
  });

  it('a later run that sees the same low value confirms it; one that sees the old value leaves it held back', async () => {
    const { append, suspects } = await open(kind);
    await append([year(4_310, '2024-07-20')]);
    await append([year(1_000, '2024-07-21')]);
    expect(await suspects()).toHaveLength(1);
    // Back to normal: the fall was a blip and stays out of every report.
    expect(await append([year(4_320, '2024-07-22')])).toMatchObject({ held: [], confirmed: [] });
    expect((await suspects()).map((o) => o.value)).toEqual([1_000]);
    // Low again, twice: the second fall is held too, then a third run confirms it.
    expect((await append([year(1_050, '2024-07-23')])).held).toHaveLength(1);
    expect(await append([year(1_040, '2024-07-24')])).toMatchObject({
      held: [],
      confirmed: [{ subject: 'PyTorch', period: '2023', value: 1_040, previous: 4_320, since: '2024-07-23T06:01:00.000Z' }],
    });
    expect((await suspects()).map((o) => [o.value, o.observedAt])).toEqual([[1_000, '2024-07-21']]);
  });

  it('a re-run during the same outage does not confirm the fall: only one 6 h later does (the row is not stored twice)', async () => {
    const { store, append, suspects } = await open(kind);
    await append([hub(185_382, '2024-07-20')]);
    await append([hub(0, '2024-07-21')], false, '2024-07-21T06:01:00.000Z');
    // The operator re-runs by hand a minute later, and again 5 h 59 min later: still held back, and said so.
    for (const at of ['2024-07-21T06:02:00.000Z', '2024-07-21T12:00:00.000Z']) {
      const again = await append([hub(0, '2024-07-21')], false, at);
      expect(again).toMatchObject({ added: 0, confirmed: [] });
      expect(again.held).toEqual([expect.objectContaining({ value: 0, previous: 185_382, repeatOf: '2024-07-21T06:01:00.000Z' })]);
      expect(await suspects()).toHaveLength(1);
    }
    expect(await append([hub(0, '2024-07-21')], false, '2024-07-21T12:01:00.000Z')).toMatchObject({
      added: 0,
      held: [],
      confirmed: [{ value: 0, previous: 185_382, since: '2024-07-21T06:01:00.000Z' }],
    });
    expect(await suspects()).toEqual([]);
    expect(await store.countObservations()).toBe(2);
  });

  it('a value close to the suspect one, stored minutes later, is held with it; an independent repeat confirms both', async () => {
    const { append, suspects } = await open(kind);
    await append([year(4_310, '2024-07-20')]);
    await append([year(0, '2024-07-21')], false, '2024-07-21T06:01:00.000Z');
    expect((await append([year(1, '2024-07-21')], false, '2024-07-21T06:03:00.000Z')).held).toEqual([
      expect.objectContaining({ value: 1, repeatOf: '2024-07-21T06:01:00.000Z' }),
    ]);
    expect((await suspects()).map((o) => o.value)).toEqual([0, 1]);
    // The next day's run sees it again: both marks are confirmed, said as falls since the first.
    const next = await append([year(0, '2024-07-22')]);
    expect(next.confirmed.map((c) => [c.value, c.since])).toEqual([[0, '2024-07-21T06:01:00.000Z']]);
    expect(await suspects()).toEqual([]);
    expect(confirmedLine(next.confirmed)).toBe(
      'confirmed 1 fall(s) seen again since 2024-07-21 06:01 UTC (PyTorch papers 2023: 4310 → 0); reports now show them',
    );
  });

  it('back-dated runs get no later day of their own: a later --as-of asked minutes later does not confirm, 6 h later does', async () => {
    const { append, suspects } = await open(kind);
    await append([year(4_310, '2024-07-20')], false, '2026-11-27T08:00:00.000Z');
    expect((await append([year(0, '2024-07-21')], false, '2026-11-27T08:01:00.000Z')).held).toHaveLength(1);
    expect(await append([year(0, '2024-07-22')], false, '2026-11-27T08:02:00.000Z')).toMatchObject({ confirmed: [] });
    expect(await suspects()).toHaveLength(2);
    expect((await append([year(0, '2024-07-23')], false, '2026-11-27T14:02:00.000Z')).confirmed).toEqual([
      expect.objectContaining({ since: '2026-11-27T08:01:00.000Z', previous: 4_310 }),
    ]);
    expect(await suspects()).toEqual([]);
  });

  it('a backfill run newest day first is judged against the nearest good value up to 7 days after it', async () => {
    const { append, suspects } = await open(kind);
    await append([year(4_310, '2024-07-21')], false, '2026-11-27T08:00:00.000Z');
    const held = await append([year(0, '2024-07-20')], false, '2026-11-27T08:01:00.000Z');
    expect(held.held).toEqual([expect.objectContaining({ value: 0, previous: 4_310, previousObservedAt: '2024-07-21' })]);
    // A count a little lower a day earlier is growth, not a fall; one more than 7 days before has nothing to compare.
    expect((await append([year(4_200, '2024-07-19')], false, '2026-11-27T08:02:00.000Z')).held).toEqual([]);
    expect((await append([year(0, '2024-07-01')], false, '2026-11-27T08:03:00.000Z')).held).toEqual([]);
    expect(await suspects()).toHaveLength(1);
  });

  it('--accept-drops stores the fall as real at once; it is marked and resolved, never silent', async () => {
    const { append, suspects } = await open(kind);
    await append([hub(185_382, '2024-07-20')]);
    const result = await append([hub(90_000, '2024-07-21')], true);
    expect(result.held).toEqual([]);
    expect(result.accepted.map((h) => h.value)).toEqual([90_000]);
    expect(await suspects()).toEqual([]);
  });

  it('compares only like with like: another query, an earlier as-of date, a small series', async () => {
    const { append } = await open(kind);
    await append([hub(185_382, '2024-07-20')]);
    // A new definition (another query) starts its own series.
    expect((await append([hub(50, '2024-07-21', { query: '/api/models?filter=pytorch&filter=safetensors' })])).held).toEqual([]);
    // A back-dated run stores an earlier state: nothing observed before it to fall from.
    expect((await append([hub(20_000, '2020-01-01', { period: '2020-01-01' })])).held).toEqual([]);
    expect((await append([year(9, '2024-07-20')])).held).toEqual([]);
    expect((await append([year(0, '2024-07-21')])).held).toEqual([]);
  });

  it('compares a series across queries that differ only by what its series key leaves out (a back-dated bound)', async () => {
    const { append } = await open(kind);
    // PubMed with --as-of before today: each day's query carries its own [crdt] bound.
    const bounded = (value: number, observedAt: string, seriesKey?: string) =>
      year(value, observedAt, {
        query: `(pytorch) AND 2023:2023[dp] AND 1800/01/01:${observedAt.replaceAll('-', '/')}[crdt]`,
        ...(seriesKey ? { seriesKey } : {}),
      });
    await append([bounded(4_310, '2024-07-20', '(pytorch) AND 2023:2023[dp]')], false, '2026-11-27T08:00:00.000Z');
    const result = await append([bounded(0, '2024-07-21', '(pytorch) AND 2023:2023[dp]')], false, '2026-11-27T08:01:00.000Z');
    expect(result.held).toEqual([expect.objectContaining({ value: 0, previous: 4_310, previousObservedAt: '2024-07-20' })]);
    // A live count (today's query, unbounded) continues the same series.
    expect((await append([year(1_000, '2024-07-22')], false, '2024-07-22T06:00:00.000Z')).held).toHaveLength(1);
    // Without a key the exact query is the series: a new bound is a new series, as before.
    expect((await append([bounded(0, '2024-07-23')], false, '2026-11-27T08:02:00.000Z')).held).toEqual([]);
  });
});

describe.each(STORE_KINDS)('a fall holds back the rest of its answer (one batch), on $kind', (kind) => {
  const it = test.skipIf(kind.skip);
  it('marks every other new value of the batch, says how many, and an independent repeat confirms them with it', async () => {
    const { store, append, suspects } = await open(kind);
    const quarter = (q: string, value: number, observedAt: string, sha: string): Observation => ({
      source: 'paperswithcode',
      metric: 'papers',
      subject: 'PyTorch',
      period: q,
      method: 'archive',
      value,
      observedAt,
      query: `https://huggingface.co/datasets/a/b/resolve/${sha}/links.parquet (arXiv ids through 2025-07)`,
      seriesKey: 'datasets/a/b/links.parquet',
      collectorVersion: '1.0.0',
    });
    await append([
      quarter('2019-Q1', 300, '2026-01-10', 'aaa'),
      quarter('2019-Q2', 400, '2026-01-10', 'aaa'),
      quarter('2019-Q3', 5, '2026-01-10', 'aaa'),
    ]);
    // A re-uploaded, broken archive: one quarter collapses, one does not move, one is too small to say.
    const broken = [
      quarter('2019-Q1', 12, '2026-01-11', 'bbb'),
      quarter('2019-Q2', 400, '2026-01-11', 'bbb'),
      quarter('2019-Q3', 1, '2026-01-11', 'bbb'),
    ];
    const result = await append(broken);
    expect(result).toMatchObject({ added: 3, heldWith: 2 });
    expect(result.held.map((h) => [h.period, h.previous, h.value])).toEqual([['2019-Q1', 300, 12]]);
    expect((await suspects()).map((o) => [o.period, o.suspect])).toEqual([
      ['2019-Q1', 'fell from 300 (observed 2026-01-10) to 12, more than half'],
      ['2019-Q2', 'held back with its answer, in which 1 value(s) fell by more than half (PyTorch papers 2019-Q1: 300 → 12)'],
      ['2019-Q3', 'held back with its answer, in which 1 value(s) fell by more than half (PyTorch papers 2019-Q1: 300 → 12)'],
    ]);
    expect(heldBackLine(result.held, result.heldWith)).toBe(
      '1 value(s) fell by more than half since the last good run and are held back as suspect (PyTorch papers 2019-Q1: 300 → 12); 2 other value(s) of the same answer(s) are held back with them; reports keep the last good values until an independent later run sees the same (confirming them), or run with --accept-drops if the fall is real',
    );
    // Reports read the previous answer whole.
    expect((await store.latestObservations({ withSuspects: false })).map((o) => [o.period, o.value, o.observedAt])).toEqual([
      ['2019-Q1', 300, '2026-01-10'],
      ['2019-Q2', 400, '2026-01-10'],
      ['2019-Q3', 5, '2026-01-10'],
    ]);
    const next = await append(broken.map((o) => ({ ...o, observedAt: '2026-01-12' })));
    expect(confirmedLine(next.confirmed)).toBe(
      'confirmed 1 fall(s) and 2 value(s) held back with them seen again since 2026-01-11 06:01 UTC (PyTorch papers 2019-Q1: 300 → 12); reports now show them',
    );
    expect(await suspects()).toEqual([]);
  });
});

describe('src/store/drop-guard rules', () => {
  it('an independent repeat: 6 h after the suspect value was stored, whatever the observation dates', () => {
    const suspect = { observedAt: '2024-07-21', markedAt: '2024-07-21T06:01:00.000Z' };
    expect(isIndependentRepeat(suspect, { observedAt: '2024-07-21', at: '2024-07-21T06:02:00.000Z' })).toBe(false);
    expect(isIndependentRepeat(suspect, { observedAt: '2024-07-21', at: '2024-07-21T12:00:59.000Z' })).toBe(false);
    expect(isIndependentRepeat(suspect, { observedAt: '2024-07-21', at: '2024-07-21T12:01:00.000Z' })).toBe(true);
    // A later date minutes after midnight is the same outage; the next daily run is a day later.
    const lateNight = { observedAt: '2024-07-21', markedAt: '2024-07-21T23:58:00.000Z' };
    expect(isIndependentRepeat(lateNight, { observedAt: '2024-07-22', at: '2024-07-22T00:02:00.000Z' })).toBe(false);
    expect(isIndependentRepeat(suspect, { observedAt: '2024-07-22', at: '2024-07-22T06:01:00.000Z' })).toBe(true);
    // Back-dated: a later as-of day asked at once is the same outage.
    expect(
      isIndependentRepeat(
        { ...suspect, markedAt: '2026-11-27T08:00:00.000Z' },
        { observedAt: '2024-07-22', at: '2026-11-27T08:01:00.000Z' },
      ),
    ).toBe(false);
  });

  it('the same series: source, metric, subject, method, series key, and the period or both snapshots', () => {
    const a = hub(1, '2024-07-20');
    expect(sameSeries(a, hub(2, '2024-07-21'))).toBe(true);
    expect(sameSeries(a, hub(2, '2024-07-21', { method: 'fast' }))).toBe(false);
    expect(sameSeries(a, hub(2, '2024-07-21', { query: '/api/models?filter=pytorch&x=1' }))).toBe(false);
    expect(sameSeries(a, hub(2, '2024-07-21', { query: '/api/models?filter=pytorch&x=1', seriesKey: a.query }))).toBe(true);
    expect(sameSeries(year(1, '2024-07-20'), { ...year(1, '2024-07-21'), period: '2022' })).toBe(false);
  });
});

describe.each(STORE_KINDS)('what a run stored, counted as it commits (collector_runs.stored), on $kind', (kind) => {
  const it = test.skipIf(kind.skip);
  it('counts the new rows of each batch in its transaction, not the rows a same-day re-run saw again', async () => {
    const { store, append } = await open(kind);
    await append([year(4_310, '2024-07-20'), year(120, '2024-07-20', { subject: 'Keras' })]);
    expect((await store.collectorStatus())[0]!.last).toMatchObject({ outcome: 'running', stored: 2 });
    await append([year(4_310, '2024-07-20'), year(121, '2024-07-20', { subject: 'Keras' })]);
    expect((await store.collectorStatus())[0]!.last).toMatchObject({ outcome: 'running', stored: 1 });
  });
});
