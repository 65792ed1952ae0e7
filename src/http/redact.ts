/**
 * Secrets never leave the process: every URL, header, body and message that is logged, recorded, stored or
 * thrown passes through a redactor built from the secret values in use and the query parameters that carry
 * them (an `api_key`, an `email`).
 */
export const REDACTED = '***';

/** `scheme://user:password@` (or `scheme://token@`) in a URL. */
const URL_USERINFO = /\b([a-z][a-z0-9+.-]*:\/\/)[^\s/?#@]+@/gi;

export interface Redactor {
  /** Replace every secret value in free text. */
  text(value: string): string;
  /** Drop private query parameters and replace secret values: the form used in keys and provenance. */
  url(url: string): string;
}

export function createRedactor(secrets: readonly (string | undefined)[], privateParams: readonly string[] = []): Redactor {
  // Longest first, so a secret containing another is replaced whole. Very short values would mangle text.
  const values = [...new Set(secrets.filter((s): s is string => typeof s === 'string' && s.length >= 4))].sort(
    (a, b) => b.length - a.length,
  );
  const variants = values.flatMap((v) => [...new Set([v, encodeURIComponent(v)])]);
  // Credentials written into an endpoint (HF_ENDPOINT=https://user:pass@mirror) are secrets too.
  const text = (value: string): string =>
    variants.reduce((acc, secret) => acc.split(secret).join(REDACTED), value).replace(URL_USERINFO, `$1${REDACTED}@`);
  return {
    text,
    url(url: string): string {
      try {
        const parsed = new URL(url);
        for (const name of privateParams) parsed.searchParams.delete(name);
        return text(parsed.toString());
      } catch {
        return text(url);
      }
    },
  };
}
