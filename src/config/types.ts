import type { ReportsConfig } from './reports.js';

/** A framework as configured: its name and each source's parsed definition (absent = not measured there). */
export interface FrameworkConfig {
  name: string;
  /** Parsed `frameworks[].<collectorId>` sections, keyed by collector id. */
  sources: Readonly<Record<string, unknown>>;
}

export interface AppConfig {
  frameworks: readonly FrameworkConfig[];
  /**
   * Parsed top-level `<collectorId>` sections (defaults applied), keyed by collector id, for the sources that
   * have at least one framework part. A source without any is not configured: not collected, not reported.
   */
  sources: Readonly<Record<string, unknown>>;
  /** Where the config came from: a file path or `built-in defaults`. */
  origin: string;
  /** No config file: the built-in defaults, which no user chose source by source. */
  builtIn?: true;
  /** The `reports` section (defaults applied); absent in configs built by hand, which mean the defaults. */
  reports?: ReportsConfig;
}
