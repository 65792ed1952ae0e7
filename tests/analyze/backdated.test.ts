import { describe, expect, it } from 'vitest';
import { backdatedWarnings, type RunInfo } from '../../src/analyze/backdated.js';
import { buildReport } from '../../src/analyze/build-report.js';
import { sectionsOf } from '../../src/analyze/report-types.js';
import { parseConfig } from '../../src/config/load.js';
import { configuredSeries } from '../../src/config/parts.js';
import { COLLECTORS } from '../../src/registry.js';
import { hub, obs, papers } from './helpers.js';

describe('src/analyze/backdated', () => {
  const runs = new Map<number, RunInfo>([
    [1, { origin: 'live', startedAt: '2024-07-20T23:59:00.000Z' }], // counted on the day it is stored under
    [2, { origin: 'live', startedAt: '2026-11-25T06:17:00.000Z' }], // `--as-of 2024-07-20` run today
    [3, { origin: 'replayed', startedAt: '2026-11-25T06:17:00.000Z' }], // a replay says so itself
  ]);

  it('flags live counts of a present-only source stored under an earlier date than counted, once per date pair', () => {
    const rows = [
      hub('pytorch', 1, '2024-07-20', { runId: 1 }),
      hub('pytorch', 2, '2024-07-20', { runId: 2 }),
      hub('tf', 3, '2024-07-20', { runId: 2 }),
      hub('tf', 4, '2024-07-21', { runId: 3 }),
      papers('PyTorch', 2023, 5, '2024-07-20', { runId: 2 }), // PubMed is bounded by record creation date
    ];
    expect(backdatedWarnings('huggingface', 'the Hub API', rows, runs)).toEqual([
      "huggingface: the counts stored as of 2024-07-20 were counted on 2026-11-25; the Hub API has no history, so they are that day's",
    ]);
    expect(
      backdatedWarnings(
        'huggingface',
        'the Hub API',
        rows.filter((r) => r.runId !== 2),
        runs,
      ),
    ).toEqual([]);
  });
});

describe('a present-only source: a year is partial only if it was not over on the day its count was made', () => {
  const openAlexConfig = parseConfig(
    { frameworks: [{ name: 'PyTorch', openalex: { term: 'pytorch' } }], openalex: { fromYear: 2023 } },
    COLLECTORS,
    'test',
  );
  const works = (year: number, value: number, runId: number) =>
    obs({
      source: 'openalex',
      metric: 'works',
      subject: 'PyTorch',
      period: String(year),
      value,
      observedAt: '2024-07-20',
      runId,
      method: 'group_by',
    });
  const allWorks = (year: number, value: number, runId: number) =>
    obs({
      source: 'openalex',
      metric: 'works_all',
      subject: '(all works)',
      period: String(year),
      value,
      observedAt: '2024-07-20',
      runId,
      method: 'group_by',
    });
  /** OpenAlex's counts as one run stored them under --as-of 2024-07-20 (illustrative numbers). */
  const stored = (runId: number) => [
    works(2023, 47_900, runId),
    works(2024, 29_800, runId),
    allWorks(2023, 9_800_000, runId),
    allWorks(2024, 9_000_000, runId),
  ];
  const runs = new Map<number, RunInfo>([
    [2, { origin: 'live', startedAt: '2026-11-25T06:17:00.000Z' }], // `--as-of 2024-07-20` run in 2026: 2024 is over
    [3, { origin: 'replayed', startedAt: '2026-11-25T06:17:00.000Z' }], // an archive recorded as of 2024-07-20
    [4, { origin: 'live', startedAt: '2024-09-01T06:17:00.000Z' }], // back-dated within the year: 2024 is still running
  ]);
  const point2024 = (runId: number) => {
    const report = buildReport({
      observations: stored(runId),
      series: configuredSeries(openAlexConfig, COLLECTORS),
      asOf: '2024-07-20',
      generatedAt: '2026-11-25T07:00:00.000Z',
      replayed: runs.get(runId)?.origin === 'replayed',
      presentOnly: new Map([['openalex', 'the OpenAlex API']]),
      runs,
    });
    const section = sectionsOf(report, 'yearly-count').find((s) => s.series.key === 'openalex')!;
    return { point: section.data.series[0]!.points.find((p) => p.year === 2024)!, section, report };
  };

  it('counted in 2026 and stored under 2024-07-20: 2024 is complete, shown as counted (29,800), not scaled to 53,994', () => {
    const { point, section, report } = point2024(2);
    expect(point).toMatchObject({ count: 29_800, adjusted: 29_800, partial: false, estimate_method: null, observed_at: '2024-07-20' });
    // Growth follows the count, not an extrapolation: 29,800 / 47,900 − 1.
    expect(point.yoy).toBeCloseTo(29_800 / 47_900 - 1, 4);
    // The total of all works was counted the same day: complete too.
    expect(point.per_million).toBeCloseTo((29_800 / 9_000_000) * 1_000_000, 1);
    expect(section.data.adjustment.method).toBe('none');
    expect(report.warnings).toContain(
      "openalex: the counts stored as of 2024-07-20 were counted on 2026-11-25; the OpenAlex API has no history, so they are that day's",
    );
  });

  it("a replayed archive's answers describe its as-of day: the demo's 2024 stays partial and adjusted", () => {
    const { point } = point2024(3);
    expect(point).toMatchObject({ count: 29_800, partial: true, estimate_method: 'linear', adjusted: 53_994.06 });
  });

  it('counted later in the same year: partial, scaled from the day it was counted (1 September), not the as-of day', () => {
    const { point, section } = point2024(4);
    // 366 / 245 (1 September 2024 is day 245), not 366 / 202.
    expect(point).toMatchObject({ partial: true, estimate_method: 'linear', adjusted: 44_517.55 });
    expect(section.data.adjustment.as_of).toBe('2024-09-01');
  });
});
