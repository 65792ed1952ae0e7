import type { RedirectPolicy } from '../../src/http/redirects.js';

/**
 * Where the Hub sends a request on, and where it is followed. A repository id in another case, or a renamed
 * repository, answers 307 with a relative `Location` to its current id (genuine answers, issue 19); a file
 * download is sent to the Hub's file servers (`cdn-lfs.huggingface.co`, `cdn-lfs.hf.co`,
 * `cas-bridge.xethub.hf.co`, …). Followed to the same host, to https subdomains of huggingface.co and hf.co,
 * and to subdomains of HF_ENDPOINT's host (a mirror's own file servers); nowhere else, at most 5 hops
 * (src/http/redirects.ts).
 */
export const HUB_REDIRECTS: RedirectPolicy = {
  allowed(first: URL, next: URL): boolean {
    if (next.origin === first.origin) return true;
    if (next.protocol !== 'https:') return false;
    return ['huggingface.co', 'hf.co', first.hostname].some((domain) => next.hostname === domain || next.hostname.endsWith(`.${domain}`));
  },
  description: "the Hub's own host or its file servers (huggingface.co, hf.co and their subdomains)",
};

/** `owner/name` of a Hub API URL's path (`/api/datasets/<owner>/<name>`), after a redirect: the repository's current id. */
export function repoIdOf(url: string | undefined, kind: 'datasets' | 'models'): string | undefined {
  if (!url) return undefined;
  const match = new RegExp(`/api/${kind}/([^/?#]+/[^/?#]+)`).exec(new URL(url).pathname);
  return match ? decodeURIComponent(match[1]!) : undefined;
}
