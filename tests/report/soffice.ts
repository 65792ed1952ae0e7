import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { basename, delimiter, join } from 'node:path';
import { promisify } from 'node:util';
import { fodsRows, type FodsCell } from './fods.js';

/** LibreOffice on PATH: the spreadsheet tests run only then (CI installs it). */
export const sofficeOnPath = (process.env.PATH ?? '').split(delimiter).some((dir) => existsSync(join(dir, 'soffice')));

const run = promisify(execFile);

/**
 * Imports CSV files in LibreOffice Calc (headless) and returns each as the rows of cells it became.
 * `filter` is the CSV import filter with its options string (`CSV:44,34,76,...`, token by token in the
 * tests that use it); without one, soffice picks the CSV filter by the file name and its API defaults,
 * what any non-interactive import gets. `env` replaces the locale variables, e.g. `LC_ALL=C` for a system
 * whose code page is not UTF-8.
 */
export async function importInCalc(
  files: readonly string[],
  options: { workDir: string; outDir: string; filter?: string; env?: Record<string, string> },
): Promise<Record<string, FodsCell[][]>> {
  await run(
    'soffice',
    [
      `-env:UserInstallation=file://${join(options.workDir, 'profile')}`, // a private profile: no clash with a running LibreOffice
      '--headless',
      ...(options.filter ? [`--infilter=${options.filter}`] : []),
      '--convert-to',
      'fods',
      '--outdir',
      options.outDir,
      ...files,
    ],
    { timeout: 110_000, env: { ...process.env, ...options.env } },
  );
  const sheets: Record<string, FodsCell[][]> = {};
  for (const file of files) {
    const name = basename(file, '.csv');
    sheets[name] = fodsRows(await readFile(join(options.outDir, `${name}.fods`), 'utf8'));
  }
  return sheets;
}
