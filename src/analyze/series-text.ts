/** How a series names itself in sentences, tables and charts: words only a collector knows. */
export interface SeriesText {
  /** The source as people call it in a sentence. */
  source: string;
  /** Heading in the terminal summary, e.g. `<source> papers per year`. */
  label: string;
  /** What is counted, plural: `papers`, `models`. */
  unit: string;
}

/** What every series declares, whatever its kind: where its rows are and where its outputs go. */
export interface SeriesIdentity {
  /** report.json key of the series, unique over every source's series. */
  key: string;
  /** Collector id whose stored rows the series reads. */
  source: string;
  /** Stored metric of its counts. */
  metric: string;
  /** Stem of its output files (each kind adds its own endings). */
  files: string;
}
