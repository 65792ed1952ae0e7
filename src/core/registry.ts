import { huggingface } from '../../collectors/huggingface/index.js';
import { pubmed } from '../../collectors/pubmed/index.js';
import type { Collector } from './collector.js';

/**
 * Every source the tool knows, one line each, alphabetical (Renovate's datasource/api.ts). Adding a source:
 * a folder under collectors/ and one line here.
 */
export const COLLECTORS: readonly Collector<unknown, unknown>[] = [
  huggingface as Collector<unknown, unknown>,
  pubmed as Collector<unknown, unknown>,
];

export function collectorById(id: string): Collector<unknown, unknown> | undefined {
  return COLLECTORS.find((c) => c.id === id);
}
