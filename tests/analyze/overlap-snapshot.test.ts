import { describe, expect, it } from 'vitest';
import { analyzeOverlap, comparisonSnapshots, segmentName, subsetSubjects } from '../../src/analyze/overlap-snapshot/analyze.js';
import type { OverlapComparisonSpec } from '../../src/analyze/overlap-snapshot/spec.js';
import { dedupeObservations } from '../../src/analyze/select-observations.js';
import type { StoredObservation } from '../../src/core/observation.js';
import { articleHub, config, hub, hfSeriesSpec } from './helpers.js';

const series = hfSeriesSpec(
  config({
    comparisons: [
      ['PyTorch', 'TensorFlow'],
      ['PyTorch', 'TensorFlow', 'JAX'],
    ],
  }),
);
const [pair, triple] = series.comparisons as [OverlapComparisonSpec, OverlapComparisonSpec];
const hfSnapshots = (spec: OverlapComparisonSpec, rows: readonly StoredObservation[]) => comparisonSnapshots(series, spec, rows);

describe('src/analyze/overlap-snapshot', () => {
  it('names subjects with the collector labels in comparison order', () => {
    expect([...subsetSubjects(triple).values()]).toEqual(['pytorch', 'tf', 'jax', 'pytorch+tf', 'pytorch+jax', 'tf+jax', 'pytorch+tf+jax']);
  });

  it('names segments for people', () => {
    expect(segmentName(['PyTorch'], false)).toBe('PyTorch only');
    expect(segmentName(['PyTorch', 'TensorFlow'], true)).toBe('PyTorch and TensorFlow');
    expect(segmentName(['PyTorch', 'TensorFlow'], false)).toBe('PyTorch and TensorFlow only');
    expect(segmentName(['PyTorch', 'TensorFlow', 'JAX'], true)).toBe('PyTorch, TensorFlow and JAX');
  });

  it('reproduces the article: segments, shares and availability', () => {
    const { snapshots, skipped } = hfSnapshots(pair, articleHub());
    expect(skipped).toEqual([]);
    const [s] = snapshots;
    expect(s!.total).toBe(198_191);
    expect(s!.method).toBe('exact');
    expect(s!.segments.map((x) => [x.segment, x.models, +(x.share * 100).toFixed(2)])).toEqual([
      ['PyTorch only', 180_549, 91.1],
      ['TensorFlow only', 12_809, 6.46],
      ['PyTorch and TensorFlow', 4_833, 2.44],
    ]);
    expect(s!.availability.map((a) => [a.framework, a.models, +(a.share * 100).toFixed(2)])).toEqual([
      ['PyTorch', 185_382, 93.54],
      ['TensorFlow', 17_642, 8.9],
    ]);
  });

  it('splits three frameworks into seven exclusive segments', () => {
    const d = '2024-07-20';
    const rows = [
      hub('pytorch', 59, d),
      hub('tf', 28, d),
      hub('jax', 16, d),
      hub('pytorch+tf', 6, d),
      hub('pytorch+jax', 4, d),
      hub('tf+jax', 3, d),
      hub('pytorch+tf+jax', 1, d),
    ];
    const [s] = hfSnapshots(triple, rows).snapshots;
    expect(s!.total).toBe(91);
    expect(Object.fromEntries(s!.segments.map((x) => [x.segment, x.models]))).toEqual({
      'PyTorch only': 50,
      'TensorFlow only': 20,
      'JAX only': 10,
      'PyTorch and TensorFlow only': 5,
      'PyTorch and JAX only': 3,
      'TensorFlow and JAX only': 2,
      'PyTorch, TensorFlow and JAX': 1,
    });
    expect(s!.availability.find((a) => a.framework === 'JAX')!.share).toBeCloseTo(16 / 91, 6);
  });

  it('prefers exact over fast on the same date and uses fast when only fast is complete', () => {
    const rows = [
      ...articleHub('2024-07-20', 'exact'),
      ...articleHub('2024-07-20', 'fast').map((o) => ({ ...o, value: o.value + 100 })),
      ...articleHub('2024-08-01', 'fast'),
      hub('pytorch', 1, '2024-08-01', { method: 'exact' }), // an incomplete exact set must not be mixed in
    ];
    const { snapshots } = hfSnapshots(pair, rows);
    expect(snapshots.map((s) => [s.observed_at, s.method, s.total])).toEqual([
      ['2024-07-20', 'exact', 198_191],
      ['2024-08-01', 'fast', 198_191],
    ]);
  });

  it('skips an incomplete date with the missing subject named', () => {
    const rows = [...articleHub('2024-07-20'), hub('pytorch', 190_000, '2024-08-01'), hub('tf', 18_000, '2024-08-01')];
    const { snapshots, skipped } = hfSnapshots(pair, rows);
    expect(snapshots.map((s) => s.observed_at)).toEqual(['2024-07-20']);
    expect(skipped).toEqual([
      { comparison: 'PyTorch vs TensorFlow', observed_at: '2024-08-01', reason: 'incomplete: exact counts lack pytorch+tf' },
    ]);
  });

  it('says a comparison with nothing stored needs a collect, and one with only incomplete dates that none is usable', () => {
    const pairOnly = { ...series, comparisons: [pair] };
    expect(analyzeOverlap(pairOnly, []).warnings).toEqual([
      'huggingface: no counts stored yet for PyTorch vs TensorFlow; run `adoption-metrics collect --sources huggingface`',
    ]);
    const incomplete = analyzeOverlap(pairOnly, [hub('pytorch', 190_000, '2024-08-01')]);
    expect(incomplete.warnings.at(-1)).toBe('huggingface: PyTorch vs TensorFlow has no usable observation date');
    expect(incomplete.report.skipped.at(-1)?.reason).toBe('no observation date has every count this comparison needs');
  });

  it('reports negative segments as a data problem and does not clamp them', () => {
    const d = '2024-07-20';
    const { snapshots, skipped } = hfSnapshots(pair, [hub('pytorch', 100, d), hub('tf', 50, d), hub('pytorch+tf', 120, d)]);
    expect(snapshots).toEqual([]);
    expect(skipped[0]!.reason).toMatch(
      /inconsistent exact counts \(pytorch=100, tf=50, pytorch\+tf=120\).*PyTorch only = -20.*TensorFlow only = -70/,
    );
  });

  it('uses the highest runId when a date was collected twice', () => {
    const rows = dedupeObservations([...articleHub(), hub('pytorch', 185_400, '2024-07-20', { runId: 2 })]);
    const [s] = hfSnapshots(pair, rows).snapshots;
    expect(s!.availability[0]!.models).toBe(185_400);
    expect(s!.segments[0]!.models).toBe(185_400 - 4_833);
  });
});
