import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { Ajv } from 'ajv';
import * as vega from 'vega';
import { compile } from 'vega-lite';
import { describe, expect, it } from 'vitest';
import { barChartSpec } from '../../src/report/chart/bar-chart-spec.js';
import { lineChartSpec } from '../../src/report/chart/line-chart-spec.js';
import type { VegaLiteSpec } from '../../src/report/chart/vega-lite.js';
import { overlapChartInput } from '../../src/report/overlap-snapshot/chart.js';
import { countView, yearlyChartInput } from '../../src/report/yearly-count/chart.js';
import { hfSection, pubmedSection } from '../analyze/helpers.js';
import { articleReport } from './fixtures.js';
import { manyFrameworksHubReport, manyKeywordsReport } from './many-series.js';

/**
 * The .vl.json written beside each chart must open in the Vega editor: valid against Vega-Lite's own JSON
 * schema, compiled by vega-lite without a warning, and rendered by vega (both dev dependencies only).
 */

const require = createRequire(import.meta.url);
const schema = JSON.parse(readFileSync(require.resolve('vega-lite/vega-lite-schema.json'), 'utf8'));
const validate = new Ajv({ strict: false, allErrors: true }).compile(schema);

async function renders(spec: VegaLiteSpec): Promise<string> {
  expect(validate(spec), JSON.stringify(validate.errors?.slice(0, 3))).toBe(true);
  const warnings: string[] = [];
  const logger = {
    level: () => 0,
    warn: (...args: unknown[]) => warnings.push(args.join(' ')),
    info: () => undefined,
    debug: () => undefined,
    error: (...args: unknown[]) => {
      throw new Error(args.join(' '));
    },
  };
  const compiled = compile(spec as never, { logger: logger as never }).spec;
  expect(warnings).toEqual([]);
  return new vega.View(vega.parse(compiled), { renderer: 'none' }).toSVG();
}

describe('Vega-Lite specs beside the charts', () => {
  it('are checked against a schema that does reject a wrong spec', () => {
    expect(validate({ data: { values: [] }, mark: 'lines' })).toBe(false);
    expect(validate({ data: { values: [] }, mark: 'line', encoding: { x: { field: 'a', type: 'ordinal' } } })).toBe(true);
  });

  for (const count of [1, 4, 50]) {
    it(`yearly chart of ${count} keyword(s), linear and log, validates and renders with the SVG's series`, async () => {
      const report = manyKeywordsReport(count, { zeros: true });
      for (const scale of ['linear', 'log'] as const) {
        const spec = lineChartSpec(yearlyChartInput(pubmedSection(report), report, { scale }));
        const svg = await renders(spec);
        expect(svg).toContain('PyTorch');
        const rows = (spec.data as { values: { series: string; line: string; estimated: boolean; value: number | null }[] }).values;
        expect(new Set(rows.map((r) => r.series)).size).toBe(Math.min(count, 10));
        // One hollow estimate per series (2024), joined to 2023 by its own dashed line.
        expect(rows.filter((r) => r.estimated)).toHaveLength(Math.min(count, 10));
        expect(rows.filter((r) => r.line === 'estimate')).toHaveLength(2 * Math.min(count, 10));
        expect(JSON.stringify(spec)).toContain(`"type":"${scale}"`);
      }
    });
  }

  it('two panels become a vertical concatenation with their own y axes', async () => {
    const report = manyKeywordsReport(4);
    const section = pubmedSection(report);
    const views = [countView(section), { ...countView(section), yLabel: 'Per million papers', integer: false }];
    const spec = lineChartSpec(yearlyChartInput(section, report, { views }));
    expect(spec.vconcat).toHaveLength(2);
    expect(await renders(spec)).toContain('Per million papers');
  });

  it('the overlap chart, of 2 and 5 frameworks, with the notices in its subtitle', async () => {
    const notice = 'the counts are ILLUSTRATIVE';
    for (const report of [articleReport({ notices: [notice] }), manyFrameworksHubReport(5)]) {
      const spec = barChartSpec(overlapChartInput(hfSection(report), report));
      const svg = await renders(spec);
      expect(svg).toContain(hfSection(report).data.comparisons[0]!.segments[0]!.segment);
    }
    const spec = barChartSpec(overlapChartInput(hfSection(articleReport({ notices: [notice] })), articleReport({ notices: [notice] })));
    expect((spec.title as { subtitle: string[] }).subtitle).toContain(`NOTICE: ${notice}`);
    expect(JSON.stringify(spec)).toContain('"value_label":"180,549 (91.10 %)"');
  });
});
