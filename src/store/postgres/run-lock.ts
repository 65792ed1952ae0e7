import type pg from 'pg';
import { APPLICATION_ID } from '../schema-version.js';
import { LockBusyError, type LockOptions, type RunLock } from '../driver.js';

/** The second key of the run lock (the first is APPLICATION_ID); migrations take key 2 (schema-migrate.ts). */
export const RUN_LOCK_KEY = 1;
/** How often a waiting run asks again. */
const POLL_MS = 500;

/**
 * Serializes runs on one PostgreSQL database, from any number of hosts: a session-level advisory lock held on a
 * connection of its own for the whole run. The server releases it when that session ends for any reason (the
 * process exits or is killed, its host goes down and TCP keepalive notices), so there is no stale lock to clean
 * up. A second run asks again every half second, so it can say it waits, until `waitMs` passes.
 *
 * `client` is connected and used for nothing else; it is closed on release, or on failure here.
 */
export async function acquireAdvisoryLock(client: pg.Client, name: string, options: LockOptions): Promise<RunLock> {
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const deadline = Date.now() + options.waitMs;
  const path = `${name} (advisory lock ${APPLICATION_ID}, ${RUN_LOCK_KEY})`;
  let lost: ((err: Error) => void) | undefined;
  let released = false;
  try {
    let told = false;
    for (;;) {
      const { rows } = await client.query<{ locked: boolean }>('SELECT pg_try_advisory_lock($1, $2) AS locked', [
        APPLICATION_ID,
        RUN_LOCK_KEY,
      ]);
      if (rows[0]?.locked) break;
      if (Date.now() >= deadline) {
        throw new LockBusyError(
          `another adoption-metrics run holds the run lock of ${name}${await holder(client)}; waited ${Math.round(options.waitMs / 1000)} s. Try again later or raise --lock-wait`,
        );
      }
      if (!told) {
        options.onWait?.(
          `another run is using ${name}${await holder(client)}; waiting for it to finish (up to ${Math.round(options.waitMs / 1000)} s)`,
        );
        told = true;
      }
      await sleep(Math.min(POLL_MS, Math.max(0, deadline - Date.now())));
    }
  } catch (err) {
    await client.end().catch(() => undefined);
    throw err;
  }
  const onBroken = (err: Error) => {
    if (!released) lost?.(err);
  };
  client.on('error', onBroken);
  client.on('end', () => onBroken(new Error('the connection holding it ended')));
  return {
    path,
    async release() {
      if (released) return;
      released = true;
      // Ending the session releases the lock; unlocking first says so at once to a run waiting for it.
      await client.query('SELECT pg_advisory_unlock($1, $2)', [APPLICATION_ID, RUN_LOCK_KEY]).catch(() => undefined);
      await client.end().catch(() => undefined);
    },
    onLost(callback) {
      lost = callback;
    },
  };
}

/** ` (held by <application> from <address> since <time>)`, or nothing when the server does not say. */
async function holder(client: pg.Client): Promise<string> {
  try {
    const { rows } = await client.query<{ application_name: string; client_addr: string | null; backend_start: Date }>(
      `SELECT a.application_name, host(a.client_addr) AS client_addr, a.backend_start
         FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
        WHERE l.locktype = 'advisory' AND l.granted AND l.classid = $1 AND l.objid = $2 AND l.objsubid = 2
          AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())`,
      [APPLICATION_ID, RUN_LOCK_KEY],
    );
    const row = rows[0];
    if (!row) return '';
    const from = row.client_addr ? ` from ${row.client_addr}` : ' over a local socket';
    return ` (held by a session${from} since ${new Date(row.backend_start).toISOString().slice(0, 16).replace('T', ' ')} UTC)`;
  } catch {
    return '';
  }
}
