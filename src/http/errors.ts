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
    },
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** A request that replay mode cannot answer: never retried. */
export class ReplayMissError extends Error {
  override name = 'ReplayMissError';
}
