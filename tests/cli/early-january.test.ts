import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, tempWorkdir } from '../helpers/cli.js';
import { type ParsedTerm, startEsearchServer } from '../helpers/esearch-server.js';

/*
 * The first day of a year, end to end, as NCBI answers it: on 1 January PubMed already holds papers dated the new
 * year (created ahead of print), about 6 % of a year's final count (test values shaped like the report:
 * PyTorch 314 on 1 January). TensorFlow's completeness queries fail. The linear estimate (×365) must never be
 * shown; PyTorch keeps its own lag-aware estimate; TensorFlow gets none, with the reason, everywhere.
 */
const AS_OF = '2026-01-01';
const FINALS: Record<string, Record<number, number>> = {
  pytorch: { 2023: 4000, 2024: 4600, 2025: 5200 },
  tensorflow: { 2023: 3000, 2024: 2800, 2025: 2600 },
};
const SO_FAR: Record<string, number> = { pytorch: 314, tensorflow: 160 };
/** Share of a year's papers whose record exists by a day of that year: 6 % on 1 January, then growing. */
const SHARE_BY: Record<string, number> = { '01/01': 0.06, '01/31': 0.09, '02/28': 0.15, '02/29': 0.15, '03/31': 0.25 };

function count(term: ParsedTerm | undefined): number | undefined {
  if (!term) return undefined;
  const asOfBound = term.createdBy === AS_OF.replaceAll('-', '/');
  if (asOfBound) return term.year === 2026 ? SO_FAR[term.keyword] : FINALS[term.keyword]?.[term.year];
  const share = SHARE_BY[term.createdBy!.slice(5)];
  const final = FINALS[term.keyword]?.[term.year];
  return share === undefined || final === undefined ? undefined : Math.round(final * share);
}

describe('the partial-year estimate on 1 January (adoption-metrics run --as-of 2026-01-01)', () => {
  it('shows PyTorch lag-aware, never 314 × 365, and withholds TensorFlow whose completeness queries failed', async () => {
    const ncbi = await startEsearchServer({
      count,
      faults: [
        {
          match: (req) => req.parsed?.keyword === 'tensorflow' && req.parsed.createdBy !== AS_OF.replaceAll('-', '/'),
          reply: { status: 400, json: { error: 'Invalid query', type: 'invalid' } },
        },
      ],
    });
    try {
      const dir = tempWorkdir('am-january-');
      writeFileSync(
        join(dir, 'adoption.config.json'),
        JSON.stringify({
          frameworks: [
            { name: 'PyTorch', pubmed: { term: 'pytorch' } },
            { name: 'TensorFlow', pubmed: { term: 'tensorflow' } },
          ],
          pubmed: { fromYear: 2023 },
        }),
      );
      const result = await runCli(['run', '--as-of', AS_OF, '--backtest'], {
        cwd: dir,
        env: ncbi.env({ NCBI_API_KEY: 'january-test-key' }),
      });
      // TensorFlow's completeness counts could not be measured: the run says so and exits 1; the rest is stored.
      expect(result.code, result.stderr).toBe(1);

      const report = JSON.parse(readFileSync(join(dir, 'output/report.json'), 'utf8'));
      const point = (keyword: string) =>
        report.pubmed.series.find((s: { keyword: string }) => s.keyword === keyword).points.find((p: { year: number }) => p.year === 2026);
      const pytorch = point('PyTorch');
      expect(pytorch).toMatchObject({ count: 314, partial: true, estimate_method: 'lag-aware', adjusted_linear: null });
      expect(pytorch.adjusted).toBeGreaterThan(5_000);
      expect(pytorch.adjusted).toBeLessThan(5_500);
      const tf = point('TensorFlow');
      expect(tf).toMatchObject({ count: 160, adjusted: null, estimate_method: 'withheld', share: null, yoy: null });
      expect(tf.withheld_reason).toMatch(/day 1 of the year is too early/);
      expect(report.pubmed.adjustment).toMatchObject({ method: 'mixed', methods: { PyTorch: 'lag-aware', TensorFlow: 'withheld' } });

      // Nowhere a made-up number: not in the CSVs, the summary or the chart.
      const csv = readFileSync(join(dir, 'output/pubmed_by_year.csv'), 'utf8');
      expect(csv).toMatch(/^2026,TensorFlow,160,,true,,,,,2026-01-01,withheld,"?lag-aware: no completeness data/m);
      for (const file of ['pubmed_by_year.csv', 'pubmed_by_year_wide.csv', 'pubmed_trend.svg']) {
        const text = readFileSync(join(dir, 'output', file), 'utf8');
        expect(text).not.toMatch(/114[,]?610|58[,]?400/); // 314 × 365 and 160 × 365
      }
      expect(result.stdout).toMatch(/withheld\* \(160\)/);
      expect(result.stdout).toMatch(/\* no estimate for TensorFlow: lag-aware: no completeness data/);
      // The backtest shows the linear method at 1 January, where it fails.
      expect(result.stdout).toMatch(/^ {2}01-01 +\d{3,}\.\d\d % \(n=3\)/m);
    } finally {
      await ncbi.close();
    }
  });
});
