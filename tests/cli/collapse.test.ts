import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, runInProcess, tempWorkdir } from '../helpers/cli.js';
import { startEsearchServer } from '../helpers/esearch-server.js';
import { pairedModels, startHfServer } from '../helpers/hf-server.js';

/*
 * Real sources answer "nothing" during incidents: an HTTP 200 with an empty model list, a count of 0 for a year
 * that had thousands. Such an answer is stored (history is append-only) but held back as suspect: exit 1, one
 * line per source, and every report keeps the last good values with a note, until a later run confirms the
 * fall or the operator accepts it. Test values, not PubMed data; synthetic model ids.
 */
const CONFIG = {
  frameworks: [
    { name: 'PyTorch', huggingface: { tags: ['pytorch'] }, pubmed: { term: 'pytorch' } },
    { name: 'TensorFlow', huggingface: { tags: ['tf'] }, pubmed: { term: 'tensorflow' } },
  ],
  pubmed: { fromYear: 2022, toYear: 2023 },
};

async function fixture() {
  const hub = await startHfServer({ models: pairedModels(['pytorch', 'tf'], { a: 2_500, b: 700, both: 200 }) });
  let pubmedDown = false;
  const counts: Record<string, Record<number, number>> = { pytorch: { 2022: 260, 2023: 4_310 }, tensorflow: { 2022: 230, 2023: 220 } };
  const ncbi = await startEsearchServer({
    count: (term) =>
      term ? (pubmedDown && term.keyword === 'pytorch' && term.year === 2023 ? 0 : counts[term.keyword]?.[term.year]) : undefined,
  });
  const dir = tempWorkdir('am-collapse-');
  writeFileSync(join(dir, 'adoption.config.json'), JSON.stringify(CONFIG));
  const env = { ...hub.env(), ...ncbi.env() };
  // Nightly runs are as of today, so PubMed's queries are the same each time; a past as-of date bounds them by
  // creation date, a query of its own each day, which the guard follows as one series (the last test).
  const run = (extra: string[] = []) => runCli(['run', ...extra], { cwd: dir, env });
  const report = () => JSON.parse(readFileSync(join(dir, 'output/report.json'), 'utf8'));
  /** `collect` at a given moment, in this process; then `report` by the real CLI. */
  const collectAt = (now: Date) => runInProcess(['collect'], { cwd: dir, env, now });
  const reportNow = async () => {
    const result = await runCli(['report'], { cwd: dir, env });
    if (result.code !== 0) throw new Error(result.stderr);
    return report();
  };
  const csv = (name: string) => readFileSync(join(dir, 'output', name), 'utf8');
  return {
    run,
    report,
    reportNow,
    collectAt,
    csv,
    /** The Hub answers HTTP 200 with an empty list; PubMed says 0 for PyTorch 2023. */
    collapse(on: boolean) {
      hub.configure({ models: on ? [] : pairedModels(['pytorch', 'tf'], { a: 2_500, b: 700, both: 200 }) });
      pubmedDown = on;
    },
    async close() {
      await hub.close();
      await ncbi.close();
    },
  };
}

