import { describe, expect, it } from 'vitest';
import { articleHub, config, hub, hfSection, pubmedHistory, pubmedSection, reportOf } from './helpers.js';

const observations = () => [...articleHub(), ...pubmedHistory()];

describe('src/analyze/build-report', () => {
  it('carries the article numbers into the report', () => {
    const report = reportOf(observations());
    const [c] = hfSection(report).data.comparisons;
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
    expect(report.audits[0]?.result.status).toBe('computed');
    expect(report.warnings).toEqual([]);
  });

  it('has one section per declared series, in registry order, each under its kind', () => {
    const report = reportOf(observations());
    expect(report.sections.map((s) => [s.series.key, s.kind])).toEqual([
      ['huggingface', 'overlap-snapshot'],
      ['huggingface_by_month', 'monthly-overlap'],
      ['pubmed', 'yearly-count'],
    ]);
    expect(report.report_version).toBe(2);
  });

  it('has no section for a skipped source with nothing stored, and says why instead (any kind)', () => {
    const why = 'pubmed: skipped, A_KEY is not set (get one); set it to collect pubmed, or write a config file without it';
    // Nothing of PubMed stored: its section goes, with its advice to collect; the line saying why comes instead.
    const skipped = reportOf(articleHub(), { skipped: new Map([['pubmed', why]]) });
    expect(skipped.sections.map((s) => s.series.key)).toEqual(['huggingface', 'huggingface_by_month']);
    expect(skipped.warnings.filter((w) => w.startsWith('pubmed'))).toEqual([why]);
    // Two series of one source (the Hub's): neither section, one line.
    const hubWhy = why.replace(/pubmed/g, 'huggingface');
    const noHub = reportOf(pubmedHistory(), { skipped: new Map([['huggingface', hubWhy]]) });
    expect(noHub.sections.map((s) => s.series.key)).toEqual(['pubmed']);
    expect(noHub.warnings.filter((w) => w.startsWith('huggingface'))).toEqual([hubWhy]);
    // What a skipped source stored before is still reported, without the line.
    const stored = reportOf(observations(), { skipped: new Map([['pubmed', why]]) });
    expect(stored.sections.map((s) => s.series.key)).toContain('pubmed');
    expect(stored.warnings).not.toContain(why);
  });

  it('stamps the injected dates and the data origin, without reading the clock', () => {
    const report = reportOf(observations(), { replayed: true });
    expect(report).toMatchObject({ as_of: '2024-07-20', generated_at: '2024-07-21T08:00:00.000Z', data_origin: 'replayed' });
    expect(reportOf(observations()).data_origin).toBe('live');
    expect(JSON.stringify(reportOf(observations()))).toBe(JSON.stringify(reportOf(observations())));
  });

  it('keeps one history entry per usable observation date and ignores dates after as-of', () => {
    const rows = [...articleHub('2024-06-01'), ...articleHub('2024-07-20'), ...articleHub('2024-09-01'), ...pubmedHistory()];
    const report = reportOf(rows);
    expect(hfSection(report).data.comparisons[0]!.history.map((h) => h.observed_at)).toEqual(['2024-06-01', '2024-07-20']);
  });

  it('reports a comparison that has no usable date instead of dropping it silently', () => {
    const report = reportOf([hub('pytorch', 10, '2024-07-20')]);
    const hfData = hfSection(report).data;
    expect(hfData.comparisons).toEqual([]);
    expect(hfData.skipped.map((s) => s.observed_at)).toEqual(['2024-07-20', null]);
    expect(report.audits[0]?.result.status).toBe('unavailable');
    expect(report.warnings.join('\n')).toMatch(/PyTorch vs TensorFlow on 2024-07-20 skipped: incomplete/);
  });

  it('lists the query behind each series used', () => {
    const report = reportOf(observations());
    const pytorch = report.queries.find((q) => q.source === 'pubmed' && q.subject === 'PyTorch')!;
    expect(pytorch).toMatchObject({ metric: 'papers', period: '2024', query: '(pytorch) AND 2024:2024[dp]' });
    expect(report.queries.filter((q) => q.source === 'huggingface').map((q) => q.subject)).toEqual(['pytorch', 'pytorch+tf', 'tf']);
    expect(pubmedSection(report).methodology.terms).toEqual([
      { keyword: 'PyTorch', term: 'pytorch' },
      { keyword: 'TensorFlow', term: 'tensorflow' },
      { keyword: 'Keras', term: 'keras' },
    ]);
  });

  it('leaves out a source no framework has a part for: no section, no warning, no audit', () => {
    const report = reportOf(pubmedHistory(), { config: config({ comparisons: [] }) });
    expect(report.sections.map((s) => s.series.key)).toEqual(['pubmed']);
    expect(report.audits).toEqual([]);
    expect(report.warnings.filter((w) => w.startsWith('huggingface'))).toEqual([]);
  });
});
