/** Metric names the PubMed collector stores; the analyzer reads the same names. */

/** Papers per publication year: `(<term>) AND Y:Y[dp]`. Period `YYYY`, subject the framework name. */
export const PAPERS = 'papers';

/**
 * Completeness data for the partial-year adjustment: papers of publication year Y whose PubMed record was
 * created by the as-of month/day of Y (`[crdt]`). Period `YYYY` (a past year); stored with the same
 * observed_at as the `papers` counts it is divided by.
 */
export const PAPERS_CREATED_BY = 'papers_created_by';

export const METHOD = 'esearch';
