import { describe, expect, it } from 'vitest';
import { buildReport } from '../../src/analyze/build-report.js';
import { articleHub, config, hub, pubmedHistory } from './helpers.js';

const input = (overrides: Partial<Parameters<typeof buildReport>[0]> = {}) => ({
  observations: [...articleHub(), ...pubmedHistory()],
  config: config(),
  asOf: '2024-07-20',
  generatedAt: '2024-07-21T08:00:00.000Z',
  replayed: false,
  ...overrides,
});

describe('src/analyze/build-report', () => {
  it('carries the article numbers into the report', () => {
    const report = buildReport(input());
    const [c] = report.huggingface.comparisons;
    expect(c).toMatchObject({
      comparison: 'PyTorch vs TensorFlow',
      frameworks: ['PyTorch', 'TensorFlow'],
      observed_at: '2024-07-20',
      method: 'exact',
      total: 198_191,
    });
    expect(c!.segments.map((s) => [s.frameworks, s.models, +(s.share * 100).toFixed(2)])).toEqual([
      [['PyTorch'], 180_549, 91.1],
      [['TensorFlow'], 12_809, 6.46],
      [['PyTorch', 'TensorFlow'], 4_833, 2.44],
    ]);
    expect(c!.availability.map((a) => +(a.share * 100).toFixed(2))).toEqual([93.54, 8.9]);
    expect(report.audit.status).toBe('computed');
    expect(report.warnings).toEqual([]);
  });

  it('stamps the injected dates and the data origin, without reading the clock', () => {
    const report = buildReport(input({ replayed: true }));
    expect(report).toMatchObject({ as_of: '2024-07-20', generated_at: '2024-07-21T08:00:00.000Z', data_origin: 'replayed' });
    expect(buildReport(input()).data_origin).toBe('live');
    expect(JSON.stringify(buildReport(input()))).toBe(JSON.stringify(buildReport(input())));
  });

  it('keeps one history entry per usable observation date and ignores dates after as-of', () => {
    const observations = [...articleHub('2024-06-01'), ...articleHub('2024-07-20'), ...articleHub('2024-09-01'), ...pubmedHistory()];
    const report = buildReport(input({ observations }));
    expect(report.huggingface.comparisons[0]!.history.map((h) => h.observed_at)).toEqual(['2024-06-01', '2024-07-20']);
  });

  it('reports a comparison that has no usable date instead of dropping it silently', () => {
    const report = buildReport(input({ observations: [hub('pytorch', 10, '2024-07-20')] }));
    expect(report.huggingface.comparisons).toEqual([]);
    expect(report.huggingface.skipped.map((s) => s.observed_at)).toEqual(['2024-07-20', null]);
    expect(report.audit.status).toBe('unavailable');
    expect(report.warnings.join('\n')).toMatch(/PyTorch vs TensorFlow on 2024-07-20 skipped: incomplete/);
  });

  it('lists the query behind each series used', () => {
    const report = buildReport(input());
    const pytorch = report.methodology.queries.find((q) => q.source === 'pubmed' && q.subject === 'PyTorch')!;
    expect(pytorch).toMatchObject({ metric: 'papers', period: '2024', query: '(pytorch) AND 2024:2024[dp]' });
    expect(report.methodology.queries.filter((q) => q.source === 'huggingface').map((q) => q.subject)).toEqual([
      'pytorch',
      'pytorch+tf',
      'tf',
    ]);
    expect(report.methodology.pubmed.terms).toEqual([
      { keyword: 'PyTorch', term: 'pytorch' },
      { keyword: 'TensorFlow', term: 'tensorflow' },
      { keyword: 'Keras', term: 'keras' },
    ]);
  });
});
