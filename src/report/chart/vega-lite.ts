import { FONT } from '../svg.js';

/** What every Vega-Lite spec written beside a chart shares: the schema, the font, the notices in the title. */

export const VEGA_LITE_SCHEMA = 'https://vega.github.io/schema/vega-lite/v6.json';

export type VegaLiteSpec = Record<string, unknown>;

export function vegaLiteDocument(
  title: string,
  subtitle: string,
  notices: readonly string[],
  description: string,
  spec: VegaLiteSpec,
): VegaLiteSpec {
  return {
    $schema: VEGA_LITE_SCHEMA,
    description,
    title: { text: title, subtitle: [subtitle, ...notices.map((n) => `NOTICE: ${n}`)], anchor: 'start' },
    ...spec,
    config: { font: FONT, view: { stroke: null } },
  };
}

/** 2-space JSON with a trailing newline, like report.json. */
export function specJson(spec: VegaLiteSpec): string {
  return `${JSON.stringify(spec, null, 2)}\n`;
}
