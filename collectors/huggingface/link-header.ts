/**
 * Pagination links, parsed as huggingface.js `utils/parseLinkHeader.ts` does (same regex): GitHub-style
 * `Link: <URL>; rel="next"`, absolute http(s) URLs only. See the reference, section 1 ("Pagination uses a
 * GitHub-style Link header").
 */
const LINK = /<(https?:[/][/][^>]+)>;\s+rel="([^"]+)"/g;

/** `rel` → URL; later duplicates do not override the first. An absent or unparsable header gives `{}`. */
export function parseLinkHeader(header: string | undefined): Record<string, string> {
  const links: Record<string, string> = {};
  if (!header) return links;
  for (const match of header.matchAll(LINK)) {
    const [, url, rel] = match;
    if (url && rel && !(rel in links)) links[rel] = url;
  }
  return links;
}

/** The `rel="next"` URL, to request as-is (it carries every query parameter and the opaque cursor). */
export function nextLink(header: string | undefined): string | undefined {
  return parseLinkHeader(header).next;
}
