import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeReports } from '../../src/report/write-reports.js';
import { hub } from '../analyze/helpers.js';
import { articleObservations, articleReport } from './fixtures.js';
import { fodsRecords, type FodsCell } from './fods.js';
import { importInCalc, sofficeOnPath } from './soffice.js';

/**
 * Opens the CSVs in LibreOffice Calc (headless) and checks how they were typed. Runs when `soffice` is on PATH
 * (CI installs LibreOffice). Import filter options, token by token:
 *   44 comma separator, 34 double-quote text delimiter, 76 UTF-8, 1 first line, (empty) standard column types,
 *   1033 en-US (so `.` decimals and ISO dates parse whatever the machine's locale), false "quoted field as text",
 *   true "detect special numbers" (dates), false/false/false export-only options and "remove spaces",
 *   -1 all sheets, true "evaluate formulas": the worst case, like Excel, so an undefused `=` cell would run.
 */
const CSV_IMPORT_FILTER = 'CSV:44,34,76,1,,1033,false,true,false,false,false,-1,true';

let dir: string;
const sheets: Record<string, Record<string, FodsCell>[]> = {};
const FILES = ['hf_models', 'hf_models_by_month', 'pubmed_by_year', 'pubmed_by_year_wide', 'observations'];

describe.skipIf(!sofficeOnPath)('src/report/csv (LibreOffice Calc import)', () => {
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'adoption-calc-'));
    const observations = [...articleObservations(), hub('=1+1', 5, '2024-07-20', { query: '@SUM(1)' })];
    await writeReports(articleReport(), observations, dir);
    const imported = await importInCalc(
      FILES.map((f) => join(dir, `${f}.csv`)),
      { workDir: dir, outDir: join(dir, 'fods'), filter: CSV_IMPORT_FILTER },
    );
    for (const f of FILES) sheets[f] = fodsRecords(imported[f]!);
  }, 120_000);

  afterAll(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('reads hf_models.csv with dates as dates, numbers as numbers, text as text', () => {
    const [first] = sheets.hf_models!;
    expect(first!.observed_on).toMatchObject({ type: 'date', value: '2024-07-20' });
    expect(first!.models).toMatchObject({ type: 'float', value: '180549' });
    expect(first!.share_pct).toMatchObject({ type: 'float', value: '91.1' });
    expect(first!.comparison).toMatchObject({ type: 'string', value: 'PyTorch vs TensorFlow' });
    expect(first!.frameworks).toMatchObject({ type: 'string', value: 'PyTorch' });
  });

  it('reads hf_models_by_month.csv with months as YYYY-MM text, undated as text, numbers as numbers', () => {
    const rows = sheets.hf_models_by_month!;
    expect(rows[0]!.month).toMatchObject({ type: 'string', value: 'undated' });
    const june = rows.find((r) => r.month!.value === '2024-06' && r.segment!.value === 'TensorFlow only')!;
    expect(june.month).toMatchObject({ type: 'string', value: '2024-06' });
    expect(june.models_created).toMatchObject({ type: 'float', value: '400' });
    expect(june.share_pct).toMatchObject({ type: 'float', value: '4.26' });
    expect(june.cumulative_models).toMatchObject({ type: 'float', value: '10300' });
    expect(june.observed_on).toMatchObject({ type: 'date', value: '2024-07-20' });
    expect(rows.every((r) => r.month!.type === 'string' && /^(\d{4}-\d{2}|undated)$/.test(r.month!.value))).toBe(true);
    const quiet = rows.find((r) => r.month!.value === '2023-07')!; // nothing created: no share, not 0
    expect(quiet.models_created).toMatchObject({ type: 'float', value: '0' });
    expect(quiet.share_pct!.type).toBe('empty');
  });

  it('keeps a negative growth rate a number and partial a flag', () => {
    const tf2024 = sheets.pubmed_by_year!.find((r) => r.year!.value === '2024' && r.keyword!.value === 'TensorFlow')!;
    expect(tf2024.year).toMatchObject({ type: 'float' });
    expect(tf2024.yoy_pct).toMatchObject({ type: 'float', value: '-16.67' });
    expect(tf2024.adjusted_linear).toMatchObject({ type: 'float', value: '271.78' });
    expect(tf2024.partial).toMatchObject({ type: 'boolean', value: 'true' });
    expect(tf2024.observed_at).toMatchObject({ type: 'date', value: '2024-07-20' });
    const first = sheets.pubmed_by_year![0]!;
    expect(first.yoy_pct!.type).toBe('empty'); // missing stays empty, not 0
  });

  it('reads the wide table as numbers under keyword headers', () => {
    const last = sheets.pubmed_by_year_wide!.at(-1)!;
    expect(last.year).toMatchObject({ type: 'float', value: '2024' });
    expect(last.PyTorch).toMatchObject({ type: 'float', value: '1000' });
    expect(last['PyTorch raw']).toMatchObject({ type: 'float', value: '500' });
  });

  it('keeps formula-like text as text even with formula evaluation on', () => {
    const injected = sheets.observations!.find((r) => r.value!.value === '5')!; // the row whose subject is =1+1
    expect(injected.subject).toMatchObject({ type: 'string', formula: null, text: "'=1+1" });
    expect(injected.query).toMatchObject({ type: 'string', formula: null });
    expect(injected.value).toMatchObject({ type: 'float', value: '5' });
    expect(injected.observed_at).toMatchObject({ type: 'date' });
  });
});
