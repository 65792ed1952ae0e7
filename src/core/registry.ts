import { huggingface } from '../../collectors/huggingface/index.js';
import { openalex } from '../../collectors/openalex/index.js';
import { paperswithcode } from '../../collectors/paperswithcode/index.js';
import { pubmed } from '../../collectors/pubmed/index.js';
import type { Collector } from './collector.js';

/**
 * Every source the tool knows, one line each, alphabetical (Renovate's datasource/api.ts). Adding a source:
 * a folder under collectors/, one line here and its demo recording (README, "Adding a source").
 */
export const COLLECTORS: readonly Collector[] = [huggingface, openalex, paperswithcode, pubmed];

export function collectorById(id: string): Collector | undefined {
  return COLLECTORS.find((c) => c.id === id);
}
