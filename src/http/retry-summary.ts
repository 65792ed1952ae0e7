/**
 * What the retries of a run came to, per host. Every attempt is logged at debug level (`-v`); at the default
 * level a run says once per host how many retries it made and why, since one line per attempt buried the rest
 * of a run's log (a load balancer refusing one search term gave 110 lines). A request that fails in the end is
 * said once, by the collector that made it.
 */
export interface HostRetries {
  /** Origin, e.g. `https://api.example.org`. */
  host: string;
  /** Attempts after a first one. */
  retries: number;
  /** Why, as the retry lines say it (`HTTP 429`, `network error ECONNRESET`, …), with how often. */
  reasons: Map<string, number>;
  /** Requests retried that got an answer in the end. */
  recovered: number;
  /** Requests retried that failed in the end. */
  failed: number;
}

/** Counts the retries of one HTTP client. */
export function createRetryTally() {
  const hosts = new Map<string, HostRetries>();
  const of = (host: string) => {
    let entry = hosts.get(host);
    if (!entry) {
      entry = { host, retries: 0, reasons: new Map(), recovered: 0, failed: 0 };
      hosts.set(host, entry);
    }
    return entry;
  };
  return {
    retried(host: string, reason: string): void {
      const entry = of(host);
      entry.retries++;
      entry.reasons.set(reason, (entry.reasons.get(reason) ?? 0) + 1);
    },
    /** A request that was retried has ended: `ok` when it got its answer. */
    settled(host: string, ok: boolean): void {
      const entry = of(host);
      if (ok) entry.recovered++;
      else entry.failed++;
    },
    snapshot(): HostRetries[] {
      return [...hosts.values()].map((h) => ({ ...h, reasons: new Map(h.reasons) }));
    },
  };
}

/** Shown reasons per line; the rest are counted as "other". */
const MAX_REASONS = 3;

/**
 * One line per host over every client of a run (two sources can share a host), e.g. `https://host: 110 retries
 * of 23 requests this run (HTTP 502 ×100, network error ECONNRESET ×10); 20 got their answer on a retry, 3
 * failed; -v shows every attempt`. Hosts without retries say nothing.
 */
export function retrySummaryLines(perClient: readonly (readonly HostRetries[])[]): string[] {
  const merged = new Map<string, HostRetries>();
  for (const h of perClient.flat()) {
    const into = merged.get(h.host) ?? { host: h.host, retries: 0, reasons: new Map<string, number>(), recovered: 0, failed: 0 };
    into.retries += h.retries;
    into.recovered += h.recovered;
    into.failed += h.failed;
    for (const [reason, n] of h.reasons) into.reasons.set(reason, (into.reasons.get(reason) ?? 0) + n);
    merged.set(h.host, into);
  }
  return [...merged.values()]
    .filter((h) => h.retries > 0)
    .sort((a, b) => a.host.localeCompare(b.host))
    .map((h) => {
      const reasons = [...h.reasons].sort(([a, x], [b, y]) => y - x || a.localeCompare(b));
      const shown = reasons.slice(0, MAX_REASONS).map(([reason, n]) => `${reason} ×${n}`);
      const other = reasons.slice(MAX_REASONS).reduce((sum, [, n]) => sum + n, 0);
      if (other > 0) shown.push(`other ×${other}`);
      const requests = h.recovered + h.failed;
      const outcome = [
        h.recovered > 0 ? `${h.recovered} got their answer on a retry` : '',
        h.failed > 0 ? `${h.failed} failed (said above)` : '',
      ].filter(Boolean);
      return `${h.host}: ${h.retries} ${h.retries === 1 ? 'retry' : 'retries'} of ${requests} request${requests === 1 ? '' : 's'} this run (${shown.join(', ')})${outcome.length > 0 ? `; ${outcome.join(', ')}` : ''}; -v shows every attempt`;
    });
}
