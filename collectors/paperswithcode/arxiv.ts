/**
 * A paper's quarter from its arXiv identifier. Identifiers since April 2007 are `YYMM.NNNN` (to 2014) or
 * `YYMM.NNNNN` (from 2015), optionally with a version (`v2`): arXiv's "Understanding the arXiv identifier"
 * (https://info.arxiv.org/help/arxiv_identifier.html). Older identifiers (`hep-th/9901001`) are not placed:
 * the source asks for 2007-and-later ids, and guessing is not allowed. Nor is an id dated after the day it is
 * read: `9912.12345` has the 2015-and-later form, but 2099-12 cannot have come yet, so it dates nothing.
 */

const NEW_STYLE = /^(?:arxiv:)?(\d{2})(\d{2})\.(\d{4,5})(?:v\d+)?$/i;

export type ArxivPlacement = { quarter: string; month: string } | { quarter: null; reason: 'no-arxiv-id' | 'unusable-arxiv-id' };

/**
 * `2407.12345v2` → 2024-Q3 (month 2024-07); empty → no-arxiv-id; anything else, or a month after `latestMonth`
 * (`YYYY-MM`, the month it is read in), → unusable-arxiv-id.
 */
export function placeByArxivId(id: unknown, latestMonth?: string): ArxivPlacement {
  if (id === null || id === undefined) return { quarter: null, reason: 'no-arxiv-id' };
  const text = String(id).trim();
  if (text === '') return { quarter: null, reason: 'no-arxiv-id' };
  const m = NEW_STYLE.exec(text);
  if (!m) return { quarter: null, reason: 'unusable-arxiv-id' };
  const yy = Number(m[1]);
  const mm = Number(m[2]);
  const digits = m[3]!.length;
  // The scheme began with 0704; five digits only from 1501 on; months 01–12.
  const valid = mm >= 1 && mm <= 12 && (yy > 7 || (yy === 7 && mm >= 4)) && (digits === 4 ? yy < 15 : yy >= 15);
  if (!valid) return { quarter: null, reason: 'unusable-arxiv-id' };
  const year = 2000 + yy;
  const month = `${year}-${String(mm).padStart(2, '0')}`;
  if (latestMonth !== undefined && month > latestMonth) return { quarter: null, reason: 'unusable-arxiv-id' };
  return { quarter: `${year}-Q${Math.ceil(mm / 3)}`, month };
}
