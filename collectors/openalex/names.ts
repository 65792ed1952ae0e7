/** Metric names the OpenAlex collector stores; the series it declares reads the same names. */

/** Works per publication year matching a framework's search. Period `YYYY`, subject the framework name. */
export const WORKS = 'works';

/**
 * Every work of a publication year (no search), the denominator of per_million: one count per year, stored
 * under the fixed subject ALL_WORKS (not a framework).
 */
export const WORKS_ALL = 'works_all';
export const ALL_WORKS = '(all works)';

/** How every value is produced: one `group_by=publication_year` answer per search. */
export const METHOD = 'group_by';
