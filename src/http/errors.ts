/** Raised by the HTTP client; the message is one line and already redacted. */
export class HttpError extends Error {
  override name = 'HttpError';
  constructor(
    message: string,
    readonly details: {
      url: string;
      status?: number;
      /** Network error code (ECONNRESET, UND_ERR_HEADERS_TIMEOUT, …) when no response came back. */
      code?: string;
      attempts: number;
      /** Redacted response body, when there was one (collectors read API error JSON from it). */
      body?: string;
      /** Redacted response headers (lower-case names), when the answer was taken as final (RequestOptions.final). */
      headers?: Record<string, string>;
    },
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** Why a client stopped sending anything to a host (src/http/host-health.ts). */
export type GiveUpReason =
  /** Connections refused, or the name does not resolve, several times in a row. */
  | 'unreachable'
  /** Attempts in a row that got no complete answer (timeouts, resets, trickles). */
  | 'silent'
  /** 429 in a row although every retry waited as asked, or a wait longer than the client allows. */
  | 'rate-limited';

/**
 * Every request of one client to one host fails with this once the host is given up: queued ones, ones
 * waiting to retry and ones in flight, so a dead host costs a bounded time whatever the number of queries.
 */
export class HostGivenUpError extends HttpError {
  override name = 'HostGivenUpError';
  constructor(
    readonly host: string,
    readonly reason: GiveUpReason,
    message: string,
    details: HttpError['details'],
  ) {
    super(message, details);
  }
}

/** `code` of the error a request gets when its whole-answer deadline passes (see transport.ts). */
export const DEADLINE_CODE = 'ERR_ANSWER_DEADLINE';

/** The answer did not arrive in full within the request's deadline, though it may have started (a trickle). */
export class DeadlineError extends Error {
  override name = 'DeadlineError';
  readonly code = DEADLINE_CODE;
}

/** `code` of the error a request gets when its answer is larger than it allows (see transport.ts): never retried. */
export const TOO_LARGE_CODE = 'ERR_ANSWER_TOO_LARGE';

/** The answer announced or delivered more bytes than the request's `maxBytes`. */
export class AnswerTooLargeError extends Error {
  override name = 'AnswerTooLargeError';
  readonly code = TOO_LARGE_CODE;
}

/** The client was stopped (its collector gave up): requests queued, waiting or in flight end with this. */
export class RequestStoppedError extends Error {
  override name = 'RequestStoppedError';
}

/** A request that replay mode cannot answer: never retried. */
export class ReplayMissError extends Error {
  override name = 'ReplayMissError';
}
