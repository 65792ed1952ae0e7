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
