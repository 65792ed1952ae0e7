import { isLaterPeriod, type StoredObservation } from '../core/observation.js';
import type { Store } from '../store/store.js';
import { textTable } from '../report/text-table.js';

/** `status`: the last run per collector, its outcome, the last success, and the latest value of each series. */
export async function renderStatus(store: Store): Promise<string> {
  const lines: string[] = [];
  const collectors = await store.collectorStatus();
  if (collectors.length === 0) return `No runs yet in ${store.path}. Run \`adoption-metrics run\` first.\n`;
  lines.push(`Database: ${store.path}`, '', 'Collectors:');
  lines.push(
    textTable([
      ['collector', 'last run', 'outcome', 'as of', 'data', 'stored', 'last success'],
      ...collectors.map(({ collector, last, lastSuccess }) => [
        collector,
        `#${last.runId} ${last.startedAt.slice(0, 16).replace('T', ' ')}`,
        last.outcome,
        last.asOf,
        last.dataOrigin,
        // Unknown for a collector stopped midway in an older database (never a false 0).
        last.stored === null ? '—' : String(last.stored),
        lastSuccess ? `#${lastSuccess.runId} ${lastSuccess.startedAt.slice(0, 10)} (as of ${lastSuccess.asOf})` : 'never',
      ]),
    ]),
  );
  for (const { collector, last } of collectors) {
    if (last.message) lines.push(`  ${collector}: ${last.message}`);
  }

  // One line per series (source, metric, subject, method): its most recent period.
  const latest = new Map<string, StoredObservation>();
  for (const o of await store.latestObservations()) {
    const key = [o.source, o.metric, o.subject, o.method].join('\u0000');
    const seen = latest.get(key);
    if (!seen || isLaterPeriod(o.period, seen.period)) latest.set(key, o);
  }
  lines.push('', 'Latest value of each series:');
  lines.push(
    textTable([
      ['source', 'metric', 'subject', 'method', 'period', 'value', 'observed'],
      ...[...latest.values()].map((o) => [
        o.source,
        o.metric,
        o.subject,
        o.method,
        o.period,
        // A value held back as suspect is shown, and said to be.
        o.suspect === undefined ? String(o.value) : `${o.value} (suspect, held back)`,
        o.observedAt,
      ]),
    ]),
  );
  return `${lines.join('\n')}\n`;
}
