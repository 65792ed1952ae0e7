/** How a series names itself in sentences, tables and charts: words only a collector knows. */
export interface SeriesText {
  /** The source as people call it in a sentence. */
  source: string;
  /** Heading in the terminal summary, e.g. `<source> papers per year`. */
  label: string;
  /** What is counted, plural: `papers`, `models`. */
  unit: string;
}