describe('a source that answers "nothing" (adoption-metrics run)', () => {
  it('holds the collapse back as suspect, exits 1 with one line per source, and reports the last good values with a note', async () => {
    const f = await fixture();
    try {
      expect((await f.run()).code).toBe(0);
      f.collapse(true);
      const result = await f.run();
      expect(result.code, result.stderr).toBe(1);
      // The two sources run at once: their lines come in either order.
      const errors = result.stderr.split('\n').filter((l) => l.startsWith('error'));
      expect(errors).toHaveLength(2);
      expect(errors).toEqual(
        expect.arrayContaining([
          expect.stringMatching(
            // Each count's total and its one month of models (all created in one month) fall to 0.
            /^error huggingface: 6 value\(s\) fell by more than half since the last good run and are held back as suspect \(pytorch models \S+: 2500 → 0; pytorch models_created \d{4}-\d{2}: 2500 → 0; pytorch\+tf models \S+: 200 → 0; and 3 more\); reports keep/,
          ),
          expect.stringMatching(/^error pubmed: 1 value\(s\) fell by more than half .* \(PyTorch papers 2023: 4310 → 0\)/),
        ]),
      );
      // The report keeps the last good Hub snapshot and PubMed count, and says why.
      const report = f.report();
      expect(report.huggingface.comparisons[0]).toMatchObject({ total: 3_000 });
      expect(report.pubmed.series[0].points.find((p: { year: number }) => p.year === 2023)).toMatchObject({ count: 4_310 });
      expect(report.warnings.join('\n')).toMatch(
        /huggingface: 6 value\(s\) observed \S+ are held back as suspect and the last good values are shown instead/,
      );
      expect(report.warnings.join('\n')).toMatch(/pubmed: 1 value\(s\) observed \S+ are held back as suspect/);
      expect(f.csv('hf_models.csv')).toMatch(/^\S+,PyTorch vs TensorFlow,PyTorch only,PyTorch,2300,/m);
      expect(f.csv('pubmed_by_year.csv')).toMatch(/^2023,PyTorch,4310,4310,/m);

      // Re-run by hand a minute later, during the same outage: not an independent observation, still held back.
      const again = await f.run();
      expect(again.code, again.stderr).toBe(1);
      expect(again.stderr).toMatch(
        /^error pubmed: 1 value\(s\) fell .*; 1 of them repeats a fall first stored at .*, too soon to confirm it/m,
      );
      expect(f.report().pubmed.series[0].points.find((p: { year: number }) => p.year === 2023)).toMatchObject({ count: 4_310 });
    } finally {
      await f.close();
    }
  });

  it('a re-run during the same outage does not confirm the fall; an independent run 6 h later does, and says so', async () => {
    const f = await fixture();
    // Runs in this process on today's date with an injected clock (the reports are made by the real CLI after).
    const today = new Date().toISOString().slice(0, 10);
    const at = (time: string) => f.collectAt(new Date(`${today}T${time}:00.000Z`));
    try {
      expect((await at('00:10')).code).toBe(0);
      f.collapse(true);
      expect((await at('00:20')).code).toBe(1);
      const rerun = await at('00:21');
      expect(rerun.code, rerun.stderr).toBe(1);
      expect(rerun.stderr).not.toMatch(/confirmed/);
      expect(rerun.stderr).toMatch(
        new RegExp(
          `^error pubmed: 1 value\\(s\\) fell by more than half since the last good run and are held back as suspect \\(PyTorch papers 2023: 4310 → 0\\); 1 of them repeats a fall first stored at ${today} 00:20 UTC, too soon to confirm it \\(a repeat confirms only 6 h after, from ${today} 06:20 UTC\\)`,
          'm',
        ),
      );
      expect((await f.reportNow()).pubmed.series[0].points.find((p: { year: number }) => p.year === 2023)).toMatchObject({ count: 4_310 });

      const later = await at('06:21');
      expect(later.code, later.stderr).toBe(0);
      expect(later.stderr).toMatch(
        new RegExp(
          `^warn {2}pubmed: confirmed 1 fall\\(s\\) seen again since ${today} 00:20 UTC \\(PyTorch papers 2023: 4310 → 0\\); reports now show them$`,
          'm',
        ),
      );
      expect(later.stderr).toMatch(/^warn {2}huggingface: confirmed 6 fall\(s\) seen again since .*; reports now show them$/m);
      expect((await f.reportNow()).pubmed.series[0].points.find((p: { year: number }) => p.year === 2023)).toMatchObject({ count: 0 });
    } finally {
      await f.close();
    }
  });

  it('back-dated runs are guarded too: a zero answer as of the next day is held back, though each day bounds its queries', async () => {
    const f = await fixture();
    try {
      const back = (asOf: string) => f.run(['--sources', 'pubmed', '--as-of', asOf]);
      const good = await back('2024-07-20');
      expect(good.code, good.stderr).toBe(0);
      f.collapse(true);
      const held = await back('2024-07-21');
      expect(held.code, held.stderr).toBe(1);
      expect(held.stderr).toMatch(/^error pubmed: 1 value\(s\) fell by more than half .*\(PyTorch papers 2023: 4310 → 0\)/m);
      expect(f.report().pubmed.series[0].points.find((p: { year: number }) => p.year === 2023)).toMatchObject({ count: 4_310 });
      // The next as-of day asked a minute later is the same outage, not a confirmation.
      const next = await back('2024-07-22');
      expect(next.code, next.stderr).toBe(1);
      expect(next.stderr).not.toMatch(/confirmed/);
      expect(f.report().pubmed.series[0].points.find((p: { year: number }) => p.year === 2023)).toMatchObject({ count: 4_310 });
    } finally {
      await f.close();
    }
  });

  it('a backfill run newest day first is guarded too: zeros as of the day before a good run are held back', async () => {
    const f = await fixture();
    try {
      const back = (asOf: string) => f.run(['--sources', 'pubmed', '--as-of', asOf]);
      const good = await back('2024-07-21');
      expect(good.code, good.stderr).toBe(0);
      f.collapse(true);
      const held = await back('2024-07-20');
      expect(held.code, held.stderr).toBe(1);
      expect(held.stderr).toMatch(/^error pubmed: 1 value\(s\) fell by more than half .*\(PyTorch papers 2023: 4310 → 0\)/m);
      // The report as of 2024-07-20 never shows the zero as fact (the count of 2024-07-21 is not known on that day).
      const point = f.report().pubmed.series[0]?.points.find((p: { year: number }) => p.year === 2023);
      expect(point?.count ?? null).not.toBe(0);
    } finally {
      await f.close();
    }
  });

  it('a blip is never shown, and --accept-drops stores a real fall at once', async () => {
    const f = await fixture();
    try {
      await f.run();
      f.collapse(true);
      expect((await f.run()).code).toBe(1);
      f.collapse(false);
      const recovered = await f.run();
      expect(recovered.code, recovered.stderr).toBe(0);
      // The report shows the recovered values; the blip stays held back in the history, never confirmed.
      expect(f.report().huggingface.comparisons[0]).toMatchObject({ total: 3_000 });
      expect(f.report().warnings.join('\n')).toMatch(/held back as suspect/);

      f.collapse(true);
      const accepted = await f.run(['--accept-drops']);
      expect(accepted.code, accepted.stderr).toBe(0);
      expect(accepted.stderr).toMatch(
        /warn {2}pubmed: --accept-drops: 1 fall\(s\) by more than half stored as real \(PyTorch papers 2023: 4310 → 0\)/,
      );
      expect(f.report().pubmed.series[0].points.find((p: { year: number }) => p.year === 2023)).toMatchObject({ count: 0 });
    } finally {
      await f.close();
    }
  });
});
