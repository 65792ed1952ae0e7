import type { Dispatcher } from 'undici';
import type { CollectContext, Collector } from '../../src/core/collector.js';
import { createMemoryLogger } from '../../src/core/logger.js';
import type { Observation, StoredObservation } from '../../src/core/observation.js';
import { latestBy } from '../../src/analyze/select-observations.js';
import { partsOf } from '../../src/config/parts.js';
import type { AppConfig } from '../../src/config/types.js';
import { createHttpClient, type HttpMode } from '../../src/http/client.js';
import type { Clock } from '../../src/http/limiter.js';
import type { RetryOptions } from '../../src/http/retry.js';

/**
 * A CollectContext wired to the real HTTP client (against a local server or a MockAgent) and an in-memory
 * history, so collector tests run the same code path as the CLI minus SQLite.
 */
export interface TestContextOptions<F, S> {
  collector: Collector<F, S>;
  config: AppConfig;
  env?: Record<string, string | undefined>;
  asOf?: string;
  today?: string;
  full?: boolean;
  options?: Record<string, string | undefined>;
  history?: StoredObservation[];
  mode?: HttpMode;
  dispatcher?: Dispatcher;
  retry?: Partial<RetryOptions>;
  timeoutMs?: number;
  clock?: Clock;
}

/** A clock whose sleeps return at once and move its time on: backoffs and pacing cost no real time. */
export function instantClock(): Clock {
  let now = Date.now();
  return {
    now: () => now,
    sleep: async (ms) => {
      now += ms;
    },
  };
}

export function createTestContext<F, S>(options: TestContextOptions<F, S>) {
  const env = options.env ?? {};
  const log = createMemoryLogger();
  const emitted: Observation[][] = [];
  const credentials = options.collector.credentials(env);
  const http = createHttpClient({
    collector: options.collector.id,
    policy: options.collector.rateLimit(env),
    headers: credentials.headers,
    secrets: credentials.secrets,
    privateParams: options.collector.privateParams,
    retry: { baseDelayMs: 1, maxDelayMs: 5, ...options.retry },
    timeoutMs: options.timeoutMs,
    mode: options.mode,
    dispatcher: options.dispatcher,
    clock: options.clock,
    random: () => 0.5,
    log,
  });
  const history = options.history ?? [];
  const parts = partsOf(options.collector, options.config);
  if (!parts) throw new Error(`the test config gives ${options.collector.id} no framework part`);
  const ctx: CollectContext<F, S> = {
    ...parts,
    http,
    env,
    asOf: options.asOf ?? '2024-07-20',
    today: options.today ?? options.asOf ?? '2024-07-20',
    full: options.full ?? false,
    options: options.options ?? {},
    history: {
      // As the store answers: the latest row of each (metric, subject, period, method) of this source.
      latest: async (filter) => [
        ...latestBy(
          history.filter(
            (o) =>
              o.source === options.collector.id &&
              (!filter?.metric || o.metric === filter.metric) &&
              (!filter?.subject || o.subject === filter.subject),
          ),
          (o) => [o.metric, o.subject, o.period, o.method].join('\u0000'),
        ).values(),
      ],
    },
    emit: async (batch) => {
      emitted.push(batch);
    },
    log,
  };
  return { ctx, emitted, log, observations: () => emitted.flat() };
}
