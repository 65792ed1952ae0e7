import { errorLine } from '../../core/errors.js';
import type { PostgresLocation } from '../location.js';
import { StorageError } from '../storage-error.js';

/** Bounds on every wait for the server (README: The store). */
export const CONNECT_TIMEOUT_S = 10;
export const STATEMENT_TIMEOUT_S = 120;

/** Node's codes of a server that cannot be reached at all. */
const UNREACHABLE = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'ETIMEDOUT', 'EADDRNOTAVAIL']);
/** Node's codes of a connection that broke. */
const BROKEN = new Set(['ECONNRESET', 'EPIPE', 'ECONNABORTED']);
/** What node-postgres says of a connection that broke or timed out (it gives these errors no code). */
const BROKEN_MESSAGES = [
  /Connection terminated/i,
  /not queryable/i,
  /Query read timeout/i,
  /terminating connection/i,
  /server closed the connection/i,
];

/**
 * Every failure of the server, the network or the login, said in one line naming the database (never its
 * password) and what to do: a StorageError, so the command exits 1 and a run stops every collector. What was
 * committed stays; a transaction the failure cut is rolled back by the server.
 */
export function postgresFailure(err: unknown, location: PostgresLocation, connecting = false): StorageError {
  if (err instanceof StorageError) return err;
  const { code, reason, said } = reasonOf(err, location);
  const db = `database ${location.name}`;
  const as = location.user === undefined ? '' : ` as user ${location.user}`;
  if (UNREACHABLE.has(code) || (connecting && /timeout/i.test(reason))) {
    return new StorageError(
      `${db} cannot be reached (${said}); check the host and port, that the server is running and that it accepts connections from here (connect timeout ${CONNECT_TIMEOUT_S} s)`,
    );
  }
  if (/password must be a string|no password/i.test(reason)) {
    return new StorageError(`${db} asks for a password${as} and none was given; put it in PGPASSWORD (or in the URL)`);
  }
  if (code.startsWith('28')) {
    return new StorageError(`${db} refused the login${as} (${said}); check the user and the password (PGPASSWORD, or in the URL)`);
  }
  if (code === '3D000') {
    return new StorageError(
      `${db} does not exist on the server (${said}); create it (createdb ${location.database}) or fix the database name in the URL`,
    );
  }
  if (code === '42501') {
    return new StorageError(
      `${db}: the server refused${as} (${said}); grant the user what it needs (to set it up, CREATE on the schema; to run, SELECT, INSERT and UPDATE on its tables)`,
    );
  }
  if (code === '57014') {
    return new StorageError(
      `${db}: a statement ran longer than the ${STATEMENT_TIMEOUT_S} s allowed and was stopped (${said}); nothing of it was kept; the server may be overloaded or a lock held, try again later`,
    );
  }
  if (code === '53100') return new StorageError(`${db}: the server's disk is full (${said}); free space on the server, then run again`);
  if (code === '25006') {
    return new StorageError(`${db} cannot be written (${said}); it is read-only (a standby?): pass --db with the primary server`);
  }
  if (
    BROKEN.has(code) ||
    code.startsWith('08') ||
    code.startsWith('57P') ||
    code === '53300' ||
    BROKEN_MESSAGES.some((pattern) => pattern.test(reason))
  ) {
    const lost = connecting ? 'the server closed the connection' : 'the connection to the server was lost';
    return new StorageError(`${db}: ${lost} (${said}); what was committed before is kept, nothing half-written: run again when it is back`);
  }
  return new StorageError(`${db}: ${said}`);
}

/** What the server or the network said: its code, its message, and both as a message quotes them (never the password). */
export function reasonOf(err: unknown, location: PostgresLocation): { code: string; reason: string; said: string } {
  const first = err instanceof AggregateError && err.errors.length > 0 ? err.errors[0] : err;
  const code = String((first as { code?: unknown })?.code ?? '');
  const reason = hide(location, errorLine(first) || code || 'no reason given');
  return { code, reason, said: code && !reason.includes(code) ? `${code}: ${reason}` : reason };
}

/** The run lock's connection broke while a run held it: the run must stop writing. */
export function lockLost(err: unknown, location: PostgresLocation): StorageError {
  return new StorageError(
    `database ${location.name}: the connection to the server was lost (${reasonOf(err, location).said}), and the run lock with it; this run stops writing so that no other run overlaps it; what was committed before is kept, nothing half-written: run again when it is back`,
  );
}

/** The password never appears, whatever a message quotes. */
function hide(location: PostgresLocation, text: string): string {
  const secret = location.password;
  return secret && secret.length > 0 ? text.split(secret).join('***') : text;
}
