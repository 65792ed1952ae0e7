/**
 * Which redirects a request follows. The client follows them itself, one request per hop (each rate-limited,
 * retried and, with --record, recorded under its own key), so a recorded redirect replays as a redirect.
 */

/** Redirects a request follows at most (a file host to its CDN is one; a renamed repository one more). */
export const MAX_REDIRECTS = 5;
export const REDIRECT_STATUSES: ReadonlySet<number> = new Set([301, 302, 303, 307, 308]);

/** Where a request may be sent on: `allowed(first, next)` for the URL first asked and the next hop. */
export interface RedirectPolicy {
  allowed(first: URL, next: URL): boolean;
  /** What it allows, for the line that refuses a hop (`its own host or its file servers`). */
  description: string;
}

/** A download's default: any host (a file host sends downloads to its CDN), credentials never sent on to another. */
export const ANY_HOST: RedirectPolicy = { allowed: () => true, description: 'any host' };

/** Credentials are for the host they were given for: a hop to another origin goes without them, as browsers do. */
export function withoutCredentials(headers: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).filter(([name]) => !['authorization', 'cookie'].includes(name.toLowerCase())));
}
