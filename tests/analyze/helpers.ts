import type { AppConfig } from '../../src/config/types.js';
import type { StoredObservation } from '../../src/core/observation.js';

/** Builders for stored observations and configs shared by the analyzer and report tests. */

let nextId = 1;

export function obs(
  partial: Partial<StoredObservation> & Pick<StoredObservation, 'source' | 'metric' | 'subject' | 'period' | 'value' | 'observedAt'>,
): StoredObservation {
  return {
    method: partial.source === 'pubmed' ? 'esearch' : 'exact',
    query: `${partial.subject} ${partial.period}`,
    collectorVersion: '1.0.0',
    runId: 1,
    id: nextId++,
    ...partial,
  };
}

export function hub(subject: string, value: number, observedAt: string, extra: Partial<StoredObservation> = {}): StoredObservation {
  return obs({
    source: 'huggingface',
    metric: 'models',
    subject,
    period: observedAt,
    value,
    observedAt,
    query: `filter=${subject.split('+').join('&filter=')}`,
    ...extra,
  });
}

export function papers(
  subject: string,
  year: number,
  value: number,
  observedAt: string,
  extra: Partial<StoredObservation> = {},
): StoredObservation {
  return obs({
    source: 'pubmed',
    metric: 'papers',
    subject,
    period: String(year),
    value,
    observedAt,
    query: `(${subject.toLowerCase()}) AND ${year}:${year}[dp]`,
    ...extra,
  });
}

/**
 * Completeness rows as the collector stores them: records of `year` created by the first and by the last day
 * of the observation month in that year (`atMonthEnd` defaults to `value`, so the same-day count is `value`).
 */
export function createdBy(subject: string, year: number, value: number, observedAt: string, atMonthEnd = value): StoredObservation[] {
  const month = observedAt.slice(5, 7);
  const last = new Date(Date.UTC(year, Number(month), 0)).getUTCDate();
  return [
    obs({ source: 'pubmed', metric: 'papers_created_by', subject, period: `${year}-${month}-01`, value, observedAt }),
    obs({ source: 'pubmed', metric: 'papers_created_by', subject, period: `${year}-${month}-${last}`, value: atMonthEnd, observedAt }),
  ];
}

/** The article's Hub numbers as the collector stores them (2024-07-20, exact). */
export function articleHub(observedAt = '2024-07-20', method = 'exact'): StoredObservation[] {
  return [
    hub('pytorch', 185_382, observedAt, { method }),
    hub('tf', 17_642, observedAt, { method }),
    hub('pytorch+tf', 4_833, observedAt, { method }),
  ];
}

export function config(options: { comparisons?: string[][]; fromYear?: number; toYear?: number; pubmed?: string[] } = {}): AppConfig {
  const hubTags: Record<string, string> = { PyTorch: 'pytorch', TensorFlow: 'tf', JAX: 'jax' };
  const pubmedKeywords = options.pubmed ?? ['PyTorch', 'TensorFlow', 'Keras'];
  const names = ['PyTorch', 'TensorFlow', 'Keras', 'JAX'];
  return {
    origin: 'test',
    frameworks: names.map((name) => {
      const sources: Record<string, unknown> = {};
      if (hubTags[name]) sources.huggingface = { tags: [[hubTags[name]]] };
      if (pubmedKeywords.includes(name)) sources.pubmed = { term: name.toLowerCase() };
      return { name, sources };
    }),
    sources: {
      huggingface: { comparisons: options.comparisons ?? [['PyTorch', 'TensorFlow']], method: 'exact' },
      pubmed:
        options.toYear === undefined
          ? { fromYear: options.fromYear ?? 2020 }
          : { fromYear: options.fromYear ?? 2020, toYear: options.toYear },
    },
  };
}

/**
 * A small PubMed history observed on 2024-07-20: final counts 2020–2023, the partial 2024 count, and
 * completeness data for 2021–2023 (c = 0.5 for every keyword and year, so lag-aware doubles the count).
 */
export function pubmedHistory(observedAt = '2024-07-20'): StoredObservation[] {
  const finals: Record<string, number[]> = {
    PyTorch: [100, 200, 400, 800],
    TensorFlow: [300, 320, 340, 360],
    Keras: [200, 210, 220, 230],
  };
  const partial: Record<string, number> = { PyTorch: 500, TensorFlow: 150, Keras: 100 };
  const rows: StoredObservation[] = [];
  for (const [keyword, values] of Object.entries(finals)) {
    for (const [i, value] of values.entries()) rows.push(papers(keyword, 2020 + i, value, observedAt));
    rows.push(papers(keyword, 2024, partial[keyword]!, observedAt));
    for (const year of [2021, 2022, 2023]) rows.push(...createdBy(keyword, year, values[year - 2020]! / 2, observedAt));
  }
  return rows;
}
