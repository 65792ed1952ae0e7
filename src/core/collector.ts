import type { HttpClient, RateLimitPolicy } from '../http/types.js';
import type { Logger } from './logger.js';
import type { Observation, StoredObservation } from './observation.js';
import type { AppConfig } from '../config/types.js';

/** Environment variables as read once at start-up; collectors read their own keys from it. */
export type Env = Readonly<Record<string, string | undefined>>;

/** What a collector may read back from the store (for incremental refreshes). */
export interface HistoryReader {
  /** Latest stored observation per (metric, subject, period, method) for this collector. */
  latest(filter?: { metric?: string; subject?: string }): StoredObservation[];
}

export interface CollectContext {
  /** Already rate-limited, retrying, recording or replaying; collectors never import undici. */
  http: HttpClient;
  config: AppConfig;
  env: Env;
  /** Observation date, `YYYY-MM-DD` (UTC). */
  asOf: string;
  /** Today's date, `YYYY-MM-DD` (UTC); `asOf < today` means a past state is being approximated. */
  today: string;
  /** `--full`: re-query everything instead of the incremental window. */
  full: boolean;
  /** Collector-specific command-line options, by the names the collector declared. */
  options: Readonly<Record<string, string | undefined>>;
  history: HistoryReader;
  /**
   * Store a coherent batch of observations now, in one transaction. Call it as soon as a unit of work
   * (one count, one year) is complete, so a later failure or a kill keeps what was finished.
   */
  emit(observations: Observation[]): void;
  log: Logger;
  signal?: AbortSignal;
}

export interface CollectSummary {
  /** Observations passed to emit(). */
  stored: number;
  /** Items that could not be measured (e.g. a PubMed term that was not found). A non-empty list fails the run. */
  problems: string[];
  /** Things worth a look that do not fail the run (e.g. two counting methods disagreeing). */
  warnings: string[];
}

export interface CollectorOption {
  /** Long option name without dashes, e.g. `hf-method`. */
  name: string;
  description: string;
  /** Allowed values; anything else is a usage error. */
  values?: readonly string[];
}

export interface Collector<FrameworkPart = unknown, SourcePart = unknown> {
  /** Stable id; equals its collectors/ and fixtures/ folder name and its config key. */
  readonly id: string;
  /** Stored with every observation so a change in counting can be told apart from a change in the world. */
  readonly version: string;
  readonly description: string;
  /** Base URL, from the environment (e.g. HF_ENDPOINT) or the public default. */
  baseUrl(env: Env): string;
  /** The provider's published limits, given the credentials present. */
  rateLimit(env: Env): RateLimitPolicy;
  /** Headers to send and secret values that must never be logged, recorded or stored. */
  credentials(env: Env): { headers: Record<string, string>; secrets: string[] };
  /** Query parameters whose values are secret or per-user and are stripped from recorded keys and provenance. */
  readonly privateParams?: readonly string[];
  readonly options?: readonly CollectorOption[];
  /**
   * Parse this source's part of one framework entry (`frameworks[].<id>`); `path` names it in errors.
   * Throws ConfigError naming the offending key.
   */
  parseFrameworkPart(value: unknown, path: string): FrameworkPart;
  /** Parse this source's top-level section (`<id>`), applying defaults; `value` is undefined when absent. */
  parseSourcePart(value: unknown, path: string): SourcePart;
  /** Cross-checks against the whole config (e.g. comparison names exist); throws ConfigError. */
  checkConfig?(config: AppConfig): void;
  /** This source's part of the built-in framework definitions, by framework name. */
  readonly defaultFrameworkParts: Readonly<Record<string, unknown>>;
  collect(ctx: CollectContext): Promise<CollectSummary>;
}

/** Exists only for typing, as unstorage's defineDriver. */
export const defineCollector = <F, S>(collector: Collector<F, S>): Collector<F, S> => collector;
