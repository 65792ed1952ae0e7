import type { SeriesSpec } from '../../src/analyze/series.js';
import type { SourceParts } from '../../src/core/collector.js';
import { PYPI_ID, type PypiFrameworkPart, type PypiSourcePart } from './config.js';
import { DAYS_COVERED, DOWNLOADS, DOWNLOADS_PER_DAY, METHOD } from './names.js';

/**
 * What downloads are not, for every report's methodology (shared/reference/clickpy.md, "What downloads are not").
 */
export const CAVEATS = [
  'downloads are not users: CI pipelines, Docker builds and mirrors download on every run, and PyPI counts each file download',
  "PyTorch's CUDA builds are installed from PyTorch's own index (download.pytorch.org), which PyPI's logs never see, so torch on PyPI understates PyTorch",
  'dependencies are downloaded with what needs them: tensorflow 2.16+ pulls keras (Keras 3) and jax pulls jaxlib (TensorFlow also tensorflow-intel or tensorflow-macos on some platforms), so adding dependency packages to a framework counts them twice',
  'conda downloads (Anaconda, conda-forge) are not counted',
];

export const comparisonLabel = (names: readonly string[]) => names.join(' vs ');

/** One monthly-count series: downloads per month per framework, each framework the sum of its packages. */
export function pypiSeries({ frameworks, source }: SourceParts<PypiFrameworkPart, PypiSourcePart>): SeriesSpec[] {
  return [
    {
      kind: 'monthly-count',
      key: PYPI_ID,
      source: PYPI_ID,
      metric: DOWNLOADS,
      method: METHOD,
      daysMetric: DAYS_COVERED,
      dailyMetric: DOWNLOADS_PER_DAY,
      files: `${PYPI_ID}_downloads`,
      chart: `${PYPI_ID}_trend.svg`,
      fromMonth: source.fromMonth,
      frameworks: frameworks.map((f) => ({ name: f.name, members: f.part.packages })),
      comparisons: source.comparisons.map((names) => ({ label: comparisonLabel(names), members: names })),
      text: {
        source: 'PyPI',
        label: 'PyPI downloads per month',
        unit: 'downloads',
        title: 'PyPI downloads per month per framework',
        members: 'packages',
        counted:
          "downloads of the framework's packages from PyPI per calendar month (UTC), as PyPI's download logs (linehaul, the BigQuery dataset pypistats and pepy read too) record them, summed from ClickPy's public ClickHouse table pypi.pypi_downloads_per_day (sum(count): a SummingMergeTree sums its rows only when parts merge); package names normalized as PyPI does",
        caveats: CAVEATS,
        caveat:
          "downloads, not users (CI and mirrors count); torch on PyPI understates PyTorch, whose CUDA builds come from PyTorch's own index",
      },
    },
  ];
}
