import { describe, expect, it } from 'vitest';
import { byCodePoint, observationsCsv } from '../../src/report/observations-csv.js';
import { articleHub, hub, monthlyScenario, reportOf } from '../analyze/helpers.js';
import { articleObservations, articleReport, hfByMonthCsv, hfModelsCsv, parseSimpleCsv, pubmedCsv, pubmedWideCsv } from './fixtures.js';

describe('src/report/hf-models-csv', () => {
  it('writes the article segments with 2-decimal shares', () => {
    expect(hfModelsCsv(articleReport())).toBe(
      [
        'observed_on,comparison,segment,frameworks,models,share_pct',
        '2024-07-20,PyTorch vs TensorFlow,PyTorch only,PyTorch,180549,91.10',
        '2024-07-20,PyTorch vs TensorFlow,TensorFlow only,TensorFlow,12809,6.46',
        '2024-07-20,PyTorch vs TensorFlow,PyTorch and TensorFlow,PyTorch+TensorFlow,4833,2.44',
        '',
      ].join('\n'),
    );
  });

  it('has one block per observation date', () => {
    const report = articleReport({
      observations: [
        ...articleObservations(),
        hub('pytorch', 1, '2024-07-01'),
        hub('tf', 1, '2024-07-01'),
        hub('pytorch+tf', 0, '2024-07-01'),
      ],
    });
    const rows = parseSimpleCsv(hfModelsCsv(report));
    expect(rows.map((r) => r.observed_on)).toEqual(['2024-07-01', '2024-07-01', '2024-07-01', '2024-07-20', '2024-07-20', '2024-07-20']);
    expect(rows[0]).toMatchObject({ models: '1', share_pct: '50.00' });
  });
});

describe('src/report/monthly-overlap/csv (hf_models_by_month.csv)', () => {
  it('writes one row per month and segment, the undated block first, with the issue’s columns first', () => {
    const lines = hfByMonthCsv(reportOf(monthlyScenario())).trimEnd().split('\n');
    expect(lines[0]).toBe('month,comparison,segment,frameworks,models_created,share_pct,cumulative_models,observed_on');
    expect(lines.slice(1, 7)).toEqual([
      'undated,PyTorch vs TensorFlow,PyTorch only,PyTorch,4,57.14,4,2024-03-15',
      'undated,PyTorch vs TensorFlow,TensorFlow only,TensorFlow,2,28.57,2,2024-03-15',
      'undated,PyTorch vs TensorFlow,PyTorch and TensorFlow,PyTorch+TensorFlow,1,14.29,1,2024-03-15',
      '2023-11,PyTorch vs TensorFlow,PyTorch only,PyTorch,3,75.00,7,2024-03-15',
      '2023-11,PyTorch vs TensorFlow,TensorFlow only,TensorFlow,1,25.00,3,2024-03-15',
      '2023-11,PyTorch vs TensorFlow,PyTorch and TensorFlow,PyTorch+TensorFlow,0,0.00,1,2024-03-15',
    ]);
    // A month with no new model has no share, not 0 %.
    expect(lines[7]).toBe('2023-12,PyTorch vs TensorFlow,PyTorch only,PyTorch,0,,7,2024-03-15');
    expect(lines).toHaveLength(1 + 6 * 3);
  });

  it('is only a header when no histogram is stored (fast counts only): the report says why', () => {
    const report = reportOf(articleHub('2024-07-20', 'fast'));
    expect(hfByMonthCsv(report)).toBe('month,comparison,segment,frameworks,models_created,share_pct,cumulative_models,observed_on\n');
  });
});

