import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** RFC 4180 CSV (quoted fields, doubled quotes, LF line ends) into header-keyed records. */
export function parseCsv(text: string): Record<string, string>[] {
  const records: string[][] = [];
  let field = '';
  let record: string[] = [];
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted && c === '"' && text[i + 1] === '"') {
      field += '"';
      i++;
    } else if (c === '"') {
      quoted = !quoted;
    } else if (!quoted && c === ',') {
      record.push(field);
      field = '';
    } else if (!quoted && c === '\n') {
      record.push(field);
      records.push(record);
      record = [];
      field = '';
    } else {
      field += c;
    }
  }
  if (field !== '' || record.length > 0) records.push([...record, field]);
  const [header = [], ...rows] = records;
  return rows.map((r) => Object.fromEntries(header.map((h, i) => [h, r[i] ?? ''])));
}

const read = (dir: string, name: string) => parseCsv(readFileSync(join(dir, name), 'utf8'));
const pct = (part: number, whole: number) => (Math.round((part / whole) * 10_000 + 1e-9) / 100).toFixed(2);

/** A share in percent written in scorecard.csv (`84.00`) or a kind's CSV, compared as the same 2-decimal number. */
const same = (a: string, b: string) => Number(a).toFixed(2) === Number(b).toFixed(2);

/**
 * Every value and baseline of the demo's scorecard.csv against the same period in its source's own CSV, recomputed
 * there only from what that CSV holds (segment counts for availability). Returns the mismatches (empty when all agree)
 * and how many values were checked per source.
 */
export function scorecardAgainstSourceCsvs(dir: string): { mismatches: string[]; checked: Record<string, number> } {
  const mismatches: string[] = [];
  const checked: Record<string, number> = {};
  const check = (row: Record<string, string>, period: string, value: string, expected: string | undefined) => {
    if (period === '' && value === '') return;
    checked[row.source!] = (checked[row.source!] ?? 0) + 1;
    if (expected === undefined || !same(value, expected)) {
      mismatches.push(`${row.framework} ${row.source} ${row.indicator} ${period}: scorecard ${value}, its CSV ${expected}`);
    }
  };
  const hfModels = read(dir, 'hf_models.csv');
  const hfMonths = read(dir, 'hf_models_by_month.csv');
  const pwc = read(dir, 'paperswithcode_comparison_by_quarter.csv');
  const yearly = { pubmed: read(dir, 'pubmed_by_year.csv'), openalex: read(dir, 'openalex_by_year.csv') };
  // The demo compares PyTorch and TensorFlow only, so share_pct (of the first comparison) is the comparison's.
  const downloads = read(dir, 'pypi_downloads_by_month.csv');
  /** Models (or models created) carrying `framework`, alone or with others, over all of the comparison's segments. */
  const availability = (rows: Record<string, string>[], count: string, framework: string) => {
    const whole = rows.reduce((sum, r) => sum + Number(r[count]), 0);
    const part = rows.filter((r) => r.frameworks!.split('+').includes(framework)).reduce((sum, r) => sum + Number(r[count]), 0);
    return rows.length === 0 ? undefined : pct(part, whole);
  };
  for (const row of read(dir, 'scorecard.csv')) {
    const comparison = row.indicator!.split(', ')[1];
    const sides: [string, string][] = [
      [row.period!, row.value!],
      [row.baseline_period!, row.baseline_value!],
    ];
    for (const [period, value] of sides) {
      if (row.source === 'huggingface' && row.indicator!.startsWith('availability share of models')) {
        const rows = hfModels.filter((r) => r.observed_on === period && r.comparison === comparison);
        check(row, period, value, availability(rows, 'models', row.framework!));
      } else if (row.source === 'huggingface') {
        const rows = hfMonths.filter((r) => r.month === period && r.comparison === comparison);
        check(row, period, value, availability(rows, 'models_created', row.framework!));
      } else if (row.source === 'paperswithcode') {
        const found = pwc.find((r) => r.quarter === period && r.comparison === comparison && r.framework === row.framework);
        check(row, period, value, found?.share_pct);
      } else if (row.source === 'pubmed' || row.source === 'openalex') {
        const found = yearly[row.source].find((r) => r.year === period && r.keyword === row.framework);
        check(row, period, value, row.unit === '%' ? found?.share_pct : found?.per_million);
      } else if (row.source === 'pypi') {
        const found = downloads.find((r) => r.month === period && r.framework === row.framework);
        check(row, period, value, found?.share_pct);
      } else {
        mismatches.push(`no CSV known for ${row.source}`);
      }
    }
  }
  return { mismatches, checked };
}
