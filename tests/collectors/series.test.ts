import { describe, expect, it } from 'vitest';
import { reportYears } from '../../src/analyze/yearly-count/spec.js';
import { parseConfig } from '../../src/config/load.js';
import { COLLECTORS } from '../../src/registry.js';
import { config, hfSeriesSpec, pubmedSeriesSpec, seriesOf } from '../analyze/helpers.js';

describe('the series each collector declares from its configuration', () => {
  it('huggingface: one overlap snapshot per run, comparisons with the stored subjects of each framework', () => {
    const series = hfSeriesSpec(config({ comparisons: [['PyTorch', 'TensorFlow', 'JAX']] }));
    expect(series).toMatchObject({
      kind: 'overlap-snapshot',
      key: 'huggingface',
      source: 'huggingface',
      metric: 'models',
      files: 'hf_models',
    });
    const [comparison] = series.comparisons;
    expect(comparison!.label).toBe('PyTorch vs TensorFlow vs JAX');
    expect(comparison!.members).toEqual([
      { name: 'PyTorch', subject: 'pytorch' },
      { name: 'TensorFlow', subject: 'tf' },
      { name: 'JAX', subject: 'jax' },
    ]);
    expect(comparison!.subsetSubject(['pytorch', 'jax'])).toBe('pytorch+jax');
    expect(series.methods).toEqual(['exact', 'fast']);
  });

  it('pubmed: one yearly count per framework with a PubMed term, in config order, with its completeness basis', () => {
    const series = pubmedSeriesSpec(config({ fromYear: 2018 }));
    expect(series).toMatchObject({ kind: 'yearly-count', key: 'pubmed', source: 'pubmed', metric: 'papers', files: 'pubmed' });
    expect(series.keywords).toEqual([
      { keyword: 'PyTorch', term: 'pytorch' },
      { keyword: 'TensorFlow', term: 'tensorflow' },
      { keyword: 'Keras', term: 'keras' },
    ]);
    expect(series.completeness).toBeDefined();
    expect(reportYears(series, '2024-07-20')).toEqual({ fromYear: 2018, toYear: 2024 });
  });

  it('cuts the yearly range at the as-of year and has none when it starts later', () => {
    expect(reportYears(pubmedSeriesSpec(config({ fromYear: 2018, toYear: 2030 })), '2024-07-20')).toEqual({ fromYear: 2018, toYear: 2024 });
    expect(reportYears(pubmedSeriesSpec(config({ fromYear: 2018, toYear: 2022 })), '2024-07-20')).toEqual({ fromYear: 2018, toYear: 2022 });
    expect(reportYears(pubmedSeriesSpec(config({ fromYear: 2025 })), '2024-07-20')).toBeUndefined();
  });

  it('declares nothing for a source no framework has a part for, nor for a Hub without comparisons', () => {
    const pubmedOnly = parseConfig({ frameworks: [{ name: 'PyTorch', pubmed: { term: 'pytorch' } }] }, COLLECTORS, 'test');
    expect(seriesOf(pubmedOnly).map((s) => s.key)).toEqual(['pubmed']);
    expect(seriesOf(config({ comparisons: [] })).map((s) => s.key)).toEqual(['pubmed']);
  });
});
