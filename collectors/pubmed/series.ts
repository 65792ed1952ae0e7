import type { SourceParts } from '../../src/core/collector.js';
import type { SeriesSpec } from '../../src/analyze/series.js';
import { crdtCompleteness } from './completeness.js';
import { PUBMED_ID, type PubmedFrameworkPart, type PubmedSourcePart } from './config.js';
import { ALL_RECORDS, PAPERS, PAPERS_ALL } from './names.js';

/**
 * What the PubMed collector produces: papers per publication year per framework, the current year partial,
 * and per million of all PubMed records of the year.
 */
export function pubmedSeries({ frameworks, source }: SourceParts<PubmedFrameworkPart, PubmedSourcePart>): SeriesSpec[] {
  return [
    {
      kind: 'yearly-count',
      key: PUBMED_ID,
      source: PUBMED_ID,
      metric: PAPERS,
      files: PUBMED_ID,
      text: {
        source: 'PubMed',
        label: 'PubMed papers per year',
        unit: 'papers',
        title: 'PubMed papers per year mentioning each framework',
        yearAxis: 'Publication year',
        shares:
          'keyword count / sum of all configured keywords that year (mentions, not distinct papers: a paper naming two frameworks counts for both); empty when a keyword lacks that year',
        search:
          'PubMed searches citations: titles, abstracts and indexing terms of biomedical papers, not full text; untagged words go through Automatic Term Mapping (collectors/pubmed/README.md)',
      },
      keywords: frameworks.map((f) => ({ keyword: f.name, term: f.part.term })),
      years: source.toYear === undefined ? { fromYear: source.fromYear } : { fromYear: source.fromYear, toYear: source.toYear },
      completeness: crdtCompleteness,
      denominator: {
        metric: PAPERS_ALL,
        subject: ALL_RECORDS,
        text: {
          unit: 'PubMed records',
          methodology:
            'the count of every PubMed record with a publication date in that year (`Y:Y[dp]`, bounded to records created by the as-of date like the counts when --as-of is in the past)',
        },
      },
    },
  ];
}
