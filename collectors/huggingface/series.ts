import type { SourceParts } from '../../src/core/collector.js';
import type { SeriesSpec } from '../../src/analyze/series.js';
import { articleClaims } from './claims.js';
import { HF_ID, HF_METRIC, HF_MONTHLY_METRIC, type HfSourcePart } from './config.js';
import { PLACEHOLDER_CREATED_AT, UNDATED } from './created-month.js';
import { combinationSubject, frameworkLabel, type HfFrameworkPart } from './labels.js';

/**
 * What the Hub collector produces: one overlap snapshot per run, the models carrying every framework of each
 * subset of each comparison (exact and/or fast counts), checked against the article's claims; and, from the
 * same exact counts, the models created per month of each subset.
 */
export function hfSeries({ frameworks, source }: SourceParts<HfFrameworkPart, HfSourcePart>): SeriesSpec[] {
  if (source.comparisons.length === 0) return [];
  const parts = new Map(frameworks.map((f) => [f.name, f.part]));
  const comparisons = source.comparisons.map((names) => ({
    label: names.join(' vs '),
    members: names.map((name) => ({ name, subject: frameworkLabel(parts.get(name)!) })),
    subsetSubject: combinationSubject,
  }));
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
      comparisons,
      // `exact` counts every model; `fast` is the website's estimate: prefer exact when a date has both.
      methods: ['exact', 'fast'],
      configuredMethod: source.method,
      claims: articleClaims,
    },
    {
      kind: 'monthly-overlap',
      key: `${HF_ID}_by_month`,
      source: HF_ID,
      metric: HF_MONTHLY_METRIC,
      method: 'exact',
      undatedPeriod: UNDATED,
      snapshot: { metric: HF_METRIC, methods: ['exact', 'fast'] },
      files: 'hf_models_by_month',
      chart: 'hf_trend.svg',
      text: {
        source: 'Hub',
        label: 'Hugging Face Hub models',
        unit: 'models',
        title: 'Hugging Face Hub models created per month, by framework',
        caveat:
          'survivorship: only models still listed on the observation date are counted, so the month a year before has lost more deleted and private models than the latest',
        counted:
          "an exact count reads each listed model's createdAt: the models carrying all of a set of framework tags, by UTC month of creation, as listed on the observation date",
        undated: `models whose createdAt is the Hub's placeholder ${PLACEHOLDER_CREATED_AT}, which every repo created before the Hub stored creation dates carries: created before March 2022, month unknown`,
        caveats: [
          'survivorship: only models still listed (public, not deleted) on the observation date are counted, so past months are undercounted, the more so the older they are',
          "re-tagging: tags are the observation date's, so a model whose framework tags changed since it was created (weights added or removed, a safetensors conversion) counts under its current tags for its whole history",
          'tag drift: since transformers 4.35 (Nov 2023) PyTorch models are saved as safetensors and often lack the pytorch tag, so a pytorch-only definition misses recent PyTorch models; Keras models carry keras or tf-keras (collectors/huggingface/README.md, "Tag drift")',
          'each run stores the whole histogram again, so later runs show how past months move; the snapshot gap compares the cumulative curve with the totals counted on earlier days',
        ],
        unavailable:
          "monthly counts come only from exact counts, which read each model's createdAt; fast counts (the website's numTotalItems, --hf-method fast) give totals only: run with --hf-method exact or both",
      },
      comparisons,
      configuredMethod: source.method,
    },
  ];
}
