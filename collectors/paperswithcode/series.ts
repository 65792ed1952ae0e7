import type { SourceParts } from '../../src/core/collector.js';
import type { SeriesSpec } from '../../src/analyze/series.js';
import { articleClaims } from './claims.js';
import { ARCHIVE_END, PWC_ID, type PwcFrameworkPart, type PwcSourcePart } from './config.js';
import { LEFT_OUT_REASONS } from './count-links.js';

/** Stored names: the method, the metrics and the subject of the all-frameworks totals. */
export const PWC_METHOD = 'archive';
export const METRICS = {
  papers: 'papers',
  repos: 'repos',
  papersAll: 'papers_all',
  reposAll: 'repos_all',
  union: 'papers_union',
  leftOut: 'papers_left_out',
} as const;
export const ALL_SUBJECT = 'all';

export const comparisonLabel = (names: readonly string[]) => names.join(' vs ');

/** One quarterly-share series: papers and repositories per quarter and framework, and each comparison's shares. */
export function pwcSeries({ frameworks, source }: SourceParts<PwcFrameworkPart, PwcSourcePart>): SeriesSpec[] {
  return [
    {
      kind: 'quarterly-share',
      key: PWC_ID,
      source: PWC_ID,
      metric: METRICS.papers,
      method: PWC_METHOD,
      files: PWC_ID,
      text: {
        source: 'Papers with Code',
        label: 'Papers with Code (archive): papers with code per quarter',
        unit: 'papers',
        title: "Papers with Code: each framework's share of papers with code",
        quarterAxis: "Quarter of the paper's arXiv id",
        counted:
          "counted from the Papers with Code archive's paper-to-code links (one row per paper and repository, with the repository's framework); a paper's quarter is that of its arXiv id (YYMM), and a repository counts in the quarter of each paper it is linked to",
      },
      units: [
        {
          name: 'papers',
          metric: METRICS.papers,
          totalMetric: METRICS.papersAll,
          description: 'distinct papers (paper_url) with at least one linked repository of the framework',
        },
        {
          name: 'repos',
          metric: METRICS.repos,
          totalMetric: METRICS.reposAll,
          description: "distinct repositories (repo_url) of the framework linked to the quarter's papers",
        },
      ],
      frameworks: frameworks.map((f) => f.name),
      totalSubject: ALL_SUBJECT,
      comparisons: source.comparisons.map((names) => ({
        label: comparisonLabel(names),
        members: names,
        unionMetric: METRICS.union,
        unionSubject: comparisonLabel(names),
      })),
      dataEnd: ARCHIVE_END,
      // Counted through the as-of month (throughMonth): an arXiv id says its month, not its day.
      datedByMonth: "a paper is dated by its arXiv id's month",
      leftOut: { metric: METRICS.leftOut, unit: 'papers', reasons: LEFT_OUT_REASONS },
      claims: articleClaims,
    },
  ];
}
