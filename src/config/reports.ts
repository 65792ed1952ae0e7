import { expectObject, fail } from './validate.js';

/** How reports are written: the top-level `reports` section of adoption.config.json. */
export interface ReportsConfig {
  /**
   * Start every CSV with a UTF-8 byte order mark, so Excel (and LibreOffice's import dialog) read it as UTF-8
   * when the file is opened by double-click on a machine whose system code page is not UTF-8. Off by default:
   * some programs that read CSV keep the mark in the first header name. `--csv-bom` turns it on for one run.
   */
  csvBom: boolean;
}

export const REPORTS_KEY = 'reports';

export function parseReports(value: unknown): ReportsConfig {
  if (value === undefined) return { csvBom: false };
  const section = expectObject(value, REPORTS_KEY, ['csvBom']);
  const csvBom = section.csvBom ?? false;
  if (typeof csvBom !== 'boolean') fail(`${REPORTS_KEY}.csvBom`, 'true or false', csvBom);
  return { csvBom };
}
