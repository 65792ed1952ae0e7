import type { Collector, Env } from '../core/collector.js';
import type { AppConfig } from './types.js';

/**
 * Why the built-in defaults leave a source out, or undefined: a variable it requires (an API key its provider
 * demands) is unset. Only the built-in defaults, which no user chose source by source, leave a source out; one
 * written in a config file keeps it and fails with its own message. `collect` skips the source with this line,
 * and the reports say it instead of advising a collect that would fail, and write no empty files for it.
 */
export function skippedForMissingEnv(collector: Collector, config: AppConfig, env: Env): string | undefined {
  if (!config.builtIn) return undefined;
  const missing = collector.env.filter((v) => v.required !== undefined && !env[v.name]?.trim());
  if (missing.length === 0) return undefined;
  const what = missing.map((v) => `${v.name} is not set (${v.required})`).join('; ');
  return `${collector.id}: skipped, ${what}; set it to collect ${collector.id}, or write a config file without it`;
}
