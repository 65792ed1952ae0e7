import { huggingface } from '../collectors/huggingface/index.js';
import { openalex } from '../collectors/openalex/index.js';
import { paperswithcode } from '../collectors/paperswithcode/index.js';
import { pubmed } from '../collectors/pubmed/index.js';
import { pypi } from '../collectors/pypi/index.js';
import type { SeriesSpec } from './analyze/series.js';
import type { Collector } from './core/collector.js';

/** A source the tool knows: a collector whose series are of kinds the analysis knows. */
export type RegisteredCollector = Collector<unknown, unknown, SeriesSpec>;

/**
 * Every source the tool knows, one line each, alphabetical (Renovate's datasource/api.ts). Adding a source:
 * a folder under collectors/, one line here and its demo recording (README, "Adding a source"). It sits above
 * core, analysis and reports, the one file under src/ that names a source.
 */
export const COLLECTORS: readonly RegisteredCollector[] = [huggingface, openalex, paperswithcode, pubmed, pypi];

export function collectorById(id: string): RegisteredCollector | undefined {
  return COLLECTORS.find((c) => c.id === id);
}
