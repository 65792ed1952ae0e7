import type { HttpClient, RateLimitPolicy } from '../http/types.js';
import type { Logger } from './logger.js';
import type { Observation, StoredObservation } from './observation.js';
import type { SeriesDeclaration } from './series.js';

/** Environment variables as read once at start-up; collectors read the keys they declare. */
export type Env = Readonly<Record<string, string | undefined>>;

/** An environment variable a collector reads: `--help`, the README and the test guard come from these. */
export interface EnvVar {
  name: string;
  description: string;
  /** Never printed, recorded, stored or reported (tokens, keys, e-mail addresses). */
  secret?: boolean;
  /**
   * Set for a base URL: its public default. Tests point the variable at a closed local port with the same
   * path, so no test can reach the real service.
   */
  endpoint?: string;
  /**
   * The source cannot be collected live without it (an API key the provider requires). Under the built-in defaults, a source
   * whose required variable is unset is skipped with a warning, so a scheduled run of the defaults does not
   * fail every day for a key the user never chose to need; named with --sources or written in a config file,
   * the collector fails with its own message; the reports say why it is missing instead of advising a collect
   * that would fail, and write no empty section for it (src/config/required-env.ts). The text says how to get one.
   */
  required?: string;
}

/** What a collector may read back from the store (for incremental refreshes). */
export interface HistoryReader {
  /** Latest stored observation per (metric, subject, period, method) for this collector. */
  latest(filter?: { metric?: string; subject?: string }): Promise<StoredObservation[]>;
}

/** One configured framework as one source sees it: its name and its parsed part for that source. */
export interface FrameworkPart<F> {
  name: string;
  part: F;
}

/**
 * A source's own slice of the configuration, parsed by its own functions: the frameworks that have a part for
 * it (in config order) and its top-level section with defaults applied.
 */
export interface SourceParts<F, S> {
  frameworks: readonly FrameworkPart<F>[];
  source: S;
}

export interface CollectContext<F = unknown, S = unknown> extends SourceParts<F, S> {
  /** Already rate-limited, retrying, recording or replaying; collectors never import undici. */
  http: HttpClient;
  /** The variables the collector declared, and nothing else. */
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
   * Store a coherent batch of observations now, in one transaction, and wait for it: call it as soon as a unit
   * of work (one count, one year) is complete, so a later failure or a kill keeps what was finished. It throws
   * (after the run's signal is aborted) when the store fails, since nothing more could be kept.
   */
  emit(observations: Observation[]): Promise<void>;
  log: Logger;
  signal?: AbortSignal;
}

/**
 * How a collector reports failure, one rule for all:
 * - an item it could not measure (one count, one year) goes into `problems`, and the others go on;
 * - it throws (a CollectorError, one line, prefixed with its id) only when the whole source must stop:
 *   credentials refused, a rate limit that does not clear, an interrupted run. What it emitted stays stored.
 * The run then calls the collector `success` (no problems), `partial` (problems, something stored) or `failed`.
 */
export interface CollectSummary {
  /** Observations passed to emit(). */
  stored: number;
  /** Items that could not be measured, one line each (e.g. a term that was not found). */
  problems: string[];
  /** Things worth a look that do not fail the run (e.g. two counting methods disagreeing). */
  warnings: string[];
}

export interface CollectorOption {
  /** Long option name without dashes, unique over every collector. */
  name: string;
  description: string;
  /** Allowed values; anything else is a usage error. */
  values?: readonly string[];
}

/**
 * A source. `D`: the series it declares, typed by their kinds' specs (src/analyze/series.ts) where the collector is
 * written and registered; core knows only what every declaration shares.
 */
export interface Collector<F = unknown, S = unknown, D extends SeriesDeclaration = SeriesDeclaration> {
  /** Stable id; equals its collectors/ and fixtures/ folder name, its config key and its error prefix. */
  readonly id: string;
  /** Stored with every observation so a change in counting can be told apart from a change in the world. */
  readonly version: string;
  readonly description: string;
  /** Every environment variable it reads. */
  readonly env: readonly EnvVar[];
  /** Base URL, from its environment variable or the public default. */
  baseUrl(env: Env): string;
  /** The provider's published limits, given the credentials present. */
  rateLimit(env: Env): RateLimitPolicy;
  /** Headers to send and secret values that must never be logged, recorded or stored. */
  credentials(env: Env): { headers: Record<string, string>; secrets: string[] };
  /** Query parameters whose values are secret or per-user and are stripped from recorded keys and provenance. */
  readonly privateParams?: readonly string[];
  readonly options?: readonly CollectorOption[];
  /**
   * The first day its data describes (`YYYY-MM-DD`): `--as-of` before the earliest of all sources is refused as a
   * typo, since no source holds anything to observe then.
   */
  readonly since?: string;
  /**
   * The source serves only its present state: a count asked today is today's, whatever `--as-of` says. The
   * value names it in a sentence (`the … API`); reports flag such counts stored under an earlier date.
   */
  readonly presentOnly?: string;
  /**
   * Parse this source's part of one framework entry (`frameworks[].<id>`); `path` names it in errors.
   * Throws ConfigError naming the offending key.
   */
  parseFrameworkPart(value: unknown, path: string): F;
  /**
   * Parse this source's top-level section (`<id>`, undefined when absent), applying defaults and checking it
   * against the frameworks that have a part for this source. Throws ConfigError.
   */
  parseSourcePart(value: unknown, path: string, frameworks: readonly FrameworkPart<F>[], allNames: readonly string[]): S;
  /** This source's part of the built-in framework definitions, by framework name. */
  readonly defaultFrameworkParts: Readonly<Record<string, unknown>>;
  /** The series this configuration produces, by kind: analysis and reports follow from them. */
  series(parts: SourceParts<F, S>): D[];
  collect(ctx: CollectContext<F, S>): Promise<CollectSummary>;
}

/** Exists only for typing, as unstorage's defineDriver. */
export const defineCollector = <F, S, D extends SeriesDeclaration = SeriesDeclaration>(collector: Collector<F, S, D>): Collector<F, S, D> =>
  collector;
