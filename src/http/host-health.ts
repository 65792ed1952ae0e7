import type { GiveUpReason, HostGivenUpError } from './errors.js';

/**
 * When a client stops sending to a host. Retries bound one request; these rules bound a host that fails
 * every request, so a dead, stalled or rate-limiting host costs a fixed time instead of one retry schedule
 * per query. Each rule counts failures in a row at the host (requests of one client together); any complete
 * answer ends the streak. The spans keep one blip that fails several concurrent requests at once from
 * counting as "several times".
 */
export interface HostRules {
  /** Connection failures (refused, name not resolved, no route, connect timeout) in a row, and the time they span. */
  unreachable: { failures: number; spanMs: number };
  /** Attempts in a row with no complete answer at all (connection failures, timeouts, resets, deadline), and their span. */
  silent: { failures: number; spanMs: number };
  /**
   * 429 answers in a row, counting only those to requests sent after the previous counted 429 arrived: each
   * one means "refused again after waiting as asked", however many requests were in flight at once.
   */
  rateLimited: { answers: number };
}

/**
 * 3 refusals over 5 s give up a host that is not there within seconds; 6 silent attempts (as many as one
 * request may make) over 5 s give up a stalled host after about two timeouts when several requests are in
 * flight, and leave a lone request its own retries; 6 rate-limited rounds likewise.
 */
export const DEFAULT_HOST_RULES: HostRules = {
  unreachable: { failures: 3, spanMs: 5_000 },
  silent: { failures: 6, spanMs: 5_000 },
  rateLimited: { answers: 6 },
};

interface Streak {
  count: number;
  firstAt: number;
}

interface HostState {
  unreachable: Streak;
  silent: Streak;
  rateLimited: { count: number; lastAt: number };
  /** Aborted with the give-up error: ends every request to the host. */
  controller: AbortController;
  givenUp?: HostGivenUpError;
}

export interface HostHealth {
  /** Aborted, with the HostGivenUpError as its reason, once the host is given up. */
  signal(host: string): AbortSignal;
  /** A complete answer (any status but 429): the host is alive, every streak ends. */
  answered(host: string): void;
  /**
   * An attempt that got no complete answer. Returns the streak length of its kind, and the rule it broke,
   * if any (the caller builds the error and calls giveUp).
   */
  failed(host: string, connection: boolean, now: number): { inARow: number; spanMs: number; breaks?: GiveUpReason };
  /** A 429 to a request sent at `sentAt`. Returns the rounds in a row, and whether that breaks the rule. */
  rateLimited(host: string, sentAt: number, now: number): { inARow: number; breaks: boolean };
  /** Fail every request to the host, now and later, with `error`. */
  giveUp(host: string, error: HostGivenUpError): void;
}

export function createHostHealth(rules: HostRules = DEFAULT_HOST_RULES): HostHealth {
  const hosts = new Map<string, HostState>();
  const fresh = (): Streak => ({ count: 0, firstAt: 0 });

  function state(host: string): HostState {
    let s = hosts.get(host);
    if (!s) {
      s = { unreachable: fresh(), silent: fresh(), rateLimited: { count: 0, lastAt: -Infinity }, controller: new AbortController() };
      hosts.set(host, s);
    }
    return s;
  }

  function extend(streak: Streak, now: number): void {
    if (streak.count === 0) streak.firstAt = now;
    streak.count++;
  }

  return {
    signal: (host) => state(host).controller.signal,
    answered(host) {
      const s = state(host);
      s.unreachable = fresh();
      s.silent = fresh();
      s.rateLimited = { count: 0, lastAt: -Infinity };
    },
    failed(host, connection, now) {
      const s = state(host);
      // A connection that opened and then failed means the host is there: only refusals in a row count.
      if (connection) extend(s.unreachable, now);
      else s.unreachable = fresh();
      extend(s.silent, now);
      const broken = (streak: Streak, rule: { failures: number; spanMs: number }) =>
        streak.count >= rule.failures && now - streak.firstAt >= rule.spanMs;
      const streak = connection ? s.unreachable : s.silent;
      const result = { inARow: streak.count, spanMs: now - streak.firstAt };
      if (connection && broken(s.unreachable, rules.unreachable)) return { ...result, breaks: 'unreachable' };
      if (broken(s.silent, rules.silent)) return { inARow: s.silent.count, spanMs: now - s.silent.firstAt, breaks: 'silent' };
      return result;
    },
    rateLimited(host, sentAt, now) {
      const s = state(host);
      s.unreachable = fresh();
      s.silent = fresh();
      // A request already on its way when the previous 429 arrived tells nothing new.
      if (sentAt >= s.rateLimited.lastAt) s.rateLimited = { count: s.rateLimited.count + 1, lastAt: now };
      return { inARow: s.rateLimited.count, breaks: s.rateLimited.count >= rules.rateLimited.answers };
    },
    giveUp(host, error) {
      const s = state(host);
      if (s.givenUp) return;
      s.givenUp = error;
      s.controller.abort(error);
    },
  };
}
