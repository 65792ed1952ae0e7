import type { AppConfig } from '../config/types.js';

/** Typed, absence-tolerant reads of the PubMed parts of the resolved config (the collector owns their parsing). */

const PUBMED = 'pubmed';

export interface PubmedKeyword {
  /** Framework name, also the stored subject. */
  keyword: string;
  /** The configured PubMed term. */
  term: string;
}

export interface PubmedSettings {
  fromYear: number;
  toYear?: number;
}

export function pubmedSettings(config: AppConfig): PubmedSettings | undefined {
  const raw = config.sources[PUBMED] as Partial<PubmedSettings> | undefined;
  if (!raw || typeof raw.fromYear !== 'number') return undefined;
  return typeof raw.toYear === 'number' ? { fromYear: raw.fromYear, toYear: raw.toYear } : { fromYear: raw.fromYear };
}

/** Frameworks measured on PubMed, in config order (which is also report and legend order). */
export function pubmedKeywords(config: AppConfig): PubmedKeyword[] {
  const keywords: PubmedKeyword[] = [];
  for (const framework of config.frameworks) {
    const part = framework.sources[PUBMED] as { term?: unknown } | undefined;
    if (part && typeof part.term === 'string') keywords.push({ keyword: framework.name, term: part.term });
  }
  return keywords;
}

/**
 * Years to report: fromYear..toYear, toYear defaulting to the as-of year. Years after the as-of year cannot
 * have been observed yet, so the range is cut there.
 */
export function pubmedYears(config: AppConfig, asOf: string): { fromYear: number; toYear: number } | undefined {
  const settings = pubmedSettings(config);
  if (!settings) return undefined;
  const asOfYear = Number(asOf.slice(0, 4));
  const toYear = Math.min(settings.toYear ?? asOfYear, asOfYear);
  return settings.fromYear <= toYear ? { fromYear: settings.fromYear, toYear } : undefined;
}
