import type { SourceParts } from '../../src/core/collector.js';
import type { SeriesSpec } from '../../src/core/series.js';
import { articleClaims } from './claims.js';
import { HF_ID, HF_METRIC, type HfSourcePart } from './config.js';
import { combinationSubject, frameworkLabel, type HfFrameworkPart } from './labels.js';

/**
 * What the Hub collector produces: one overlap snapshot per run, the models carrying every framework of each
 * subset of each comparison (exact and/or fast counts), checked against the article's claims.
 */
export function hfSeries({ frameworks, source }: SourceParts<HfFrameworkPart, HfSourcePart>): SeriesSpec[] {
  if (source.comparisons.length === 0) return [];
  const parts = new Map(frameworks.map((f) => [f.name, f.part]));
  return [
    {
      kind: 'overlap-snapshot',
      key: HF_ID,
      source: HF_ID,
      metric: HF_METRIC,
      files: 'hf_models',
      text: {
        source: 'Hub',
        label: 'Hugging Face Hub models',
        unit: 'models',
        title: 'Hugging Face Hub models by framework',
        counted: 'the Hub counts models carrying all of a set of framework tags',
        methodChoice:
          'per observation date, exact counts when every subset was counted exactly, else fast counts; methods are never mixed within a date',
      },
      comparisons: source.comparisons.map((names) => ({
        label: names.join(' vs '),
        members: names.map((name) => ({ name, subject: frameworkLabel(parts.get(name)!) })),
        subsetSubject: combinationSubject,
      })),
      // `exact` counts every model; `fast` is the website's estimate: prefer exact when a date has both.
      methods: ['exact', 'fast'],
      configuredMethod: source.method,
      claims: articleClaims,
    },
  ];
}
