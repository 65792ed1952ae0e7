/**
 * What a collector declares it produces, whatever the kind. Each kind's full declaration (its spec) lives where
 * its analysis lives, src/analyze/<kind>/spec.ts, and extends this; core knows only what every series shares,
 * so it imports nothing from the layers above it.
 */
export interface SeriesDeclaration {
  /** The series kind: which analyzer and writers follow from it (src/analyze/kinds.ts, src/report/kinds.ts). */
  kind: string;
  /** report.json key of the series, unique over every source's series. */
  key: string;
  /** Collector id whose stored rows the series reads. */
  source: string;
  /** Stored metric of its counts. */
  metric: string;
  text: SeriesText;
}

/** How a series names itself in sentences, tables and charts: words only a collector knows. */
export interface SeriesText {
  /** The source as people call it in a sentence. */
  source: string;
  /** Heading in the terminal summary, e.g. `<source> papers per year`. */
  label: string;
  /** What is counted, plural: `papers`, `models`. */
  unit: string;
  /** What a reader must keep in mind beside the series' headline figures: the note of its scorecard indicators. */
  caveat?: string;
}

/** What most kinds declare beside the basics: the stem of their output files. */
export interface SeriesIdentity extends SeriesDeclaration {
  /** Stem of its output files (each kind adds its own endings). */
  files: string;
}
