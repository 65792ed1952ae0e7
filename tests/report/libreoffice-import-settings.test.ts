import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixed, toCsv } from '../../src/report/csv.js';
import type { FodsCell } from './fods.js';
import { importInCalc, sofficeOnPath } from './soffice.js';

/**
 * What LibreOffice Calc (headless) makes of a CSV depending on the import settings: the checks behind the
 * README's "Opening the CSVs in a spreadsheet". The CSV import filter's options, token by token:
 *   1 field separator (44 comma), 2 text delimiter (34 `"`), 3 character set (76 UTF-8; empty: the system
 *   code page), 4 first line, 5 column formats (empty: standard), 6 import language (1033 English (USA),
 *   1031 German (Germany); empty: the system locale), 7 quoted field as text, 8 detect special numbers (dates).
 * Without any options the filter uses its API defaults: Windows-1252, comma, double quote.
 * The Text Import dialog of a double-click in the desktop LibreOffice is not available headless; a BOM is what
 * lets it pick UTF-8 for certain, and it is what Excel needs (README).
 */
const UTF8_EN_US = 'CSV:44,34,76,1,,1033,false,true';
const UTF8_DE_DE = 'CSV:44,34,76,1,,1031,false,true';
const SYSTEM_CHARSET = 'CSV:44,34,,1,,1033,false,true';

const TEXT = 'Ünïcödé 框架';
/** Its UTF-8 bytes read as Windows-1252 (what the issue saw in a spreadsheet) and as ISO-8859-1. */
const AS_WINDOWS_1252 = 'ÃœnÃ¯cÃ¶dÃ© æ¡†æž¶';
const AS_LATIN_1 = Buffer.from(TEXT, 'utf8').toString('latin1');
/** The byte order mark EF BB BF read as either code page. */
const BOM_AS_TEXT = 'ï»¿';

let dir: string;
type Sheets = Record<string, FodsCell[][]>;
let apiDefaults: Sheets;
let systemCharset: Sheets;
let utf8: Sheets;
let german: Sheets;

describe.skipIf(!sofficeOnPath)('CSV import settings in LibreOffice Calc', () => {
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'adoption-calc-import-'));
    const columns = ['framework', 'share_pct', 'observed_on'];
    const rows = [[TEXT, fixed(19.74), '2024-07-20']];
    await writeFile(join(dir, 'plain.csv'), toCsv(columns, rows));
    await writeFile(join(dir, 'bom.csv'), toCsv(columns, rows, { bom: true }));
    const both = [join(dir, 'plain.csv'), join(dir, 'bom.csv')];
    const into = async (name: string) => {
      await mkdir(join(dir, name));
      return { workDir: dir, outDir: join(dir, name) };
    };
    apiDefaults = await importInCalc(both, await into('defaults'));
    // A machine whose system code page is not UTF-8 (LC_ALL=C: ISO-8859-1 to LibreOffice).
    systemCharset = await importInCalc(both, { ...(await into('system')), filter: SYSTEM_CHARSET, env: { LC_ALL: 'C', LANG: 'C' } });
    utf8 = await importInCalc(both, { ...(await into('utf8')), filter: UTF8_EN_US });
    german = await importInCalc([join(dir, 'plain.csv')], { ...(await into('german')), filter: UTF8_DE_DE });
  }, 120_000);

  afterAll(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('garbles UTF-8 text when the import assumes a code page, BOM or not', () => {
    for (const [sheets, garbled] of [
      [apiDefaults, AS_WINDOWS_1252],
      [systemCharset, AS_LATIN_1],
    ] as const) {
      expect(sheets.plain![1]![0]!.text).toBe(garbled);
      // A non-interactive import does not look for the byte order mark: it becomes text, and only an import
      // told UTF-8 consumes it.
      expect(sheets.bom![0]![0]!.text).toBe(`${BOM_AS_TEXT}framework`);
      expect(sheets.bom![1]![0]!.text).toBe(garbled);
    }
  });

  it('reads the text with the UTF-8 character set, and a BOM then stays out of the first header', () => {
    for (const name of ['plain', 'bom']) {
      expect(utf8[name]![0]!.map((c) => c.text)).toEqual(['framework', 'share_pct', 'observed_on']);
      expect(utf8[name]![1]![0]).toMatchObject({ type: 'string', text: TEXT });
    }
  });

  it('reads 19.74 as text with a German import language and as the number with English (USA)', () => {
    expect(german.plain![1]![1]).toMatchObject({ type: 'string', text: '19.74' });
    expect(utf8.plain![1]![1]).toMatchObject({ type: 'float', value: '19.74' });
    // ISO dates are dates either way.
    expect(german.plain![1]![2]).toMatchObject({ type: 'date', value: '2024-07-20' });
    expect(utf8.plain![1]![2]).toMatchObject({ type: 'date', value: '2024-07-20' });
  });
});
