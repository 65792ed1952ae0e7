import type { Env } from '../core/collector.js';

/** The only place that reads process.env: collectors get this frozen snapshot. */
export function readEnv(source: NodeJS.ProcessEnv = process.env): Env {
  return Object.freeze({ ...source });
}
