import type { Collector, SourceParts } from '../core/collector.js';
import type { SeriesSpec } from '../analyze/series.js';
import type { AppConfig } from './types.js';

/**
 * A collector's own parsed slice of the configuration, typed as its own parse functions return it; undefined
 * when the source is not configured (no framework has a part for it). The only place the config's per-source
 * records are read back: parseConfig stored under `collector.id` exactly what that collector's parsers returned.
 */
export function partsOf<F, S>(collector: Collector<F, S>, config: AppConfig): SourceParts<F, S> | undefined {
  if (!(collector.id in config.sources)) return undefined;
  const frameworks = config.frameworks.flatMap((f) => {
    const part = f.sources[collector.id];
    return part === undefined ? [] : [{ name: f.name, part: part as F }];
  });
  return { frameworks, source: config.sources[collector.id] as S };
}

/** The series every configured collector declares, in registry order: what the report analyses and writes. */
export function configuredSeries(config: AppConfig, collectors: readonly Collector<unknown, unknown, SeriesSpec>[]): SeriesSpec[] {
  return collectors.flatMap((collector) => {
    const parts = partsOf(collector, config);
    return parts ? collector.series(parts) : [];
  });
}
