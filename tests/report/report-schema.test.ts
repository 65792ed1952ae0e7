import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { sectionFiles } from '../../src/report/kinds.js';
import { reportJson } from '../../src/report/report-json.js';
import { articleHub, config, hub, monthlyScenario, reportOf } from '../analyze/helpers.js';

const gapDay = [hub('pytorch', 15, '2024-02-01'), hub('tf', 5, '2024-02-01'), hub('pytorch+tf', 2, '2024-02-01')];
import { articleObservations, articleReport } from './fixtures.js';

const schema = JSON.parse(readFileSync(join(import.meta.dirname, '../../src/report/report.schema.json'), 'utf8'));
// Formats (date-time) are documentation here; the date fields carry their own patterns.
const validate = new Ajv2020({ strict: true, strictRequired: false, validateFormats: false, allErrors: true }).compile(schema);
const json = (report = articleReport()) => JSON.parse(reportJson(report, sectionFiles(report, {})));

describe('src/report/report.schema.json (the documented shape of report.json, version 3)', () => {
  it('describes the report of the article data, of no data and of a single source', () => {
    for (const report of [
      articleReport(),
      articleReport({ observations: [] }),
      reportOf([hub('pytorch', 1, '2024-07-20')], { config: config({ comparisons: [] }) }),
      reportOf(articleObservations(), { config: config({ pubmed: [] }) }),
      reportOf([...monthlyScenario(), ...gapDay]),
      reportOf(articleHub('2024-07-20', 'fast')),
    ]) {
      const ok = validate(json(report));
      expect(validate.errors ?? [], JSON.stringify(validate.errors)).toEqual([]);
      expect(ok).toBe(true);
    }
  });

  it('rejects a report missing a section field or with an unknown version, so the schema can fail', () => {
    const broken = json();
    delete broken.pubmed.adjustment;
    expect(validate(broken)).toBe(false);
    expect(validate({ ...json(), report_version: 2 })).toBe(false);
    const scorecard = json();
    scorecard.scorecard.rows[0].direction = 'up';
    expect(validate(scorecard)).toBe(false);
    expect(validate({ ...json(), pubmed: { keywords: [] } })).toBe(false);
    const monthly = json();
    monthly.huggingface_by_month.comparisons[0].months[0].month = '2024-13';
    expect(validate(monthly)).toBe(false);
  });
});