describe('src/report/pubmed-csv', () => {
  it('writes one row per year and keyword, the partial year flagged with both adjustments', () => {
    const rows = parseSimpleCsv(pubmedCsv(articleReport()));
    expect(rows).toHaveLength(15);
    expect(rows[0]).toEqual({
      year: '2020',
      keyword: 'PyTorch',
      count: '100',
      adjusted: '100',
      partial: 'false',
      share_pct: '16.67',
      yoy_pct: '',
      adjusted_linear: '',
      adjusted_lag_aware: '',
      observed_at: '2024-07-20',
      estimate_method: '',
      withheld_reason: '',
      per_million: '100',
    });
    expect(rows.find((r) => r.year === '2024' && r.keyword === 'TensorFlow')).toEqual({
      year: '2024',
      keyword: 'TensorFlow',
      count: '150',
      adjusted: '300',
      partial: 'true',
      share_pct: '20.00',
      yoy_pct: '-16.67',
      adjusted_linear: '271.78',
      adjusted_lag_aware: '300',
      observed_at: '2024-07-20',
      estimate_method: 'lag-aware',
      withheld_reason: '',
      // The raw partial count over the raw total observed the same day: 150 of 1,000,000 so far.
      per_million: '150',
    });
  });

  it('writes a wide table: adjusted-or-final per keyword, then the raw counts, then the partial flag, then per million', () => {
    const lines = pubmedWideCsv(articleReport()).trimEnd().split('\n');
    expect(lines[0]).toBe(
      'year,PyTorch,TensorFlow,Keras,PyTorch raw,TensorFlow raw,Keras raw,partial,PyTorch per million,TensorFlow per million,Keras per million',
    );
    expect(lines[1]).toBe('2020,100,300,200,100,300,200,false,100,300,200');
    expect(lines.at(-2)).toBe('2023,800,360,230,800,360,230,false,400,180,115');
    expect(lines.at(-1)).toBe('2024,1000,300,200,500,150,100,true,500,150,100');
  });

  it('appends per_million after every agreed column, and leaves it empty where no total is stored', () => {
    const csv = pubmedCsv(articleReport({ observations: articleObservations().filter((o) => o.metric !== 'papers_all') }));
    expect(csv.split('\n')[0]).toBe(
      'year,keyword,count,adjusted,partial,share_pct,yoy_pct,adjusted_linear,adjusted_lag_aware,observed_at,estimate_method,withheld_reason,per_million',
    );
    expect(parseSimpleCsv(csv).every((r) => r.per_million === '')).toBe(true);
    // Without any total, the wide table keeps its per-million columns, empty.
    const wide = pubmedWideCsv(articleReport({ observations: articleObservations().filter((o) => o.metric !== 'papers_all') }));
    expect(wide.split('\n')[1]).toBe('2020,100,300,200,100,300,200,false,,,');
  });
});

describe('src/report/observations-csv', () => {
  it('writes every stored row, history included, in a stable order', () => {
    const observations = [...articleObservations(), hub('tf', 17_000, '2024-06-01', { runId: 0 })];
    const csv = observationsCsv(observations);
    const rows = parseSimpleCsv(csv);
    expect(csv.split('\n')[0]).toBe('source,metric,subject,period,value,observed_at,run_id,query,method,held_back');
    expect(rows).toHaveLength(observations.length);
    expect(rows.filter((r) => r.subject === 'tf' && r.metric === 'models').map((r) => r.observed_at)).toEqual(['2024-06-01', '2024-07-20']);
    expect(observationsCsv([...observations].reverse())).toBe(csv);
  });

  it('orders text by code point, as SQLite does, not by UTF-16 unit or locale', () => {
    expect(byCodePoint('Ａ', '🤗')).toBeLessThan(0); // U+FF21 < U+1F917, though '\uFF21' > '\uD83E'
    expect(byCodePoint('🤗', 'Ａ')).toBeGreaterThan(0);
    expect(byCodePoint('🤗a', '🤗b')).toBeLessThan(0);
    expect(byCodePoint('Z', 'a')).toBeLessThan(0);
    expect(byCodePoint('keras', 'Élan')).toBeLessThan(0);
    expect(byCodePoint('tf', 'tf+jax')).toBeLessThan(0);
    expect(byCodePoint('tf', 'tf')).toBe(0);
  });

  it('defuses a formula-like subject or query', () => {
    const csv = observationsCsv([hub('=HYPERLINK("http://x")', 1, '2024-07-20', { query: '@cmd' })]);
    expect(csv).toContain(`"'=HYPERLINK(""http://x"")"`);
    expect(csv).toContain(",'@cmd,");
  });
});
