/** Metric names the PubMed collector stores; the analyzer reads the same names. */

/** Papers per publication year: `(<term>) AND Y:Y[dp]`. Period `YYYY`, subject the framework name. */
export const PAPERS = 'papers';

/**
 * Completeness data for the partial-year adjustment: papers of publication year Y whose PubMed record was
 * created by the as-of month/day of Y (`[crdt]`). Period `YYYY` (a past year); stored with the same
 * observed_at as the `papers` counts it is divided by.
 */
export const PAPERS_CREATED_BY = 'papers_created_by';

/**
 * The denominator of `per_million`: all PubMed records with a publication date in year Y (`Y:Y[dp]`), one
 * count per year, stored under the fixed subject ALL_RECORDS (not a framework).
 */
export const PAPERS_ALL = 'papers_all';
export const ALL_RECORDS = '(all records)';

export const METHOD = 'esearch';
