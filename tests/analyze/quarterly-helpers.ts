import type { QuarterlyShareSeries } from '../../src/analyze/quarterly-share/spec.js';

/** A quarterly series as any collector could declare it (no source's names). */
export const SERIES: QuarterlyShareSeries = {
  kind: 'quarterly-share',
  key: 'archive',
  source: 'archive',
  metric: 'papers',
  method: 'snapshot',
  files: 'archive',
  text: { source: 'Archive', label: 'Archive papers with code', unit: 'papers', title: 'T', quarterAxis: 'Quarter', counted: 'c' },
  units: [
    { name: 'papers', metric: 'papers', totalMetric: 'papers_all', description: 'papers' },
    { name: 'repos', metric: 'repos', totalMetric: 'repos_all', description: 'repos' },
  ],
  frameworks: ['A', 'B'],
  totalSubject: 'all',
  comparisons: [{ label: 'A vs B', members: ['A', 'B'], unionMetric: 'papers_union', unionSubject: 'A vs B' }],
  dataEnd: '2025-07-25',
  leftOut: { metric: 'papers_left_out', unit: 'papers', reasons: { 'no-id': 'without an id' } },
};
