/**
 * Error types shared by every layer. Messages are one line, name the input or host involved and say
 * what to do; they never carry secrets (the HTTP layer redacts URLs before building them).
 */

/** Bad command line or config: exit code 2. */
export class UsageError extends Error {
  override name = 'UsageError';
}

/** A collector could not finish; what it stored before failing stays stored. */
export class CollectorError extends Error {
  override name = 'CollectorError';
  constructor(
    readonly collector: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(`[collector:${collector}] ${message}`, options);
  }
}

/** Turns anything thrown into a single printable line. */
export function errorLine(err: unknown): string {
  const message = err instanceof Error ? err.message : String(err);
  return message.replace(/\s*\n\s*/g, ' ').trim();
}

/** `text` cut to `max` characters, an ellipsis marking the cut: a quoted URL, term or body never makes a message long. */
export function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}
