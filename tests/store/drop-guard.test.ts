import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Observation } from '../../src/core/observation.js';
import { confirms, isDrop } from '../../src/store/drop-guard.js';
import { Store } from '../../src/store/store.js';

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
const year = (value: number, observedAt: string): Observation => ({
  source: 'pubmed',
  metric: 'papers',
  subject: 'PyTorch',
  period: '2023',
  method: 'esearch',
  value,
  observedAt,
  query: '(pytorch) AND 2023:2023[dp]',
  collectorVersion: '1.1.0',
});

function open() {
  const store = Store.open(join(mkdtempSync(join(tmpdir(), 'am-drop-')), 'a.sqlite'));
  const append = (batch: Observation[], acceptDrops = false) => {
    const runId = store.beginRun({
      command: 'collect',
      collectors: ['huggingface', 'pubmed'],
      asOf: batch[0]!.observedAt,
      dataOrigin: 'live',
      toolVersion: 'test',
      startedAt: `${batch[0]!.observedAt}T06:00:00Z`,
    });
    return store.appendObservations(runId, batch, { acceptDrops, at: `${batch[0]!.observedAt}T06:01:00Z` });
  };
  const suspects = () => store.observations().filter((o) => o.suspect !== undefined);
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

describe('Store.appendObservations (collapses held back as suspect)', () => {
  it('stores an empty-list answer (every count 0) as suspect, keeps the last good value readable, and says what fell', () => {
    const { store, append, suspects } = open();
    append([hub(185_382, '2024-07-20'), year(4_310, '2024-07-20')]);
    const result = append([hub(0, '2024-07-21'), year(0, '2024-07-21')]);
    expect(result.added).toBe(2);
    expect(result.held).toEqual([
      { subject: 'pytorch', metric: 'models', period: '2024-07-21', value: 0, previous: 185_382, previousObservedAt: '2024-07-20' },
      { subject: 'PyTorch', metric: 'papers', period: '2023', value: 0, previous: 4_310, previousObservedAt: '2024-07-20' },
    ]);
    // Append-only: both rows are stored, marked.
    expect(store.countObservations()).toBe(4);
    expect(suspects().map((o) => [o.value, o.suspect])).toEqual([
      [0, 'fell from 185382 (observed 2024-07-20) to 0, more than half'],
      [0, 'fell from 4310 (observed 2024-07-20) to 0, more than half'],
    ]);
    // What an incremental refresh reads back skips the suspect one, so it asks again.
    expect(store.latestObservations({ source: 'pubmed', withSuspects: false }).map((o) => o.value)).toEqual([4_310]);
    expect(store.latestObservations({ source: 'pubmed' }).map((o) => o.value)).toEqual([0]);
    expect(store.integrityCheck()).toBe('ok');
  });

  it('a later run that sees the same low value confirms it; one that sees the old value leaves it held back', () => {
    const { append, suspects } = open();
    append([year(4_310, '2024-07-20')]);
    append([year(1_000, '2024-07-21')]);
    expect(suspects()).toHaveLength(1);
    // Back to normal: the fall was a blip and stays out of every report.
    expect(append([year(4_320, '2024-07-22')])).toMatchObject({ held: [], confirmed: 0 });
    expect(suspects().map((o) => o.value)).toEqual([1_000]);
    // Low again, twice: the second fall is held too, then a third run confirms it.
    expect(append([year(1_050, '2024-07-23')]).held).toHaveLength(1);
    expect(append([year(1_040, '2024-07-24')])).toMatchObject({ held: [], confirmed: 1 });
    expect(suspects().map((o) => [o.value, o.observedAt])).toEqual([[1_000, '2024-07-21']]);
  });

  it('a same-day repeat of the suspect value (the row itself is not stored twice) still confirms it', () => {
    const { store, append, suspects } = open();
    append([hub(185_382, '2024-07-20')]);
    append([hub(0, '2024-07-21')]);
    expect(append([hub(0, '2024-07-21')])).toMatchObject({ added: 0, confirmed: 1 });
    expect(suspects()).toEqual([]);
    expect(store.countObservations()).toBe(2);
  });

  it('--accept-drops stores the fall as real at once; it is marked and resolved, never silent', () => {
    const { append, suspects } = open();
    append([hub(185_382, '2024-07-20')]);
    const result = append([hub(90_000, '2024-07-21')], true);
    expect(result.held).toEqual([]);
    expect(result.accepted.map((h) => h.value)).toEqual([90_000]);
    expect(suspects()).toEqual([]);
  });

  it('compares only like with like: another query, an earlier as-of date, a small series', () => {
    const { append } = open();
    append([hub(185_382, '2024-07-20')]);
    // A new definition (another query) starts its own series.
    expect(append([hub(50, '2024-07-21', { query: '/api/models?filter=pytorch&filter=safetensors' })]).held).toEqual([]);
    // A back-dated run stores an earlier state: nothing observed before it to fall from.
    expect(append([hub(20_000, '2020-01-01', { period: '2020-01-01' })]).held).toEqual([]);
    expect(append([year(9, '2024-07-20')]).held).toEqual([]);
    expect(append([year(0, '2024-07-21')]).held).toEqual([]);
  });
});
