import { clip } from '../core/errors.js';

/** What an unexpected answer body says, short enough for a one-line error. */

/** Line breaks and the spaces around them folded into one space. */
export function oneLine(text: string): string {
  return text.replace(/\s*\n\s*/g, ' ').trim();
}

/** ` ("<title>")` of an HTML page (a proxy's or maintenance page), or nothing. */
export function htmlTitle(body: string): string {
  const title = /<title[^>]*>([^<]*)<\/title>/i.exec(body)?.[1];
  return title?.trim() ? ` (${JSON.stringify(oneLine(title.trim()))})` : '';
}

/** The start of a body, on one line, at most 120 characters. */
export function bodySnippet(body: string): string {
  return clip(oneLine(body), 120);
}

/** How a body that should be JSON but does not parse looks: its size and its end, where a cut-off answer shows. */
export function notJsonDetail(body: string): string {
  return `${body.length} bytes, ends with ${JSON.stringify(body.slice(-40))}`;
}
