import type { Report } from '../../src/analyze/report-types.js';
import { parseConfig } from '../../src/config/load.js';
import type { StoredObservation } from '../../src/core/observation.js';
import { COLLECTORS } from '../../src/registry.js';
import { createdBy, hub, hfSeriesSpec, papers, reportOf } from '../analyze/helpers.js';

/** Reports with many series, for the chart legibility tests: up to 50 keywords, up to 6 compared frameworks. */

export const FRAMEWORK_NAMES = [
  'PyTorch',
  'TensorFlow',
  'Keras',
  'JAX',
  'scikit-learn',
  'XGBoost',
  'LightGBM',
  'CatBoost',
  'MXNet',
  'Caffe',
  'Theano',
  'PaddlePaddle',
  'MindSpore',
  'ONNX Runtime',
  'Chainer',
  'CNTK',
  'Flux.jl',
  'fastai',
  'Hugging Face Transformers',
  'spaCy',
  'NLTK',
  'Gensim',
  'OpenCV',
  'Detectron2',
  'MMDetection',
  'Ultralytics YOLO',
  'PyTorch Lightning',
  'DeepSpeed',
  'Horovod',
  'Ray',
  'Dask',
  'RAPIDS',
  'cuML',
  'H2O',
  'Weka',
  'Spark MLlib',
  'TensorRT',
  'OpenVINO',
  'Apache TVM',
  'TensorFlow Lite',
  'Core ML',
  'Deeplearning4j',
  'Sonnet',
  'Haiku',
  'Flax',
  'Optax',
  'Equinox',
  'Trax',
  'Edward',
  'Pyro',
];

/**
 * PubMed counts 2015–2023 and a partial 2024 (with completeness data, so it is adjusted lag-aware) for the
 * first `count` names: sizes fall off like a power law, so small keywords sit next to large ones; with
 * `zeros`, the smaller half has no papers before 2018.
 */
export function manyKeywordsReport(count: number, options: { zeros?: boolean; observedAt?: string } = {}): Report {
  const names = FRAMEWORK_NAMES.slice(0, count);
  const observedAt = options.observedAt ?? '2024-07-20';
  const config = parseConfig(
    { frameworks: names.map((name) => ({ name, pubmed: { term: name.toLowerCase() } })), pubmed: { fromYear: 2015 } },
    COLLECTORS,
    'test',
  );
  const rows: StoredObservation[] = [];
  names.forEach((name, k) => {
    const base = 4000 / (k + 1) ** 1.4;
    const growth = 1.1 + (k % 5) * 0.08;
    for (let year = 2015; year <= 2023; year++) {
      const value = options.zeros && k >= count / 2 && year < 2018 ? 0 : Math.round(base * growth ** (year - 2015));
      rows.push(papers(name, year, value, observedAt));
      if (year >= 2021) rows.push(...createdBy(name, year, Math.round(value / 2), observedAt));
    }
    rows.push(papers(name, 2024, Math.round((base * growth ** 9) / 2), observedAt));
  });
  return reportOf(rows, { config });
}

/** A Hub comparison of the first `count` names, with every segment non-empty and of a different size. */
export function manyFrameworksHubReport(count: number, observedAt = '2024-07-20'): Report {
  const names = FRAMEWORK_NAMES.slice(0, count);
  const config = parseConfig(
    {
      frameworks: names.map((name, k) => ({ name, huggingface: { tags: [`tag${k}`] } })),
      huggingface: { comparisons: [names], method: 'exact' },
    },
    COLLECTORS,
    'test',
  );
  const comparison = hfSeriesSpec(config).comparisons[0]!;
  const full = (1 << count) - 1;
  const popcount = (mask: number) => [...mask.toString(2)].filter((b) => b === '1').length;
  // Items in exactly `mask`: fewer the more frameworks it has, varied within a size.
  const exactly = (mask: number) => Math.round(90_000 / 4 ** (popcount(mask) - 1) / ((mask % 7) + 1));
  const rows: StoredObservation[] = [];
  for (let mask = 1; mask <= full; mask++) {
    let all = 0;
    for (let superset = 1; superset <= full; superset++) if ((superset & mask) === mask) all += exactly(superset);
    const members = comparison.members.filter((_, i) => mask & (1 << i)).map((m) => m.subject);
    rows.push(hub(comparison.subsetSubject(members), all, observedAt));
  }
  return reportOf(rows, { config });
}
