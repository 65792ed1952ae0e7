import { storedHistoryCompleteness } from '../../src/analyze/yearly-count/history-completeness.js';
import type { SourceParts } from '../../src/core/collector.js';
import type { SeriesSpec } from '../../src/analyze/series.js';
import { OPENALEX_ID, type OpenAlexFrameworkPart, type OpenAlexSourcePart } from './config.js';
import { ALL_WORKS, WORKS, WORKS_ALL } from './names.js';

/**
 * What the OpenAlex collector produces: works per publication year per framework, in every discipline, the
 * current year partial, and per million of all works of the year. OpenAlex keeps no history to ask the past
 * with, so the lag-aware estimate learns from this tool's own history of last year's count as it grew.
 */
export function openAlexSeries({ frameworks, source }: SourceParts<OpenAlexFrameworkPart, OpenAlexSourcePart>): SeriesSpec[] {
  return [
    {
      kind: 'yearly-count',
      key: OPENALEX_ID,
      source: OPENALEX_ID,
      metric: WORKS,
      files: OPENALEX_ID,
      text: {
        source: 'OpenAlex',
        label: 'OpenAlex works per year',
        unit: 'works',
        title: 'OpenAlex works per year mentioning each framework',
        yearAxis: 'Publication year',
        shares:
          'keyword count / sum of all configured keywords that year (mentions, not distinct works: a work naming two frameworks counts for both); empty when a keyword lacks that year',
        search:
          "OpenAlex's `search=` matches a work's title, abstract and, where OpenAlex holds it (`has_fulltext`), its full text; it stems words and drops stop words, and reads AND/OR/NOT and quoted phrases. Full-text coverage differs by year, so a yearly count mixes adoption with coverage; per_million (against all works of the year) reduces that but does not remove it",
      },
      keywords: frameworks.map((f) => ({ keyword: f.name, term: f.part.term })),
      years: source.toYear === undefined ? { fromYear: source.fromYear } : { fromYear: source.fromYear, toYear: source.toYear },
      completeness: storedHistoryCompleteness(WORKS),
      denominator: {
        metric: WORKS_ALL,
        subject: ALL_WORKS,
        text: {
          unit: 'OpenAlex works',
          methodology:
            'the count of every OpenAlex work with that publication year, in every discipline (`/works?group_by=publication_year`, no search), asked in the same run as the counts',
        },
      },
    },
  ];
}
