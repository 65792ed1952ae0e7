import { describe, expect, it } from 'vitest';
import { hubComparisons, hubSettings } from '../../src/analyze/hub-config.js';
import { pubmedKeywords, pubmedYears } from '../../src/analyze/pubmed-config.js';
import type { AppConfig } from '../../src/config/types.js';
import { config } from './helpers.js';

const empty: AppConfig = { frameworks: [{ name: 'PyTorch', sources: {} }], sources: {}, origin: 'test' };

describe('src/analyze/hub-config', () => {
  it('reads comparisons with the stored labels', () => {
    const { comparisons, problems } = hubComparisons(config({ comparisons: [['PyTorch', 'TensorFlow', 'JAX']] }));
    expect(problems).toEqual([]);
    expect(comparisons[0]).toEqual({
      label: 'PyTorch vs TensorFlow vs JAX',
      members: [
        { name: 'PyTorch', label: 'pytorch' },
        { name: 'TensorFlow', label: 'tf' },
        { name: 'JAX', label: 'jax' },
      ],
    });
  });

  it('tolerates absence and names a framework without Hub tags', () => {
    expect(hubSettings(empty)).toBeUndefined();
    expect(hubComparisons(empty)).toEqual({ comparisons: [], problems: [] });
    const { comparisons, problems } = hubComparisons(config({ comparisons: [['PyTorch', 'Keras']] }));
    expect(comparisons).toEqual([]);
    expect(problems).toEqual(['PyTorch vs Keras: framework Keras has no huggingface tags configured']);
  });
});

describe('src/analyze/pubmed-config', () => {
  it('lists measured frameworks in config order with their terms', () => {
    expect(pubmedKeywords(config())).toEqual([
      { keyword: 'PyTorch', term: 'pytorch' },
      { keyword: 'TensorFlow', term: 'tensorflow' },
      { keyword: 'Keras', term: 'keras' },
    ]);
    expect(pubmedKeywords(empty)).toEqual([]);
  });

  it('defaults toYear to the as-of year and never goes past it', () => {
    expect(pubmedYears(config({ fromYear: 2018 }), '2024-07-20')).toEqual({ fromYear: 2018, toYear: 2024 });
    expect(pubmedYears(config({ fromYear: 2018, toYear: 2030 }), '2024-07-20')).toEqual({ fromYear: 2018, toYear: 2024 });
    expect(pubmedYears(config({ fromYear: 2018, toYear: 2022 }), '2024-07-20')).toEqual({ fromYear: 2018, toYear: 2022 });
    expect(pubmedYears(empty, '2024-07-20')).toBeUndefined();
  });
});
